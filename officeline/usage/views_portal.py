"""The business's call log in the portal (PRIV-2: traffic data, shown to the customer's own
people, within the market's call-log limits, PRIV-3)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from officeline import clock
from officeline.accounts.permissions import CustomerRequiredMixin
from officeline.usage.calllog import call_log, limits

PAGE_SIZE = 50


class CallListView(CustomerRequiredMixin, TemplateView):
    template_name = "usage/portal/calls.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = Paginator(call_log(self.customer, clock.now()), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            limits=limits(self.customer.market),
            page=page,
            calls=page.object_list,
            time_zone=self.customer.market_definition.time_zone,
        )
        return context
