"""Billing in the Office Manager's portal: invoices (BILL-5) and cancelling (LIFE-3, BILL-4)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from officeline import clock
from officeline.accounts.permissions import CustomerRequiredMixin
from officeline.billing import documents, selectors, termination
from officeline.billing.forms import CancelForm
from officeline.billing.models import Invoice, Termination
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
                    customer=self.customer, actor=request.user, line=form.cleaned_data["line"]
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request, _("Your cancellation is recorded; we have emailed you its terms.")
                )
                return redirect("billing_portal:cancel")
        return render(request, self.template, self._context(form), status=400)
