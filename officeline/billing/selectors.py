"""Reads of billing data, always scoped to one customer first."""

from __future__ import annotations

from django.db.models import QuerySet

from officeline.billing.models import Invoice


def customer_invoices(customer_id: int) -> QuerySet[Invoice]:
    return Invoice.objects.filter(customer_id=customer_id).order_by("-issued_at", "-sequence")


def customer_invoice(customer_id: int, number: str) -> Invoice:
    """The customer's invoice by number; another customer's number is ``Invoice.DoesNotExist``."""
    return customer_invoices(customer_id).prefetch_related("lines", "payments").get(number=number)
