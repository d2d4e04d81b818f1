"""Invoices in the Office Manager's portal (BILL-5): the list, each invoice's statement, the PDFs."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from officeline.accounts.permissions import CustomerRequiredMixin
from officeline.billing import documents, selectors
from officeline.billing.models import Invoice


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
