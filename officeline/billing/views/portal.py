"""Billing in the Office Manager's portal: invoices (BILL-5) and cancelling (LIFE-3, BILL-4)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from officeline import clock
from officeline.accounts.models import User
from officeline.accounts.permissions import CustomerRequiredMixin
from officeline.billing import selectors
from officeline.billing.choices import InvoiceStatus
from officeline.billing.forms.portal import CancelForm
from officeline.billing.models import Invoice, PaymentMethod, Termination
from officeline.billing.payments import PaymentProviderError
from officeline.billing.services import card_setup, cards, documents, termination
from officeline.forms import add_service_errors
from officeline.markets.deadlines import local_date


class InvoiceListView(CustomerRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        invoices = selectors.customer_invoices(self.customer.pk)
        return render(request, "billing/portal/invoices.html", {"invoices": invoices})


class _InvoiceMixin(CustomerRequiredMixin):
    def invoice(self, number: str) -> Invoice:
        try:
            return selectors.customer_invoice(self.customer.pk, number)
        except Invoice.DoesNotExist:
            raise Http404("no such invoice") from None


class InvoiceDetailView(_InvoiceMixin, View):
    def get(self, request: HttpRequest, number: str) -> HttpResponse:
        invoice = self.invoice(number)
        return render(request, "billing/portal/invoice.html", documents.invoice_context(invoice))


class InvoicePDFView(_InvoiceMixin, View):
    statement = False

    def get(self, request: HttpRequest, number: str) -> HttpResponse:
        invoice = self.invoice(number)
        pdf = documents.statement_pdf(invoice) if self.statement else documents.invoice_pdf(invoice)
        name = f"{invoice.number}-statement.pdf" if self.statement else f"{invoice.number}.pdf"
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response


class CancelView(CustomerRequiredMixin, View):
    """LIFE-3, BILL-4: the Office Manager cancels a line or the whole service, seeing first
    when it takes effect and whether the next period is still billed."""

    template = "billing/portal/cancel.html"
    office_manager_only = True

    def _context(self, form: CancelForm) -> dict[str, object]:
        today = local_date(self.customer.market, clock.now())
        return {
            "form": form,
            "terms": termination.cancellation_terms(self.customer, today),
            "pending": Termination.objects.filter(
                customer=self.customer, completed_at__isnull=True
            ).select_related("line__number"),
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, self._context(CancelForm(customer=self.customer)))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CancelForm(request.POST, customer=self.customer)
        if form.is_valid():
            try:
                termination.request_cancellation(
                    customer=self.customer, actor=_actor(request), line=form.cleaned_data["line"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Your cancellation is recorded; we have emailed you its terms.")
                )
                return redirect("billing_portal:cancel")
        return render(request, self.template, self._context(form), status=400)


# The Checkout Session started for the Office Manager's card replacement, in their session.
CARD_SETUP_SESSION = "officeline_card_setup"


class CardView(CustomerRequiredMixin, View):
    """BILL-7: the card on file, what is unpaid, and replacing the card."""

    office_manager_only = True

    def get(self, request: HttpRequest) -> HttpResponse:
        card = (
            PaymentMethod.objects.filter(customer=self.customer)
            .order_by("-is_default", "-created_at")
            .first()
        )
        unpaid = selectors.customer_invoices(self.customer.pk).filter(status=InvoiceStatus.UNPAID)
        return render(request, "billing/portal/card.html", {"card": card, "unpaid": unpaid})


class CardStartView(CustomerRequiredMixin, View):
    """BILL-7: off to the configured provider's card page (ACC-3), the one sign-up uses. A POST,
    for the Stripe customer the account already has when it has one."""

    office_manager_only = True

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            url = card_setup.start(
                request,
                key=CARD_SETUP_SESSION,
                email=self.customer.email,
                name=self.customer.legal_name,
                return_to=reverse("billing_portal:card_return"),
                cancel_to=reverse("billing_portal:card"),
                stripe_customer=cards.stripe_customer_id(self.customer),
            )
        except PaymentProviderError:
            messages.error(
                request,
                _("The card page cannot be reached just now. Please try again in a few minutes."),
            )
            return redirect("billing_portal:card")
        return redirect(url)


class CardReturnView(CustomerRequiredMixin, View):
    """Back from the provider's page with the new card (the number never reaches us); only the
    Checkout Session started for this account is accepted."""

    office_manager_only = True

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            provider, details = card_setup.finish(request, key=CARD_SETUP_SESSION)
        except card_setup.CARD_NOT_SAVED:
            messages.error(request, _("The card was not saved. Please enter it again."))
            return redirect("billing_portal:card")
        cards.replace_card(
            customer=self.customer, card=details, provider=provider, actor=_actor(request)
        )
        payments = cards.collect_now(customer=self.customer)
        if any(p.outcome != "succeeded" for p in payments):
            messages.error(request, _("Your new card is saved, but the payment failed."))
        elif payments:
            messages.success(request, _("Your new card is saved and what you owed is paid."))
        else:
            messages.success(request, _("Your new card is saved."))
        return redirect("billing_portal:card")


class StopChargingView(CustomerRequiredMixin, View):
    """BILL-6: the Office Manager stops automatic charging (a written revocation)."""

    office_manager_only = True

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            cards.stop_automatic_charging(customer=self.customer, actor=_actor(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Automatic charging is stopped; we have emailed you."))
        return redirect("billing_portal:card")


def _actor(request: HttpRequest) -> User:
    """The person logged in: the view's mixin lets no one else in."""
    return cast(User, request.user)
