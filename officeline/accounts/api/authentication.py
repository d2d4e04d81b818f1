"""Who is calling the API: API tokens (``Authorization: Token …``) and the password check that
issues them, behind the same per-account lockout as the login form; and Django's session,
which for staff counts only once it passed the second factor.

A browser session of a staff member (the console's pages calling the API, or a
staff member's browser) authenticates API requests like any session, but only
when allauth recorded a TOTP step in that session: a staff password alone never
reaches the staff API. Token authentication is unchanged here.
"""

from __future__ import annotations

import contextlib
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.request import Request

from officeline import clock
from officeline.accounts.models import ApiToken, User
from officeline.accounts.staff_sessions import needs_second_factor, passed_second_factor
from officeline.accounts.tokens import find_api_token


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <token>``: a live (unexpired) token of an active user."""

    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[User | AnonymousUser, ApiToken]:
        token = find_api_token(key, clock.now())
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        return token.user, token


class TooManyAttempts(Exception):
    """The account is locked after too many failed password attempts; nothing was checked."""


def totp_code_is_valid(user: User, code: str) -> bool:
    """``code`` is a current TOTP code of ``user``'s authenticator, not used before (allauth
    remembers used codes in the shared cache for one period)."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return bool(code) and authenticator is not None and TOTP(authenticator).validate_code(code)


def token_needs_code(user: User) -> bool:
    """Staff always log in with a TOTP code; so does anyone else who has set one up."""
    return bool(user.staff_role) or (
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


def authenticate_for_token(
    request: HttpRequest, *, email: str, password: str, otp: str
) -> User | None:
    """The user whose email, password and (where needed) TOTP code these are, or None.

    Password attempts go through allauth's adapter, so that they count in its ``login_failed``
    rate limit (``ACCOUNT_RATE_LIMITS``) under the same key as the login form's: failures at
    either lock the account at both. A right password that gets no token (staff without a
    valid code, an inactive user) answers None like a wrong one and counts as a failure too,
    or the lockout would tell the two apart. Raises ``TooManyAttempts`` while locked.
    """
    adapter = get_adapter(request)
    try:
        user = adapter.authenticate(request, email=email, password=password)
    except ValidationError:  # allauth's "too_many_login_attempts"
        raise TooManyAttempts() from None
    if not isinstance(user, User):
        return None
    if user.is_active and (not token_needs_code(user) or totp_code_is_valid(user, otp)):
        return user
    with contextlib.suppress(ValidationError):  # already locked: nothing more to count
        adapter.pre_authenticate(request, email=email)  # one more failed attempt
    return None


class StaffSecondFactorRequired(exceptions.NotAuthenticated):
    default_detail = "Staff must log in with their authenticator code to use the API."
    default_code = "second_factor_required"


class SecondFactorSessionAuthentication(SessionAuthentication):
    """Django's session, refused for staff whose session did not pass TOTP."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if needs_second_factor(user) and not passed_second_factor(request._request, user):
            raise StaffSecondFactorRequired()
        return result


class SecondFactorSessionScheme(SessionScheme):
    """In the OpenAPI schema it is the session cookie, as Django REST framework's is."""

    target_class = "officeline.accounts.api.authentication.SecondFactorSessionAuthentication"
