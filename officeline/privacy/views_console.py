"""Privacy pages of the console, for the data protection officer."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from officeline.accounts.choices import StaffRole
from officeline.accounts.permissions import StaffRequiredMixin
from officeline.markets.choices import MarketCode
from officeline.privacy.selectors import register_for_market

DPO_ONLY = (StaffRole.DPO,)


class RegisterView(StaffRequiredMixin, TemplateView):
    """PRIV-1: the register of processing, per market, with the models that hold each entry."""

    staff_roles = DPO_ONLY
    template_name = "privacy/console/register.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        market = self.request.GET.get("market", "")
        if market not in MarketCode.values:
            market = MarketCode.values[0]
        context.update(
            appendix=register_for_market(market, show_models=True), markets=MarketCode.choices
        )
        return context
