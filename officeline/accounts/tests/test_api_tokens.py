"""API tokens (ACC-6): issued for an email, a password and, for staff, a TOTP code, behind the
login form's per-account lockout; stored only as a hash; one per client; expiring; revoked
when the password changes."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
from allauth.account import app_settings as allauth_settings
from allauth.core.internal.ratelimit import parse_rates
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.db import connection, models
from django.db.models.functions import Cast
from rest_framework.test import APIClient

from officeline import clock
from officeline.accounts.mfa import current_code, enrol_totp
from officeline.accounts.models import ApiToken
from officeline.accounts.tests.factories import (
    PASSWORD,
    TOTP_SECRET,
    OfficeManagerFactory,
    StaffFactory,
    api_token_for,
    staff_with_totp,
)
from officeline.events.models import Event

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/tokens/"
LOGIN = "/accounts/login/"


def ask_token(email, password=PASSWORD, **extra):
    return APIClient().post(TOKENS, {"email": email, "password": password, **extra}, format="json")


def api_with(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def lockout_attempts() -> int:
    """How many failed attempts lock an account (allauth's ``login_failed`` rate, per key)."""
    rates = parse_rates(allauth_settings.RATE_LIMITS["login_failed"])
    return next(rate.amount for rate in rates if rate.per == "key")


def answer(response) -> tuple[int, dict, str | None]:
    return response.status_code, response.json(), response.headers.get("WWW-Authenticate")


@pytest.fixture(autouse=True)
def _slow_machine_tolerance(settings):
    """A code read before a slow password check may be a period old when it is checked."""
    settings.MFA_TOTP_TOLERANCE = 1


@pytest.fixture
def manager(test_clock):
    return OfficeManagerFactory(email="olive@alpha.test")


@pytest.fixture
def agent(test_clock):
    return staff_with_totp(email="sam@operator.test")


# -- No oracle ---------------------------------------------------------------------------------


def test_a_refused_staff_password_gets_the_answer_of_a_wrong_password(agent):
    wrong = answer(ask_token(agent.email, "not the password at all"))
    assert wrong[0] == 401
    right_without_code = answer(ask_token(agent.email))
    right_with_a_wrong_code = answer(ask_token(agent.email, otp="000000"))
    no_authenticator = StaffFactory(email="new@operator.test")
    right_but_no_totp_set_up = answer(ask_token(no_authenticator.email, otp="123456"))
    unknown = answer(ask_token("nobody@nowhere.test"))
    assert right_without_code == wrong
    assert right_with_a_wrong_code == wrong
    assert right_but_no_totp_set_up == wrong
    assert unknown == wrong


def test_a_customer_who_set_up_totp_needs_the_code_too(manager):
    enrol_totp(manager, TOTP_SECRET)
    assert answer(ask_token(manager.email)) == answer(ask_token(manager.email, "wrong password"))
    assert ask_token(manager.email, otp=current_code(TOTP_SECRET)).status_code == 200


# -- One lockout for every door that takes a password ------------------------------------------


def test_the_cache_is_shared_between_processes():
    shared = caches["default"]
    assert not isinstance(shared, LocMemCache)
    expected = RedisCache if os.environ.get("OFFICELINE_REDIS_URL") else DatabaseCache
    assert isinstance(shared, expected)


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [
        ("", "django.core.cache.backends.db.DatabaseCache"),
        ("redis://127.0.0.1:6379/0", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_the_cache_is_redis_when_there_is_one_else_the_database(redis_url, backend):
    env = {**os.environ, "OFFICELINE_REDIS_URL": redis_url}
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**env, "DJANGO_SETTINGS_MODULE": "officeline.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == backend


def login_form(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_failed_token_requests_lock_the_account_at_the_login_form_too(manager, client):
    for _ in range(lockout_attempts()):
        assert ask_token(manager.email, "wrong password").status_code == 401
    locked = ask_token(manager.email)
    assert locked.status_code == 429
    assert locked.json()["code"] == "too_many_attempts"
    login_form(client, manager.email, PASSWORD)
    assert not logged_in(client)
    # Another account is not locked.
    other = OfficeManagerFactory()
    assert ask_token(other.email).status_code == 200


def test_failed_logins_lock_the_account_at_the_token_endpoint_too(manager, client):
    for _ in range(lockout_attempts()):
        login_form(client, manager.email, "wrong password")
        assert not logged_in(client)
    assert ask_token(manager.email).status_code == 429
    login_form(client, manager.email, PASSWORD)
    assert not logged_in(client)


def test_a_right_password_refused_for_want_of_a_code_counts_as_a_failure(agent, client):
    for _ in range(lockout_attempts()):
        assert ask_token(agent.email).status_code == 401
    assert ask_token(agent.email, otp=current_code(TOTP_SECRET)).status_code == 429


def test_a_success_does_not_wipe_the_failures_before_it(manager):
    # allauth rolls back only the successful attempt's own count.
    for _ in range(lockout_attempts() - 1):
        ask_token(manager.email, "wrong password")
    assert ask_token(manager.email).status_code == 200
    ask_token(manager.email, "wrong password")
    assert ask_token(manager.email).status_code == 429


@pytest.mark.django_db(transaction=True)
def test_a_lockout_is_seen_by_another_process(test_clock):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:"):
        pytest.skip("the SQLite test database is in memory: no other process can open it")
    manager = OfficeManagerFactory(email="olive@alpha.test")
    for _ in range(lockout_attempts()):
        ask_token(manager.email, "wrong password")
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    script = (
        "import django; django.setup()\n"
        "from rest_framework.test import APIClient\n"
        "print(APIClient().post('/api/v1/tokens/', "
        f"{{'email': '{manager.email}', 'password': '{PASSWORD}'}}, format='json').status_code)\n"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "officeline.settings",
        "OFFICELINE_REDIS_URL": "",
        # The same host as this test's requests: allauth's key names the site.
        "OFFICELINE_ALLOWED_HOSTS": "testserver",
    }
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "429"


# -- Tokens ------------------------------------------------------------------------------------


def test_the_database_keeps_no_token(manager):
    response = ask_token(manager.email, client="cli")
    assert response.status_code == 200
    value = response.json()["token"]
    assert api_with(value).get("/api/v1/me/").status_code == 200
    holding = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                lookup = {f"{field.name}__contains": value}
                rows = model._default_manager.filter(**lookup)
            elif isinstance(field, models.JSONField):
                rows = model._default_manager.annotate(
                    _text=Cast(field.name, models.TextField())
                ).filter(_text__contains=value)
            else:
                continue
            if rows.exists():
                holding.append(f"{model._meta.label}.{field.name}")
    assert holding == []


def test_the_token_is_shown_once_and_not_cached(manager):
    response = ask_token(manager.email, client="cli")
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert set(body) == {"token", "id", "client", "prefix", "created_at", "expires_at"}
    assert body["token"].startswith(body["prefix"])
    listed = api_with(body["token"]).get(TOKENS).json()
    assert listed == [{k: v for k, v in body.items() if k != "token"}]


def test_a_token_expires(test_clock, manager):
    token = ask_token(manager.email).json()
    expires_at = test_clock.now() + dt.timedelta(days=settings.API_TOKEN_DAYS)
    assert dt.datetime.fromisoformat(token["expires_at"]) == expires_at
    # ``set`` moves the clock without a tick: the expiry itself refuses the token.
    test_clock.set(expires_at - dt.timedelta(seconds=1))
    assert api_with(token["token"]).get("/api/v1/me/").status_code == 200
    test_clock.set(expires_at)
    response = api_with(token["token"]).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["message"] == "Invalid or expired token."
    # The tick deletes what expired.
    assert clock.tick(only={"accounts.expired_api_tokens"}) == {"accounts.expired_api_tokens": 1}
    assert not ApiToken.objects.exists()


def test_a_staff_token_needs_a_current_code_and_lives_shorter(test_clock, agent):
    code = current_code(TOTP_SECRET)
    response = ask_token(agent.email, otp=code)
    assert response.status_code == 200
    token = response.json()
    assert dt.datetime.fromisoformat(token["expires_at"]) == test_clock.now() + dt.timedelta(
        days=settings.STAFF_API_TOKEN_DAYS
    )
    assert settings.STAFF_API_TOKEN_DAYS < settings.API_TOKEN_DAYS
    assert api_with(token["token"]).get("/api/v1/me/").json()["email"] == agent.email
    # A code works once.
    assert ask_token(agent.email, otp=code).status_code == 401


def test_a_new_login_gives_a_new_token_that_replaces_the_clients_old_one(manager):
    first = ask_token(manager.email, client="cli").json()["token"]
    second = ask_token(manager.email, client="cli").json()["token"]
    assert first != second
    assert api_with(first).get("/api/v1/me/").status_code == 401
    assert api_with(second).get("/api/v1/me/").status_code == 200
    assert ApiToken.objects.filter(user=manager).count() == 1


def test_one_token_per_client_listed_and_revoked_one_by_one(manager):
    cli = ask_token(manager.email, client="cli").json()
    integration = ask_token(manager.email, client="Integration-X").json()
    assert integration["client"] == "integration-x"
    api = api_with(cli["token"])
    assert [t["client"] for t in api.get(TOKENS).json()] == ["cli", "integration-x"]
    # Someone else's token is not theirs to revoke.
    other = OfficeManagerFactory()
    other_token = api_token_for(other)
    other_id = ApiToken.objects.get(user=other).pk
    assert api.delete(f"{TOKENS}{other_id}/").status_code == 404
    assert api_with(other_token).get("/api/v1/me/").status_code == 200
    assert api.delete(f"{TOKENS}{integration['id']}/").status_code == 204
    assert api_with(integration["token"]).get("/api/v1/me/").status_code == 401
    assert [t["client"] for t in api.get(TOKENS).json()] == ["cli"]
    assert Event.objects.filter(action="accounts.api_tokens_revoked").count() == 1


def test_a_client_name_is_checked(manager):
    response = ask_token(manager.email, client="my client!")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "client"


@pytest.mark.parametrize("how", ["set_password", "password_change_form"])
def test_a_password_change_revokes_the_tokens(manager, client, how):
    tokens = [api_token_for(manager, client="cli"), api_token_for(manager, client="x")]
    new_password = "another strong passphrase 77"
    if how == "set_password":
        manager.set_password(new_password)
        manager.save()
    else:
        client.force_login(manager)
        response = client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
        )
        assert response.status_code == 302
    for token in tokens:
        assert api_with(token).get("/api/v1/me/").status_code == 401
    event = Event.objects.get(action="accounts.api_tokens_revoked")
    assert event.data == {"reason": "password_changed", "clients": ["cli", "x"]}


def test_a_password_rehash_at_login_keeps_the_tokens(manager, settings):
    token = api_token_for(manager)
    # A login with a hash of an older hasher upgrades it: that is no password change.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]
    assert manager.check_password(PASSWORD)
    manager.refresh_from_db()
    assert manager.password.startswith("pbkdf2")
    assert api_with(token).get("/api/v1/me/").status_code == 200


def test_an_inactive_users_token_stops_working(manager):
    token = api_token_for(manager)
    manager.is_active = False
    manager.save()
    assert api_with(token).get("/api/v1/me/").status_code == 401


def test_the_command_issues_a_token_for_staff_without_a_code(agent, capsys):
    call_command("api_token", agent.email)
    token = capsys.readouterr().out.strip()
    assert api_with(token).get("/api/v1/me/").json()["email"] == agent.email
    assert ApiToken.objects.get(user=agent).client == "cli"


# -- Tokens from before --------------------------------------------------------------------------


def test_drf_tokens_are_carried_over_as_hashes(test_clock, manager):
    migration = importlib.import_module("officeline.accounts.migrations.0005_api_tokens")
    old_key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamp NULL, user_id bigint NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, user_id) VALUES (%s, %s)", [old_key, manager.pk]
        )
    # What the migration uses of its schema editor (SQLite opens none inside a transaction).
    editor = SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name)
    migration.carry_over_drf_tokens(apps, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
    token = ApiToken.objects.get(user=manager)
    assert old_key not in (token.digest, token.prefix)
    assert token.client == "api"
    assert api_with(old_key).get("/api/v1/me/").json()["email"] == manager.email
    test_clock.advance(dt.timedelta(days=settings.API_TOKEN_DAYS))
    assert api_with(old_key).get("/api/v1/me/").status_code == 401
