"""Reading events: timelines."""

from __future__ import annotations

from django.db.models import QuerySet

from officeline.events.models import Event


def customer_timeline(customer_id: int, *, customer_view: bool = False) -> QuerySet[Event]:
    """A customer's events, oldest first; the customer's own view shows only their part."""
    qs = Event.objects.filter(customer_id=customer_id).select_related("actor")
    if customer_view:
        qs = qs.filter(customer_visible=True)
    return qs.order_by("occurred_at", "id")


def subject_timeline(subject_type: str, subject_id: object) -> QuerySet[Event]:
    return Event.objects.filter(subject_type=subject_type, subject_id=str(subject_id)).order_by(
        "occurred_at", "id"
    )
