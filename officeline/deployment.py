"""What a production deployment must have before it starts, and the headers every page carries.

The checks are Django system checks of our own (``officeline.E001`` ...), at Error level, so
``manage.py check``, ``migrate``, ``runserver`` and the WSGI application (gunicorn) all refuse to
start a production deployment that would sign with a made-up key, drop its email or take no
real payment. Outside production they say nothing: demo and tests run on the sandboxes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

TAG = "officeline"
# Backends that keep mail on this machine or drop it: never a delivery to a customer.
NOT_DELIVERING = {
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
SMTP = "django.core.mail.backends.smtp.EmailBackend"
MIN_SECRET_KEY_LENGTH = 50


def _production() -> bool:
    return str(getattr(settings, "DEPLOYMENT", "demo")) == "production"


def _secret_key() -> str:
    try:
        return str(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django refuses to read an empty key
        return ""


@checks.register(TAG)
def check_production(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """officeline.E001-E006: a production deployment's secret key, mail and payments."""
    if not _production():
        return []
    errors: list[checks.CheckMessage] = []
    if len(_secret_key()) < MIN_SECRET_KEY_LENGTH:
        errors.append(
            checks.Error(
                "OFFICELINE_SECRET_KEY is not set, or is shorter than "
                f"{MIN_SECRET_KEY_LENGTH} characters.",
                hint="Set the same long random value on every host, e.g. the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`.",
                id="officeline.E001",
            )
        )
    backend = str(settings.EMAIL_BACKEND)
    if backend in NOT_DELIVERING:
        errors.append(
            checks.Error(
                f"EMAIL_BACKEND is {backend}, which delivers no email.",
                hint="Unset OFFICELINE_EMAIL_BACKEND (SMTP) or name a backend that delivers.",
                id="officeline.E002",
            )
        )
    elif backend == SMTP and not settings.EMAIL_HOST:
        errors.append(
            checks.Error(
                "OFFICELINE_EMAIL_HOST is not set: no mail server to send email through.",
                hint="Set OFFICELINE_EMAIL_HOST (and OFFICELINE_EMAIL_PORT, _HOST_USER, "
                "_HOST_PASSWORD, _USE_TLS as the mail server needs).",
                id="officeline.E003",
            )
        )
    provider = str(settings.PAYMENT_PROVIDER)
    if provider != "stripe":
        errors.append(
            checks.Error(
                f"OFFICELINE_PAYMENT_PROVIDER is {provider!r}: the sandbox takes no real payment.",
                hint="Set OFFICELINE_PAYMENT_PROVIDER=stripe with its keys.",
                id="officeline.E004",
            )
        )
    elif not (settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET):
        errors.append(
            checks.Error(
                "Stripe is the payment provider but its API key or webhook secret is not set.",
                hint="Set OFFICELINE_STRIPE_SECRET_KEY and OFFICELINE_STRIPE_WEBHOOK_SECRET.",
                id="officeline.E005",
            )
        )
    if settings.DEBUG:
        errors.append(
            checks.Error(
                "OFFICELINE_DEBUG is on in production: error pages would show settings and code.",
                hint="Unset OFFICELINE_DEBUG.",
                id="officeline.E006",
            )
        )
    return errors


def refuse_to_start_if_misconfigured() -> None:
    """For the WSGI application: gunicorn runs no management command, so the checks run here."""
    serious = [m for m in checks.run_checks(tags=[TAG]) if m.is_serious()]
    if serious:
        raise ImproperlyConfigured(
            "Officeline will not start:\n" + "\n".join(f"{m.id}: {m.msg}" for m in serious)
        )


class ContentSecurityPolicyMiddleware:
    """Adds ``settings.CONTENT_SECURITY_POLICY`` to every response that has none of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = str(getattr(settings, "CONTENT_SECURITY_POLICY", ""))
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
