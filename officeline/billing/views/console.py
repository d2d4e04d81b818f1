"""Billing in the staff console: the price lists and scheduling a change (LIFE-5, BILL-13), a
customer's invoices and credit notes (BILL-5, BILL-9, refunds to the card), third-party charges
recorded from the carrier's statement (BILL-10), line plans (BILL-11, AUP-2), and the operator's
termination of the service (LIFE-2, LIFE-4, AUP-4)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from officeline import clock
from officeline.accounts.access_log import AccessLoggedMixin
from officeline.accounts.choices import AccessKind
from officeline.accounts.models import User
from officeline.accounts.permissions import StaffRequiredMixin
from officeline.billing import selectors
from officeline.billing.choices import InvoiceKind, Plan, TerminationKind, ThirdPartySource
from officeline.billing.forms.console import (
    CreditNoteForm,
    LinePlanForm,
    OperatorTerminationForm,
    PriceChangeForm,
    ThirdPartyChargeForm,
)
from officeline.billing.models import Invoice, LinePlan, PriceList, Refund, ThirdPartyCharge
from officeline.billing.services import documents
from officeline.billing.services.credit_notes import issue_credit_note
from officeline.billing.services.plans import change_line_plan, plan_in_force
from officeline.billing.services.prices import PriceChange, schedule_price_change
from officeline.billing.services.termination import (
    operator_termination_terms,
    terminate_by_operator,
)
from officeline.billing.services.third_party import line_with_number, record_third_party_charge
from officeline.forms import add_service_errors
from officeline.lines.models import Line
from officeline.markets.deadlines import local_date
from officeline.markets.definitions import MARKETS, get_market


class PriceListsView(StaffRequiredMixin, View):
    """The price lists of every market; supervisors and the Director schedule a change."""

    capability = "console.use"
    template = "billing/console/prices.html"

    def _context(self, form: PriceChangeForm) -> dict[str, Any]:
        return {
            "markets": [
                {"market": market, "lists": PriceList.objects.filter(market=code)}
                for code, market in MARKETS.items()
            ],
            "form": form,
            "can_change": self.may("prices.change"),
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, self._context(PriceChangeForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if not self.may("prices.change"):
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


class CustomerInvoicesView(AccessLoggedMixin, View):
    """A customer's invoices and credit notes, each with its PDF."""

    capability = "invoices.read"
    access_url_kwarg = "customer_id"

    def get(self, request: HttpRequest, customer_id: int) -> HttpResponse:
        invoices = list(
            selectors.customer_invoices(customer_id).select_related("credits", "refund")
        )
        return render(
            request,
            "billing/console/customer_invoices.html",
            {
                "customer": self.accessed_customer,
                "invoices": [i for i in invoices if i.kind == InvoiceKind.INVOICE],
                "credit_notes": [i for i in invoices if i.kind == InvoiceKind.CREDIT_NOTE],
            },
        )


class _InvoiceAccessMixin(AccessLoggedMixin):
    capability = "invoices.read"
    access_model = Invoice.objects.select_related("customer", "credits")
    access_url_kwarg = "invoice_id"
    access_customer_field = "customer"
    access_kind = AccessKind.PERSONAL_DATA


class InvoiceView(_InvoiceAccessMixin, View):
    """An invoice or credit note; on an invoice, staff who may issue a credit note for some of
    its lines, with a reason (BILL-5; BILL-9 refuses a credit for an outage)."""

    template = "billing/console/invoice.html"

    def _may_credit(self) -> bool:
        return self.may("billing.act") and self.accessed_object.kind == InvoiceKind.INVOICE

    def _render(self, form: CreditNoteForm | None, status: int = 200) -> HttpResponse:
        invoice = self.accessed_object
        context = documents.invoice_context(invoice)
        context.update(
            customer=self.accessed_customer,
            form=form,
            credit_notes=invoice.credit_notes.select_related("credits", "refund").order_by(
                "sequence"
            ),
        )
        return render(self.request, self.template, context, status=status)

    def get(self, request: HttpRequest, invoice_id: int) -> HttpResponse:
        form = CreditNoteForm(invoice=self.accessed_object) if self._may_credit() else None
        return self._render(form)

    def post(self, request: HttpRequest, invoice_id: int) -> HttpResponse:
        if not self._may_credit():
            raise PermissionDenied(
                "issuing a credit note needs the billing, supervisor or director role"
            )
        invoice = self.accessed_object
        form = CreditNoteForm(request.POST, invoice=invoice)
        if form.is_valid():
            try:
                note = issue_credit_note(
                    invoice=invoice,
                    actor=_actor(request),
                    reason=form.cleaned_data["reason"],
                    positions=form.cleaned_data["positions"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _credit_note_message(note))
                return redirect("billing_console:invoice", invoice.pk)
        return self._render(form, status=400)


def _credit_note_message(note: Invoice) -> str:
    refund = Refund.objects.filter(credit_note=note).first()
    if refund is None:
        return _("Credit note %(number)s is issued; the invoice is no longer collected.") % {
            "number": note.number
        }
    return _("Credit note %(number)s is issued; refund to the card: %(status)s.") % {
        "number": note.number,
        "status": refund.get_status_display(),
    }


class InvoicePDFView(_InvoiceAccessMixin, View):
    """The PDF of an invoice or a credit note, as the customer has it."""

    def get(self, request: HttpRequest, invoice_id: int) -> HttpResponse:
        invoice = self.accessed_object
        response = HttpResponse(documents.invoice_pdf(invoice), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
        return response


class TerminateView(AccessLoggedMixin, View):
    """LIFE-2: a supervisor or the Director ends a customer's service on a ground, after a
    confirmation step showing when it takes effect and what is charged (LIFE-4, AUP-4)."""

    capability = "service.terminate"
    access_url_kwarg = "customer_id"
    template = "billing/console/terminate.html"

    def _render(
        self, form: OperatorTerminationForm, terms: Any = None, status: int = 200
    ) -> HttpResponse:
        context: dict[str, Any] = {"customer": self.accessed_customer, "form": form, "terms": terms}
        if terms is not None:
            context["ground"] = TerminationKind(form.cleaned_data["kind"]).label
            context["periods"] = form.cleaned_data["abnormal_periods"]
        return render(self.request, self.template, context, status=status)

    def get(self, request: HttpRequest, customer_id: int) -> HttpResponse:
        # An acceptable-use review links here with its ground and days (AUP-3, AUP-4).
        initial = {k: request.GET[k] for k in ("kind", "abnormal_periods") if k in request.GET}
        return self._render(OperatorTerminationForm(initial=initial))

    def post(self, request: HttpRequest, customer_id: int) -> HttpResponse:
        form = OperatorTerminationForm(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        customer = self.accessed_customer
        data = form.cleaned_data
        try:
            if request.POST.get("confirmed") != "yes":
                terms = operator_termination_terms(
                    customer=customer,
                    kind=data["kind"],
                    abnormal_periods=data["abnormal_periods"],
                    now=clock.now(),
                )
                return self._render(form, terms)
            termination = terminate_by_operator(
                customer=customer,
                kind=data["kind"],
                actor=_actor(request),
                note=data["note"],
                abnormal_periods=data["abnormal_periods"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(form, status=400)
        if termination is None:
            form.add_error(None, _("The service is already ending; that termination stands."))
            return self._render(form, status=400)
        messages.success(
            request,
            _("The service ends on %(day)s; the customer is notified in writing.")
            % {"day": local_date(customer.market, termination.effective_at).isoformat()},
        )
        return redirect("console:customer", customer.pk)


class _CustomerFormView(AccessLoggedMixin, View):
    """A form on one customer's console page, for the roles that put charges on invoices."""

    capability = "billing.act"
    access_url_kwarg = "customer_id"
    template = ""

    def context(self) -> dict[str, Any]:
        raise NotImplementedError

    def _render(self, form: Any, status: int = 200) -> HttpResponse:
        context = {"customer": self.accessed_customer, "form": form, **self.context()}
        return render(self.request, self.template, context, status=status)


class ThirdPartyChargesView(_CustomerFormView):
    """BILL-10: the customer's third-party charges, and recording one from the carrier's
    statement (as ``officeline third-party-charge`` does)."""

    template = "billing/console/third_party_charges.html"

    def context(self) -> dict[str, Any]:
        charges = ThirdPartyCharge.objects.filter(customer=self.accessed_customer)
        return {"charges": charges.select_related("invoice_line__invoice").order_by("-occurred_at")}

    def get(self, request: HttpRequest, customer_id: int) -> HttpResponse:
        return self._render(ThirdPartyChargeForm(customer=self.accessed_customer))

    def post(self, request: HttpRequest, customer_id: int) -> HttpResponse:
        form = ThirdPartyChargeForm(request.POST, customer=self.accessed_customer)
        if not form.is_valid():
            return self._render(form, status=400)
        data = form.cleaned_data
        line: Line = data["line"]
        if line_with_number(line.number.e164, data["occurred_at"]) != line:
            form.add_error(
                "occurred_at", _("This customer did not have that number at that moment.")
            )
            return self._render(form, status=400)
        try:
            charge, created = record_third_party_charge(
                phone_number=line.number.e164,
                service=data["service"],
                amount=data["amount"],
                occurred_at=data["occurred_at"],
                source=ThirdPartySource.STAFF,
                actor=_actor(request),
                reference=data["reference"],
                description=data["description"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"phone_number": "line"})
            return self._render(form, status=400)
        if created:
            messages.success(
                request, _("Recorded; it is billed on the next invoice at cost plus the fee.")
            )
        else:
            messages.info(
                request,
                _("The reference %(reference)s is already recorded; nothing was added.")
                % {"reference": charge.reference},
            )
        return redirect("billing_console:third_party_charges", self.accessed_customer.pk)


class LinePlansView(_CustomerFormView):
    """BILL-11, AUP-2: the plan of each of the customer's lines, its history, and a change (as
    ``officeline line-plan`` does)."""

    template = "billing/console/line_plans.html"

    def context(self) -> dict[str, Any]:
        now = clock.now()
        lines = Line.objects.filter(customer=self.accessed_customer).select_related("number")
        return {
            "lines": [
                {"line": line, "plan": Plan(plan_in_force(line, now)).label}
                for line in lines.order_by("number__e164")
            ],
            "changes": LinePlan.objects.filter(line__customer=self.accessed_customer)
            .select_related("line__number", "set_by")
            .order_by("-effective_at", "-pk"),
        }

    def get(self, request: HttpRequest, customer_id: int) -> HttpResponse:
        return self._render(LinePlanForm(customer=self.accessed_customer))

    def post(self, request: HttpRequest, customer_id: int) -> HttpResponse:
        form = LinePlanForm(request.POST, customer=self.accessed_customer)
        if not form.is_valid():
            return self._render(form, status=400)
        data = form.cleaned_data
        try:
            row = change_line_plan(
                line=data["line"],
                plan=data["plan"],
                actor=_actor(request),
                reason=data["reason"],
                effective_at=data["effective_at"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(form, status=400)
        market = get_market(self.accessed_customer.market)
        messages.success(
            request,
            _("Line %(number)s: %(plan)s from %(when)s; the customer is notified in writing.")
            % {
                "number": data["line"].number.e164,
                "plan": row.get_plan_display(),
                "when": row.effective_at.astimezone(market.tz).strftime("%Y-%m-%d %H:%M"),
            },
        )
        return redirect("billing_console:line_plans", self.accessed_customer.pk)


def _actor(request: HttpRequest) -> User:
    """The person logged in: the view's mixin lets no one else in."""
    return cast(User, request.user)
