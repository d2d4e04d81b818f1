"""Reads of the support app: the staff queue, a customer's tickets, the monthly report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from officeline.markets.deadlines import end_of_local_day, local_date
from officeline.support.choices import ComplaintState, DeadlineKind
from officeline.support.models import Complaint, ComplaintDeadline, Ticket


def staff_queue(now: dt.datetime) -> QuerySet[Complaint]:
    """Open complaints by their next deadline, with flags for late (a breach) and due today."""
    breached = ComplaintDeadline.objects.filter(
        complaint=OuterRef("pk"),
        breached_at__isnull=False,
        met_at__isnull=True,
        cancelled_at__isnull=True,
    )
    return (
        Complaint.objects.exclude(state=ComplaintState.CLOSED)
        .select_related("customer", "ticket")
        .annotate(late=Exists(breached))
        .order_by("next_deadline_at", "received_at")
    )


def is_due_today(complaint: Complaint, now: dt.datetime) -> bool:
    if complaint.next_deadline_at is None:
        return False
    market = complaint.customer.market
    return complaint.next_deadline_at <= end_of_local_day(market, local_date(market, now))


def customer_tickets(customer_id: int) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(customer_id=customer_id)
        .select_related("complaint")
        .order_by("-raised_at")
    )


def breaches() -> QuerySet[ComplaintDeadline]:
    return (
        ComplaintDeadline.objects.filter(breached_at__isnull=False)
        .select_related("complaint__customer", "complaint__ticket")
        .order_by("-breached_at")
    )


@dataclass(frozen=True)
class MonthlyShare:
    month: str
    market: str
    kind: str
    total: int
    on_time: int

    @property
    def percent(self) -> int:
        return round(100 * self.on_time / self.total) if self.total else 100


def monthly_report(year: int, month: int) -> list[MonthlyShare]:
    """Share of deadlines met in time, per market and kind, for deadlines due in a month."""
    rows = (
        ComplaintDeadline.objects.filter(
            due_at__year=year,
            due_at__month=month,
            kind__in=[DeadlineKind.ACKNOWLEDGE, DeadlineKind.UPDATE, DeadlineKind.RESOLVE],
            cancelled_at__isnull=True,
        )
        .filter(Q(met_at__isnull=False) | Q(breached_at__isnull=False))
        .values("complaint__customer__market", "kind")
        .annotate(
            total=Count("id"),
            on_time=Count("id", filter=Q(met_at__isnull=False, breached_at__isnull=True)),
        )
        .order_by("complaint__customer__market", "kind")
    )
    label = f"{year}-{month:02d}"
    return [
        MonthlyShare(label, r["complaint__customer__market"], r["kind"], r["total"], r["on_time"])
        for r in rows
    ]
