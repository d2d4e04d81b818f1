"""A customer's calls and voicemail in the console (PRIV-2 traffic data: staff who serve
customers; the content of a voicemail only with a stated reason, PRIV-11)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest
from django.views import View
from django.views.generic import TemplateView

from officeline.accounts.choices import StaffRole
from officeline.privacy.access import AccessLoggedMixin
from officeline.privacy.choices import AccessKind
from officeline.usage import voicemail
from officeline.usage.models import Voicemail
from officeline.usage.selectors import customer_calls
from officeline.usage.views_portal import recording_response

PAGE_SIZE = 50
CALL_ROLES = (
    StaffRole.AGENT,
    StaffRole.SUPERVISOR,
    StaffRole.DIRECTOR,
    StaffRole.ENGINEER,
    StaffRole.BILLING,
)
# PRIV-11: who may listen to a message, to keep the service working or as the law allows.
LISTEN_ROLES = (
    StaffRole.AGENT,
    StaffRole.SUPERVISOR,
    StaffRole.DIRECTOR,
    StaffRole.ENGINEER,
    StaffRole.DPO,
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


class CustomerVoicemailsView(AccessLoggedMixin, TemplateView):
    """That a customer's messages exist (line, when, how long), not what they say or who left
    them; logged as an access to traffic data (PRIV-10)."""

    template_name = "usage/console/customer_voicemails.html"
    staff_roles = LISTEN_ROLES
    access_kind = AccessKind.TRAFFIC_DATA
    access_url_kwarg = "customer_id"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        customer = self.accessed_customer
        page = Paginator(voicemail.line_voicemails(customer), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            customer=customer,
            page=page,
            voicemails=page.object_list,
            time_zone=customer.market_definition.time_zone,
        )
        return context


class VoicemailAudioView(AccessLoggedMixin, View):
    """PRIV-11: a message's audio, only in answer to the stated-reason form; each listen is
    logged with its reason (PRIV-10) and needs its own. It stays new for the customer."""

    staff_roles = LISTEN_ROLES
    access_kind = AccessKind.COMMUNICATIONS
    access_model = Voicemail.objects.select_related("customer")
    access_customer_field = "customer"

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        return recording_response(self.accessed_object)
