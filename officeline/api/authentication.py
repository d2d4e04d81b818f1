"""API authentication: a staff session counts only once it passed the second factor.

A browser session of a staff member (the console's pages calling the API, or a
staff member's browser) authenticates API requests like any session, but only
when allauth recorded a TOTP step in that session: a staff password alone never
reaches the staff API. Token authentication is unchanged here.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request

from officeline.accounts.staff_sessions import needs_second_factor, passed_second_factor


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

    target_class = "officeline.api.authentication.SecondFactorSessionAuthentication"
