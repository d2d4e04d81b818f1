"""Staff must use TOTP: no console page without it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from officeline.console.mfa import has_totp

# Namespaces that are console pages: the console itself, every app's
# ``<app>_console`` pages, and the Django admin.
EXTRA_NAMESPACES = {"console", "admin"}


def is_console_namespace(namespace: str) -> bool:
    first = namespace.split(":")[0]
    return first in EXTRA_NAMESPACES or first.endswith("_console")


class StaffMFAMiddleware:
    """A logged-in staff user without a TOTP authenticator is sent to set one up.

    TOTP is mandatory for every user with a staff role; allauth then asks for
    the code at each login. Customers and anonymous users are left to the
    views' own permission checks.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        user: Any = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated:
            return None
        if not getattr(user, "staff_role", "") or not is_console_namespace(match.namespace):
            return None
        if has_totp(user):
            return None
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('mfa_activate_totp')}?{query}")
