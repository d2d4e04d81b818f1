"""A customer's calls in the console (PRIV-2 traffic data: staff who serve customers)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from officeline.accounts.choices import StaffRole
from officeline.privacy.access import AccessLoggedMixin
from officeline.privacy.choices import AccessKind
from officeline.usage.selectors import customer_calls

PAGE_SIZE = 50
CALL_ROLES = (
    StaffRole.AGENT,
    StaffRole.SUPERVISOR,
    StaffRole.DIRECTOR,
    StaffRole.ENGINEER,
    StaffRole.BILLING,
)


class CustomerCallsView(AccessLoggedMixin, TemplateView):
    """A customer's calls; each view is logged as an access to traffic data (PRIV-10)."""

    template_name = "usage/console/customer_calls.html"
    staff_roles = CALL_ROLES
    access_kind = AccessKind.TRAFFIC_DATA
    access_url_kwarg = "customer_id"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        customer = self.accessed_customer
        page = Paginator(customer_calls(customer.pk), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            customer=customer,
            page=page,
            calls=page.object_list,
            time_zone=customer.market_definition.time_zone,
        )
        return context
