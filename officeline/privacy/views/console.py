"""Privacy pages of the console, for the data protection officer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from officeline import clock
from officeline.accounts.access_log import AccessLoggedMixin
from officeline.accounts.choices import AccessKind
from officeline.accounts.models import AccessLogEntry, Customer, User
from officeline.accounts.permissions import StaffRequiredMixin
from officeline.accounts.services.access_log import record_access
from officeline.billing.money import Money
from officeline.events.selectors import subject_timeline
from officeline.forms import add_service_errors
from officeline.markets.choices import MarketCode
from officeline.privacy.choices import RequestKind
from officeline.privacy.forms import (
    AccessLogSearchForm,
    DisclosureForm,
    DoubtForm,
    FeeForm,
    LegalHoldForm,
    OutcomeForm,
    PolicyOptOutSearchForm,
    ReasonForm,
    ReleaseLegalHoldForm,
    StaffRequestForm,
    VerifyIdentityForm,
)
from officeline.privacy.models import DataExport, Disclosure, LegalHold, PrivacyRequest
from officeline.privacy.selectors import (
    open_privacy_requests,
    register_for_market,
    search_access_log,
    search_policy_opt_outs,
)
from officeline.privacy.services import export_requests, rights
from officeline.privacy.services.disclosures import record_disclosure
from officeline.privacy.services.legal_holds import place_legal_hold, release_legal_hold

ACCESS_LOG_PAGE_SIZE = 100
DISCLOSURES_PAGE_SIZE = 100
OPT_OUTS_PAGE_SIZE = 100


class RegisterView(StaffRequiredMixin, TemplateView):
    """PRIV-1: the register of processing, per market, with the models that hold each entry."""

    capability = "privacy.register"
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

    capability = "access_log.read"
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


class PolicyOptOutsView(StaffRequiredMixin, TemplateView):
    """PRIV-12: the opt-outs from materially changed privacy policies, searchable by customer.

    A search names customers: each one shown is in the staff access log (PRIV-10), as the
    DPO looked their opt-out up; the unsearched list is not logged per customer.
    """

    capability = "policy_opt_outs.read"
    template_name = "privacy/console/policy_opt_outs.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = PolicyOptOutSearchForm(self.request.GET or None)
        search = form.cleaned_data["customer"] if form.is_valid() else ""
        page = Paginator(search_policy_opt_outs(customer=search), OPT_OUTS_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        if search.strip():
            now = clock.now()
            for customer in {opt_out.customer for opt_out in page.object_list}:
                record_access(
                    staff_user=self.request.user,
                    customer=customer,
                    kind=AccessKind.PERSONAL_DATA,
                    url_name="privacy_console:policy_opt_outs",
                    at=now,
                )
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(form=form, page=page, opt_outs=page.object_list, query=query.urlencode())
        return context


class DisclosuresView(StaffRequiredMixin, TemplateView):
    """PRIV-9: the disclosures to authorities, newest first."""

    capability = "disclosures.manage"
    template_name = "privacy/console/disclosures.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        disclosures = Disclosure.objects.select_related("customer")
        page = Paginator(disclosures, DISCLOSURES_PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(page=page, disclosures=page.object_list)
        return context


class RecordDisclosureView(StaffRequiredMixin, TemplateView):
    """PRIV-9: the DPO records a disclosure to an authority."""

    capability = "disclosures.manage"
    template_name = "privacy/console/disclosure_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault(
            "form", DisclosureForm(initial={"customer": self.request.GET.get("customer")})
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = DisclosureForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            customer_id = data.pop("customer")
            customer = Customer.objects.filter(pk=customer_id).first() if customer_id else None
            if customer_id and customer is None:
                form.add_error("customer", _("No customer has this number."))
            else:
                try:
                    record_disclosure(actor=cast(User, request.user), customer=customer, **data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("The disclosure is recorded."))
                    return redirect("privacy_console:disclosures")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class LegalHoldsView(StaffRequiredMixin, TemplateView):
    """PRIV-8: the legal holds, in force first; the DPO places and releases them here.

    A list, like the disclosures: opening it is not a look at one customer's data.
    """

    capability = "legal_holds.manage"
    template_name = "privacy/console/legal_holds.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        holds = LegalHold.objects.select_related("customer", "placed_by", "released_by").order_by(
            F("released_at").desc(nulls_first=True), "-placed_at", "-id"
        )
        page = Paginator(holds, DISCLOSURES_PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.setdefault(
            "form", LegalHoldForm(initial={"customer": self.request.GET.get("customer")})
        )
        context.update(page=page, holds=page.object_list)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "hold" in request.POST:
            return self._release(request)
        form = LegalHoldForm(request.POST)
        if form.is_valid():
            customer = Customer.objects.filter(pk=form.cleaned_data["customer"]).first()
            if customer is None:
                form.add_error("customer", _("No customer has this number."))
            else:
                try:
                    place_legal_hold(
                        actor=cast(User, request.user),
                        customer=customer,
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("The legal hold is in force."))
                    return redirect("privacy_console:legal_holds")
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def _release(self, request: HttpRequest) -> HttpResponse:
        form = ReleaseLegalHoldForm(request.POST)
        hold = None
        if form.is_valid():
            hold = LegalHold.objects.filter(pk=form.cleaned_data["hold"]).first()
            if hold is None:
                form.add_error("hold", _("No legal hold has this number."))
        if form.is_valid() and hold is not None:
            try:
                release_legal_hold(
                    actor=cast(User, request.user),
                    hold=hold,
                    reason=form.cleaned_data["release_reason"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The legal hold is released."))
                return redirect("privacy_console:legal_holds")
        else:
            for errors in form.errors.values():
                messages.error(request, " ".join(str(e) for e in errors))
        return self.render_to_response(self.get_context_data(), status=400)


# -- Privacy requests (PRIV-6, PRIV-7) --------------------------------------------------------

REQUEST_ACTIONS: dict[str, tuple[type[forms.Form] | None, Callable[..., Any]]] = {
    "verify": (
        VerifyIdentityForm,
        lambda r, u, d: rights.verify_identity(request=r, actor=u, **d),
    ),
    "doubt": (DoubtForm, lambda r, u, d: rights.ask_for_more_proof(request=r, actor=u, **d)),
    "fee": (FeeForm, lambda r, u, d: rights.charge_fee(request=r, actor=u, **d)),
    "extend": (ReasonForm, lambda r, u, d: rights.extend(request=r, actor=u, **d)),
    "export": (None, lambda r, u, d: export_requests.send_export(request=r, actor=u)),
    "erase": (None, lambda r, u, d: rights.erase(request=r, actor=u)),
    "complete": (OutcomeForm, lambda r, u, d: rights.complete(request=r, actor=u, **d)),
}


def step_applies(name: str, kind: str) -> bool:
    """The steps that answer one kind of request: the export, the erasure, or by hand."""
    if name == "export":
        return kind == RequestKind.ACCESS
    if name == "erase":
        return kind == RequestKind.ERASURE
    if name == "complete":
        return kind != RequestKind.ERASURE
    return True


class PrivacyRequestsView(StaffRequiredMixin, TemplateView):
    """PRIV-6, PRIV-7: the requests to answer, by deadline (late ones first and flagged)."""

    capability = "privacy.requests"
    template_name = "privacy/console/requests.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = clock.now()
        context.update(rows=open_privacy_requests(now), now=now)
        return context


class PrivacyRequestView(AccessLoggedMixin, TemplateView):
    """PRIV-6, PRIV-7: one request with its deadlines and the steps it allows; logged (PRIV-10)."""

    capability = "privacy.requests"
    access_kind = AccessKind.PERSONAL_DATA
    access_model = PrivacyRequest.objects.select_related("customer", "person")
    access_customer_field = "customer"
    template_name = "privacy/console/request.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        request = self.accessed_object
        context.update(
            privacy_request=request,
            now=clock.now(),
            timeline=subject_timeline("privacy.privacyrequest", request.pk),
            forms={
                name: (form() if form else None)
                for name, (form, _call) in REQUEST_ACTIONS.items()
                if step_applies(name, request.kind)
            },
            export=DataExport.objects.filter(request=request).first(),
            fee=Money(
                rights.fee_for(request.customer.market), request.customer.market_definition.currency
            ),
        )
        return context


class PrivacyRequestActionView(StaffRequiredMixin, View):
    """A step of a request (verify, more proof, fee, extend, complete): a write that shows nothing."""

    capability = "privacy.requests"
    access_log_exempt = "a write that shows nothing: each step is an event on the request"

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        privacy_request = get_object_or_404(PrivacyRequest, pk=pk)
        if action not in REQUEST_ACTIONS:
            raise Http404
        form_class, call = REQUEST_ACTIONS[action]
        data: dict[str, Any] = {}
        if form_class is not None:
            form = form_class(request.POST)
            if not form.is_valid():
                for field, errors in form.errors.items():
                    messages.error(request, f"{field}: {' '.join(str(e) for e in errors)}")
                return redirect("privacy_console:request", pk=pk)
            data = form.cleaned_data
        try:
            call(privacy_request, request.user, data)
        except ValidationError as exc:
            for name, problems in exc.message_dict.items():
                messages.error(request, f"{name}: {' '.join(problems)}")
        else:
            messages.success(request, _("Done."))
        return redirect("privacy_console:request", pk=pk)


class RecordPrivacyRequestView(AccessLoggedMixin, TemplateView):
    """PRIV-6, PRIV-7: staff record a request made by phone, letter or ticket (shows the
    customer's people, so each view is logged)."""

    capability = rights.RECORDING_CAPABILITY
    access_kind = AccessKind.PERSONAL_DATA
    access_url_kwarg = "customer_id"
    template_name = "privacy/console/request_new.html"

    def _form(self, data: Any = None) -> StaffRequestForm:
        people = self.accessed_customer.people.order_by("pk")
        return StaffRequestForm(data, people=people)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self._form())
        context["customer"] = self.accessed_customer
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        customer = self.accessed_customer
        form = self._form(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            person = customer.people.filter(pk=data.pop("person")).first()
            try:
                created = rights.receive_request(
                    customer=customer,
                    person=person,
                    actor=cast(User, request.user),
                    **data,  # type: ignore[arg-type]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Recorded as %s.") % created.reference)
                if self.may(rights.ANSWERING_CAPABILITY):
                    return redirect("privacy_console:request", pk=created.pk)
                return redirect("console:customer", pk=customer.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)
