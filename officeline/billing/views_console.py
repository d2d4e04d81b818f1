"""Billing in the staff console: the price lists and scheduling a change (LIFE-5, BILL-13)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from officeline.accounts.choices import StaffRole
from officeline.accounts.permissions import StaffRequiredMixin
from officeline.billing.forms import PriceChangeForm
from officeline.billing.models import PriceList
from officeline.billing.prices import PriceChange, schedule_price_change
from officeline.markets.definitions import MARKETS

PRICE_ROLES = {StaffRole.SUPERVISOR, StaffRole.DIRECTOR}


class PriceListsView(StaffRequiredMixin, View):
    template = "billing/console/prices.html"

    def _context(self, form: PriceChangeForm) -> dict[str, Any]:
        user: Any = self.request.user
        return {
            "markets": [
                {"market": market, "lists": PriceList.objects.filter(market=code)}
                for code, market in MARKETS.items()
            ],
            "form": form,
            "can_change": user.staff_role in PRICE_ROLES,
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, self._context(PriceChangeForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if user.staff_role not in PRICE_ROLES:
            raise PermissionDenied("changing prices needs the supervisor or director role")
        form = PriceChangeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                price_list = schedule_price_change(
                    market=data["market"],
                    effective_from=data["effective_from"],
                    prices=PriceChange(
                        monthly_fee_minor=data["monthly_fee_minor"],
                        setup_fee_minor=data["setup_fee_minor"],
                        reactivation_fee_minor=data["reactivation_fee_minor"],
                        third_party_fee_bp=data["third_party_fee_bp"],
                    ),
                    actor=user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    target = field.removesuffix("_minor").removesuffix("_bp")
                    form.add_error(target if target in form.fields else None, errors)
            else:
                if price_list.disadvantages_customers:
                    messages.success(
                        request, _("Scheduled; the market's customers have been told by email.")
                    )
                else:
                    messages.success(request, _("Scheduled."))
                return redirect("billing_console:prices")
        return render(request, self.template, self._context(form), status=400)
