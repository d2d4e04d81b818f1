"""TOTP for staff: every user with a staff role logs in with a second factor.

allauth.mfa asks for the TOTP code at login once a user has an authenticator;
the console's ``StaffMFAMiddleware`` sends a staff user who has none to set one up before
any console (or Django admin) page, and logs out a staff session that did not
pass the code (``officeline.accounts.staff_sessions``).
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt

from officeline.accounts.staff_sessions import has_authenticator


def has_totp(user: Any) -> bool:
    return has_authenticator(user)


def totp_secret(user: Any) -> str | None:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return decrypt(authenticator.data["secret"]) if authenticator else None


def enrol_totp(user: Any, secret: str | None = None) -> str:
    """Give a user a TOTP authenticator (demo staff and tests); returns the secret."""
    existing = totp_secret(user)
    if existing is not None:
        return existing
    secret = secret or generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def current_code(secret: str) -> str:
    """The TOTP code of this moment, as an authenticator app shows it (RFC 6238)."""
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))
