"""Reads of the usage app."""

from __future__ import annotations

from django.db.models import QuerySet

from officeline.usage.models import CallRecord


def customer_calls(customer_id: int) -> QuerySet[CallRecord]:
    """A customer's call records, newest first (the customer-and-start index)."""
    return (
        CallRecord.objects.filter(customer_id=customer_id)
        .select_related("line__number")
        .order_by("-started_at", "-id")
    )
