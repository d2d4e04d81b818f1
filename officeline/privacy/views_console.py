"""Privacy pages of the console, for the data protection officer."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from officeline.accounts.choices import StaffRole
from officeline.accounts.permissions import StaffRequiredMixin
from officeline.markets.choices import MarketCode
from officeline.privacy.forms import AccessLogSearchForm
from officeline.privacy.models import AccessLogEntry
from officeline.privacy.selectors import register_for_market, search_access_log

DPO_ONLY = (StaffRole.DPO,)
ACCESS_LOG_PAGE_SIZE = 100


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


class AccessLogView(StaffRequiredMixin, TemplateView):
    """PRIV-10: the DPO searches the staff access log by customer, staff member, dates and kind."""

    staff_roles = DPO_ONLY
    template_name = "privacy/console/access_log.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = AccessLogSearchForm(self.request.GET or None)
        entries = AccessLogEntry.objects.none()
        if not form.is_bound:
            entries = search_access_log()
        elif form.is_valid():
            entries = search_access_log(**form.cleaned_data)
        page = Paginator(entries, ACCESS_LOG_PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(form=form, page=page, entries=page.object_list, query=query.urlencode())
        return context

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> Any:
        if context["form"].errors:
            kwargs["status"] = 400
        return super().render_to_response(context, **kwargs)
