"""PRIV-5: the cookie banner's choice and the cookie settings page (plain forms, no script)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from officeline.privacy import cookies
from officeline.privacy.services.cookie_choices import record_cookie_choice


def safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


class CookieSettingsView(View):
    """GET: what each category is and the current choice; POST: record a choice."""

    template_name = "privacy/portal/cookies.html"

    def _context(self, request: HttpRequest, **extra: Any) -> dict[str, Any]:
        return {
            "state": getattr(request, "cookie_choice", None),
            "next": safe_next(request, request.GET.get("next", "")),
            "necessary_cookies": sorted(cookies.strictly_necessary()),
            "performance_cookie": cookies.PERFORMANCE_COOKIE,
            "policy_version": cookies.POLICY_VERSION,
            **extra,
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, self._context(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        anonymous_id = cookies.anonymous_id_of(request)
        try:
            row = record_cookie_choice(
                choice=request.POST.get("choice", ""),
                anonymous_id=anonymous_id,
                user=user if user.is_authenticated else None,
            )
        except ValidationError as exc:
            return render(
                request,
                self.template_name,
                self._context(request, error=" ".join(exc.message_dict.get("choice", []))),
                status=400,
            )
        state = cookies.ChoiceState(
            choice=row.choice, anonymous_id=anonymous_id, policy_version=row.policy_version
        )
        # The middleware sets or removes the performance cookie by this new choice.
        request.cookie_choice = state  # type: ignore[attr-defined]
        response = redirect(safe_next(request, request.POST.get("next", "")))
        response.status_code = 303
        cookies.set_choice_cookie(response, state)
        return response
