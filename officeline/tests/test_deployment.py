"""A production deployment refuses to start without its secret key, mail server and payment
provider (officeline.E001-E006), and a correctly configured one passes ``check --deploy`` clean.
Every page carries the Content-Security-Policy; production pages HSTS and the HTTPS redirect."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz-_ABCDEF"


def _production_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """Production with only what ``extra`` sets: none of the developer's or the suite's settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OFFICELINE_", "DATABASE_URL", "DJANGO_"))
    }
    env.update(OFFICELINE_DEPLOYMENT="production", OFFICELINE_VAR_DIR=str(var_dir), **extra)
    return env


def _configured(var_dir: Path) -> dict[str, str]:
    return _production_env(
        var_dir,
        OFFICELINE_SECRET_KEY=GOOD_KEY,
        OFFICELINE_ALLOWED_HOSTS="phone.example.test",
        OFFICELINE_EMAIL_HOST="smtp.example.test",
        OFFICELINE_PAYMENT_PROVIDER="stripe",
        OFFICELINE_STRIPE_SECRET_KEY="sk_live_example",
        OFFICELINE_STRIPE_WEBHOOK_SECRET="whsec_example",
    )


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_with_nothing_set_refuses_to_start(tmp_path):
    env = _production_env(tmp_path)
    for command in (["check"], ["migrate", "--noinput"]):
        result = _run(env, *command)
        output = result.stdout + result.stderr
        assert result.returncode != 0, output
        found = set(re.findall(r"officeline\.E\d{3}", output))
        assert found == {"officeline.E001", "officeline.E003", "officeline.E004"}, output
    # No host makes up its own key in production.
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_each_stand_in(tmp_path):
    env = _configured(tmp_path)
    env.update(
        OFFICELINE_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        OFFICELINE_PAYMENT_PROVIDER="sandbox",
        OFFICELINE_SECRET_KEY="short",
        OFFICELINE_DEBUG="1",
    )
    output = "".join(_run(env, "check").__dict__[k] for k in ("stdout", "stderr"))
    found = set(re.findall(r"officeline\.E\d{3}", output))
    assert found == {"officeline.E001", "officeline.E002", "officeline.E004", "officeline.E006"}
    env.update(
        OFFICELINE_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        OFFICELINE_PAYMENT_PROVIDER="stripe",
        OFFICELINE_STRIPE_WEBHOOK_SECRET="",
        OFFICELINE_SECRET_KEY=GOOD_KEY,
        OFFICELINE_DEBUG="0",
    )
    output = "".join(_run(env, "check").__dict__[k] for k in ("stdout", "stderr"))
    assert set(re.findall(r"officeline\.E\d{3}", output)) == {"officeline.E005"}


def test_the_wsgi_application_refuses_to_start_too(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import officeline.wsgi"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "officeline.E001" in result.stderr and "ImproperlyConfigured" in result.stderr


def test_configured_production_passes_check_deploy_without_a_warning(tmp_path):
    result = _run(_configured(tmp_path), "check", "--deploy")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr and "issues" not in result.stderr, result.stderr
    assert "no issues" in result.stdout


def test_demo_and_tests_still_start_without_settings(tmp_path):
    env = _production_env(tmp_path)
    env["OFFICELINE_DEPLOYMENT"] = "demo"
    result = _run(env, "check")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").exists()


@pytest.mark.django_db
def test_pages_carry_the_content_security_policy_and_no_inline_script(client):
    response = client.get("/signup/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    page = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r"\son[a-z]+=", page) and " style=" not in page


@pytest.mark.django_db
def test_production_redirects_to_https_and_sends_hsts(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = Client().get("/signup/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = Client().get("/signup/", headers={"x-forwarded-proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
