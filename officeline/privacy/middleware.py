"""PRIV-5: which cookies a response may set, by the visitor's choice."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from officeline.documents.choices import DataUse
from officeline.privacy import cookies
from officeline.privacy.uses import uses_allowed

log = logging.getLogger(__name__)


def _analytics_allowed(request: HttpRequest) -> bool:
    """PRIV-12: no performance cookie for a person whose business opted out of analytics."""
    user = getattr(request, "user", None)
    customer = getattr(user, "customer", None) if user and user.is_authenticated else None
    return uses_allowed(customer, DataUse.ANALYTICS)


class CookieConsentMiddleware:
    """Reads the visitor's cookie choice (``request.cookie_choice``) and enforces it.

    Before a choice, and after "Only necessary", a response sets only strictly
    necessary cookies: any other is dropped (and logged), and a performance
    cookie the browser still holds is removed. After "Accept performance
    cookies", the first-party performance cookie is set once.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.cookie_choice = cookies.read_choice(request)  # type: ignore[attr-defined]
        response = self.get_response(request)
        # A view that records a new choice leaves it on the request.
        state = getattr(request, "cookie_choice", None)
        performance = state is not None and state.performance and _analytics_allowed(request)
        allowed = cookies.strictly_necessary() | (
            {cookies.PERFORMANCE_COOKIE} if performance else set()
        )
        for name in list(response.cookies):
            morsel = response.cookies[name]
            deleting = morsel["max-age"] == 0 or str(morsel["max-age"]) == "0"
            if name not in allowed and not deleting:
                log.warning("PRIV-5: cookie %s dropped, not allowed by the visitor's choice", name)
                del response.cookies[name]
        if performance:
            if cookies.PERFORMANCE_COOKIE not in request.COOKIES:
                cookies.set_performance_cookie(response)
        elif cookies.PERFORMANCE_COOKIE in request.COOKIES:
            response.delete_cookie(cookies.PERFORMANCE_COOKIE, samesite="Lax")
        return response
