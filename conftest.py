"""Test-wide fixtures: the test clock, factories' users, clients."""

from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("OFFICELINE_DEPLOYMENT", "test")
os.environ.setdefault("OFFICELINE_SECRET_KEY", "test-only-not-secret")

import pytest

# The SIP tests' fixtures (a Kamailio per module), for telephony's and the apps' above it.
pytest_plugins = ["officeline.telephony.tests.fixtures"]

# Rows that data migrations seed: (migration, its function, the model it fills). A
# transactional test (SIP, browser) ends with a flush that removes them, and
# pytest-xdist's per-file scheduling can run such a file before others.
SEEDING_MIGRATIONS = (
    ("officeline.billing.migrations.0004_starting_price_lists", "forwards", "billing.PriceList"),
    (
        "officeline.markets.migrations.0003_reference_rate_history",
        "load_history",
        "markets.ReferenceRate",
    ),
)


@pytest.fixture(autouse=True)
def _seeded_rows(request):
    """Put back what the data migrations seed, for every test that uses the database."""
    if not (
        request.node.get_closest_marker("django_db")
        or {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    ):
        return
    request.getfixturevalue("_django_db_helper")
    import importlib

    from django.apps import apps

    for name, function, model in SEEDING_MIGRATIONS:
        if not apps.get_model(model).objects.exists():
            getattr(importlib.import_module(name), function)(apps, None)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a French page served by an earlier test in
    the same worker must not leave French active for the next one's messages."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _force_login_is_a_finished_login(monkeypatch):
    """``client.force_login(user)`` stands for a finished login: for a user with a TOTP
    authenticator it also records the second factor in the session, as allauth does once the
    code is entered. A test of a password-only session uses ``client.login(...)`` instead, and
    one of the real login uses allauth's pages (``accounts.tests.factories.log_in_with_totp``)."""
    from django.test.client import ClientMixin

    force_login = ClientMixin.force_login

    def force_login_with_second_factor(self, user, backend=None):
        force_login(self, user, backend)
        from allauth.account.internal.flows.login import (
            _AUTHENTICATION_METHODS_USER_SESSION_KEY,
            AUTHENTICATION_METHODS_SESSION_KEY,
        )
        from allauth.mfa.models import Authenticator

        from officeline import clock

        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is None:
            return
        session = self.session
        at = clock.now().timestamp()
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": at, "email": user.email},
            {"method": "mfa", "at": at, "id": totp.pk, "type": "totp"},
        ]
        session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
        session.save()

    monkeypatch.setattr(ClientMixin, "force_login", force_login_with_second_factor)


@pytest.fixture
def test_clock(db):
    """The test clock, frozen at 2026-11-25 10:00 UTC (a Wednesday); move it with .advance()."""
    from officeline import clock

    class TestClockHandle:
        def set(self, at: dt.datetime) -> dt.datetime:
            clock.set_test_clock(at)
            return at

        def advance(self, delta: dt.timedelta, **kwargs) -> dt.datetime:
            return clock.advance(delta, **kwargs)

        def now(self) -> dt.datetime:
            return clock.now()

    handle = TestClockHandle()
    handle.set(dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC))
    return handle


@pytest.fixture
def reference_rates(db):
    """Exactly the published reference-rate history of ``markets/rate_history.py`` (BILL-8).

    The data migration loads it too, but a test that flushes the database or
    adds rates of its own should not depend on what is left behind.
    """
    from officeline.markets.models import ReferenceRate
    from officeline.markets.rate_history import rows

    ReferenceRate.objects.all().delete()
    ReferenceRate.objects.bulk_create(
        ReferenceRate(market=market, effective_from=day, rate_bp=bp, source=source)
        for market, day, bp, source in rows()
    )
    return ReferenceRate.objects


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser_page(monkeypatch):
    """A page of Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the
    # test itself are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()
        # ORM calls made while Playwright runs use their own connection (Django's
        # connections are context-local); close it, or the test database cannot be dropped.
        connections.close_all()
