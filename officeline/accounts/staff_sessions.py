"""Staff sessions: a second factor in this session, and an end after an idle period.

Every login goes through allauth, which asks a user with an authenticator for the
TOTP code and writes what was used into the session (its authentication
records). Owning an authenticator is not enough: a staff session counts only
once allauth recorded an ``mfa`` step for this user in this very session, so a
password-only login (any path that does not go through allauth) reaches no
staff page and no staff API.

A staff session also ends after ``OFFICELINE_STAFF_SESSION_IDLE_MINUTES`` without
a request, measured on ``clock.now()`` so that tests can move the test clock.
Customers keep Django's session length (``SESSION_COOKIE_AGE``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest

from officeline import clock

# When the staff member's last request was, as an ISO 8601 instant of clock.now().
LAST_SEEN_SESSION_KEY = "officeline_staff_seen_at"


def needs_second_factor(user: Any) -> bool:
    """Operator staff (a staff role, or the Django admin's staff or superuser flags)."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and (
            getattr(user, "staff_role", "")
            or getattr(user, "is_staff", False)
            or getattr(user, "is_superuser", False)
        )
    )


def has_authenticator(user: Any) -> bool:
    """The user set up a TOTP authenticator (recovery codes alone do not count)."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def passed_second_factor(request: HttpRequest, user: Any | None = None) -> bool:
    """This session's login included a second factor for this user (allauth's records)."""
    user = user if user is not None else getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


def idle_limit() -> dt.timedelta:
    return dt.timedelta(minutes=settings.OFFICELINE_STAFF_SESSION_IDLE_MINUTES)


def idle_expired(request: HttpRequest, now: dt.datetime) -> bool:
    """The staff session saw no request for longer than the idle limit."""
    raw = request.session.get(LAST_SEEN_SESSION_KEY)
    if not raw:
        return False
    try:
        last_seen = dt.datetime.fromisoformat(raw)
    except (TypeError, ValueError):
        return True
    return now - last_seen > idle_limit()


# The last request is written down at most once a minute, not on every request.
SEEN_PRECISION = dt.timedelta(minutes=1)


def mark_seen(request: HttpRequest, now: dt.datetime) -> None:
    """Note this request as the staff member's latest (to the minute)."""
    raw = request.session.get(LAST_SEEN_SESSION_KEY)
    try:
        last_seen = dt.datetime.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        last_seen = None
    if last_seen is None or abs(now - last_seen) >= SEEN_PRECISION:
        request.session[LAST_SEEN_SESSION_KEY] = now.isoformat()


def start_session(request: HttpRequest, user: Any) -> None:
    """At login: a staff session's idle period starts now."""
    if needs_second_factor(user) and hasattr(request, "session"):
        request.session[LAST_SEEN_SESSION_KEY] = clock.now().isoformat()
