"""Console pages of the accounts app: the operator's staff (PRIV-8)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from officeline import clock
from officeline.accounts.forms import StaffDepartureForm, operator_staff
from officeline.accounts.models import User
from officeline.accounts.permissions import StaffRequiredMixin
from officeline.accounts.services.staff import (
    check_staff_departure,
    former_staff_kept_until,
    record_staff_departure,
)
from officeline.forms import add_service_errors


class StaffView(StaffRequiredMixin, View):
    """PRIV-8: the Director lists the operator's staff and records that one left.

    A first post shows what will happen and writes nothing; the confirmed post records
    the departure (``services.record_staff_departure``). A list of the operator's own
    staff: no customer's data, so no access is logged (PRIV-10).
    """

    capability = "staff.manage"
    template = "accounts/console/staff.html"

    def _render(
        self, form: StaffDepartureForm, confirm: dict[str, Any] | None = None, status: int = 200
    ) -> HttpResponse:
        staff = operator_staff().order_by("left_at", "full_name", "email")
        context = {"form": form, "confirm": confirm, "staff": staff}
        return render(self.request, self.template, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(StaffDepartureForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = StaffDepartureForm(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        user, left_on = form.cleaned_data["user"], form.cleaned_data["left_on"]
        assert isinstance(request.user, User)  # StaffRequiredMixin let in a logged-in user
        now = clock.now()
        try:
            if request.POST.get("confirmed") != "yes":
                check_staff_departure(user=user, left_on=left_on, actor=request.user, now=now)
                confirm = {
                    "user": user,
                    "left_on": left_on,
                    "kept_until": former_staff_kept_until(left_on),
                }
                return self._render(form, confirm)
            record_staff_departure(user=user, left_on=left_on, actor=request.user, now=now)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(form, status=400)
        messages.success(
            request,
            _("%(email)s left on %(day)s; their login no longer works.")
            % {"email": user.email, "day": left_on.isoformat()},
        )
        return redirect("accounts_console:staff")
