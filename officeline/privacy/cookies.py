"""Cookies (PRIV-5): only strictly necessary cookies before a choice; performance only after consent.

The policy names four categories: strictly necessary, performance, functionality
and targeting. The portal and the public pages use only the first two, and no
third-party script. Strictly necessary: the session, the CSRF token, the
language chosen with the language switch, Django's one-request messages and the
cookie that keeps the visitor's choice (``ol_cookies``). Performance: a
first-party analytics id (``ol_perf``), set only after "Accept performance
cookies" and removed when the choice becomes "Only necessary".

The choice is a signed cookie naming the choice, the version of the cookie
policy it answers and an anonymous id; each choice is also a ``CookieChoice``
row. A choice made under an older ``POLICY_VERSION`` counts as no choice: the
banner asks again and the performance cookie goes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest

CHOICE_COOKIE = "ol_cookies"
PERFORMANCE_COOKIE = "ol_perf"
# The cookie section of the privacy policy that a choice answers; change it to ask again.
POLICY_VERSION = "2026-11-25"
CHOICE_MAX_AGE = 180 * 24 * 3600  # a choice is asked again after six months
PERFORMANCE_MAX_AGE = 395 * 24 * 3600  # 13 months at most
_SALT = "officeline.privacy.cookies"


def strictly_necessary() -> frozenset[str]:
    """PRIV-5 category 1: the only cookies set before a choice (and after "Only necessary")."""
    return frozenset(
        {
            settings.SESSION_COOKIE_NAME,
            settings.CSRF_COOKIE_NAME,
            settings.LANGUAGE_COOKIE_NAME,
            getattr(settings, "MESSAGES_COOKIE_NAME", "messages"),
            CHOICE_COOKIE,
        }
    )


@dataclass(frozen=True)
class ChoiceState:
    choice: str  # a CookieChoiceValue
    anonymous_id: str
    policy_version: str

    @property
    def performance(self) -> bool:
        return self.choice == "performance"

    def cookie_value(self) -> str:
        return f"{self.policy_version}|{self.choice}|{self.anonymous_id}"


def read_choice(request: HttpRequest) -> ChoiceState | None:
    """The visitor's choice under the current policy version, or None (not chosen yet)."""
    raw = request.get_signed_cookie(CHOICE_COOKIE, default=None, salt=_SALT)
    if not raw:
        return None
    parts = str(raw).split("|")
    if len(parts) != 3 or parts[1] not in ("necessary", "performance"):
        return None
    version, choice, anonymous_id = parts
    if version != POLICY_VERSION or not anonymous_id:
        return None
    return ChoiceState(choice=choice, anonymous_id=anonymous_id, policy_version=version)


def anonymous_id_of(request: HttpRequest) -> str:
    """The id a browser's choices are recorded under: kept from an earlier choice, or new."""
    raw = request.get_signed_cookie(CHOICE_COOKIE, default=None, salt=_SALT)
    parts = str(raw or "").split("|")
    if len(parts) == 3 and 16 <= len(parts[2]) <= 64 and parts[2].isalnum():
        return parts[2]
    return secrets.token_hex(16)


def _secure() -> bool:
    return bool(settings.SESSION_COOKIE_SECURE)


def set_choice_cookie(response: Any, state: ChoiceState) -> None:
    response.set_signed_cookie(
        CHOICE_COOKIE,
        state.cookie_value(),
        salt=_SALT,
        max_age=CHOICE_MAX_AGE,
        samesite="Lax",
        httponly=True,
        secure=_secure(),
    )


def set_performance_cookie(response: Any) -> None:
    response.set_cookie(
        PERFORMANCE_COOKIE,
        secrets.token_hex(16),
        max_age=PERFORMANCE_MAX_AGE,
        samesite="Lax",
        httponly=True,
        secure=_secure(),
    )
