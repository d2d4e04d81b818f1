"""A line's subscription: billed from the 7th day after its activation request (BILL-2, BILL-3),
up to the period it ended in."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from officeline import clock
from officeline.billing.models import BillingAccount, Subscription
from officeline.billing.schedule import billing_start, next_period_start
from officeline.events.services import record_event
from officeline.lines.models import Line
from officeline.markets.deadlines import local_date
from officeline.markets.definitions import get_market


def subscribe_line(*, line: Line) -> Subscription:
    """BILL-2, BILL-3: a line is billed from the 7th day after its activation request.

    The account's first line sets the account's anchor and its first period. A
    later line whose billing start is not one of the account's period starts is
    first billed pro rata, on an invoice of its own issued on its billing start,
    and with the account from its next period on.
    """
    customer = line.customer
    market = get_market(customer.market)
    starts = billing_start(local_date(market, line.activation_requested_at))
    now = clock.now()
    with transaction.atomic():
        account, _ = BillingAccount.objects.select_for_update().get_or_create(
            customer=customer,
            defaults={
                "market": customer.market,
                "anchor": starts,
                "next_period_start": starts,
                "created_at": now,
            },
        )
        aligned = next_period_start(account.anchor, starts - dt.timedelta(days=1)) == starts
        subscription = Subscription.objects.create(
            account=account,
            line=line,
            billing_starts_on=starts,
            pro_rata_due_on=None if aligned else starts,
            created_at=now,
        )
        if account.next_period_start is None:
            # Every earlier line had ended: the account's periods start again.
            account.next_period_start = next_period_start(account.anchor, starts - dt.timedelta(1))
            account.save(update_fields=["next_period_start"])
        record_event(
            action="billing.subscription_started",
            actor="system",
            customer=customer,
            subject=subscription,
            data={
                "line": line.number.e164,
                "billing_starts_on": starts.isoformat(),
                "anchor": account.anchor.isoformat(),
                "pro_rata": not aligned,
            },
            customer_visible=True,
        )
    return subscription


def end_subscription(*, line: Line, at: dt.datetime) -> Subscription | None:
    """A line ended without a cancellation deciding its last period (a completed port-out):
    it is billed up to the period it ended in, not after, with no refund (LIFE-3)."""
    subscription = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("account")
        .filter(line=line, ends_before__isnull=True)
        .first()
    )
    if subscription is None:
        return None
    ended_on = local_date(line.customer.market, at)
    subscription.ends_before = next_period_start(subscription.account.anchor, ended_on)
    if subscription.billing_starts_on >= subscription.ends_before:
        subscription.pro_rata_due_on = None  # never billed
    subscription.save(update_fields=["ends_before", "pro_rata_due_on"])
    return subscription
