"""Invoices in the API (BILL-5): the list, one invoice with its lines and payments, its PDFs."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from officeline.accounts.api.base import CUSTOMER_PARAMETER, CustomerScopedAPIView
from officeline.billing import selectors
from officeline.billing.models import Invoice, InvoiceLine, Payment
from officeline.billing.services import documents


class InvoiceLineSerializer(serializers.ModelSerializer[InvoiceLine]):
    class Meta:
        model = InvoiceLine
        fields = [
            "position",
            "kind",
            "phone_number",
            "period_start",
            "period_end",
            "days",
            "days_in_period",
            "quantity",
            "unit_minor",
            "net_minor",
            "vat_rate_bp",
            "vat_minor",
        ]


class PaymentSerializer(serializers.ModelSerializer[Payment]):
    class Meta:
        model = Payment
        fields = ["attempt", "amount_minor", "currency", "outcome", "attempted_at"]


class InvoiceSerializer(serializers.ModelSerializer[Invoice]):
    class Meta:
        model = Invoice
        fields = [
            "number",
            "kind",
            "currency",
            "issued_on",
            "due_on",
            "period_start",
            "period_end",
            "net_minor",
            "vat_minor",
            "total_minor",
            "status",
            "paid_at",
        ]


class InvoiceDetailSerializer(InvoiceSerializer):
    lines = InvoiceLineSerializer(many=True)
    payments = PaymentSerializer(many=True)
    supplier = serializers.JSONField()
    buyer = serializers.JSONField()

    class Meta(InvoiceSerializer.Meta):
        fields = [*InvoiceSerializer.Meta.fields, "supplier", "buyer", "lines", "payments"]


class InvoicesView(CustomerScopedAPIView):
    """The customer's invoices, newest first; amounts in minor units of ``currency``."""

    capability = "invoices.read"  # BILL-5: the console's invoice pages too

    @extend_schema(
        operation_id="invoices_list",
        parameters=[CUSTOMER_PARAMETER],
        responses={200: InvoiceSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        invoices = selectors.customer_invoices(self.get_customer().pk)[:200]
        return Response(InvoiceSerializer(invoices, many=True).data)


class _OneInvoice(CustomerScopedAPIView):
    capability = "invoices.read"
    tenant_isolation_test = (
        "officeline.billing.tests.test_api::test_another_customers_invoice_is_not_found"
    )

    def get_invoice(self, number: str) -> Invoice:
        try:
            return selectors.customer_invoice(self.get_customer().pk, number)
        except Invoice.DoesNotExist:
            raise Http404("No such invoice.") from None


class InvoiceDetailView(_OneInvoice):
    @extend_schema(
        operation_id="invoice_read",
        parameters=[CUSTOMER_PARAMETER],
        responses={200: InvoiceDetailSerializer},
    )
    def get(self, request: Request, number: str) -> Response:
        return Response(InvoiceDetailSerializer(self.get_invoice(number)).data)


# A PDF, declared as such in the schema: the client gets ``application/pdf`` bytes, not JSON.
PDF_RESPONSE = {(200, "application/pdf"): OpenApiTypes.BINARY}


class InvoicePDFView(_OneInvoice):
    """The VAT invoice as a PDF."""

    @extend_schema(
        operation_id="invoice_pdf", parameters=[CUSTOMER_PARAMETER], responses=PDF_RESPONSE
    )
    def get(self, request: Request, number: str) -> Any:
        return _pdf(documents.invoice_pdf(self.get_invoice(number)))


class StatementPDFView(_OneInvoice):
    """The itemized statement of an invoice as a PDF."""

    @extend_schema(
        operation_id="invoice_statement_pdf",
        parameters=[CUSTOMER_PARAMETER],
        responses=PDF_RESPONSE,
    )
    def get(self, request: Request, number: str) -> Any:
        return _pdf(documents.statement_pdf(self.get_invoice(number)))


def _pdf(content: bytes) -> HttpResponse:
    return HttpResponse(content, content_type="application/pdf")
