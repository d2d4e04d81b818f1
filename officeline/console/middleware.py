"""Staff sessions: TOTP in this very session for every console page, and an idle timeout."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.staff_sessions import (
    has_authenticator,
    idle_expired,
    idle_limit,
    mark_seen,
    needs_second_factor,
    passed_second_factor,
)

# Namespaces that are console pages: the console itself, every app's
# ``<app>_console`` pages, and the Django admin.
EXTRA_NAMESPACES = {"console", "admin"}


def is_console_namespace(namespace: str) -> bool:
    first = namespace.split(":")[0]
    return first in EXTRA_NAMESPACES or first.endswith("_console")


class StaffMFAMiddleware:
    """Staff reach console pages only from a session that passed TOTP, and not after idling.

    TOTP is mandatory for every staff user (a staff role, or the Django admin's
    staff flag). A staff user without an authenticator is sent to set one up;
    one whose session did not pass the second factor (a login that did not go
    through allauth's TOTP step) is logged out and sent to log in again. A staff
    session ends after ``OFFICELINE_STAFF_SESSION_IDLE_MINUTES`` without a
    request (on the clock app's time). Customers and anonymous users are left
    to the views' own permission checks; the API checks the second factor in
    its session authentication (``officeline.accounts.api.authentication``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        if needs_second_factor(user):
            now = clock.now()
            if idle_expired(request, now):
                logout(request)
                minutes = int(idle_limit().total_seconds() // 60)
                messages.info(
                    request,
                    _(
                        "You were logged out after %(minutes)d minutes without activity. "
                        "Log in again."
                    )
                    % {"minutes": minutes},
                )
            else:
                mark_seen(request, now)
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS") and needs_second_factor(
            getattr(request, "user", None)
        ):
            # A request that moved the test clock forward must not end the session it ran in.
            mark_seen(request, clock.now())
        return response

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        user: Any = getattr(request, "user", None)
        if match is None or not needs_second_factor(user):
            return None
        if not is_console_namespace(match.namespace):
            return None
        if not has_authenticator(user):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('mfa_activate_totp')}?{query}")
        if passed_second_factor(request, user):
            return None
        # An authenticator, but this session never asked for its code: log in again.
        logout(request)
        messages.info(request, _("Log in again with the code of your authenticator app."))
        return redirect_to_login(request.get_full_path(), reverse("account_login"))
