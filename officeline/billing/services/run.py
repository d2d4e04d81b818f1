"""The invoice run, driven by ``tick`` (BILL-1, BILL-3, BILL-5).

Two kinds of work fall due on a day of the market's calendar:

- an account's period start: one invoice, in advance, with every live line's
  monthly fee for the period that starts (and a new line's setup fee), and,
  in arrears, the calls made before that start on the commercial plan, each
  call rated and listed (BILL-11, ``officeline.billing.services.rating``), and the
  third-party charges recorded since (BILL-10, ``officeline.billing.services.third_party``)
  and the interest and recovery fee of the invoices paid late since (BILL-8,
  ``officeline.billing.services.late_payment``);
- a line added after the account's anchor: its own invoice on its billing
  start, pro rata to the account's next period start (BILL-3).

Due rows are read through partial indexes and taken in batches under row locks
with SKIP LOCKED; each batch is one transaction that issues its invoices with
their numbers and moves the accounts on, so a run that crashes resumes where it
stopped, without a gap in the numbers and without issuing anything twice.
Collecting payment is separate (``officeline.billing.services.collection``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.db.models import Prefetch, Q

from officeline.billing import selectors
from officeline.billing.models import BillingAccount, Invoice, PriceList, Subscription
from officeline.billing.schedule import current_period_start, next_period_start, pro_rata_days
from officeline.billing.services import invoices, late_payment, rating, third_party
from officeline.markets.deadlines import local_date, start_of_local_day
from officeline.markets.definitions import MARKETS
from officeline.usage.models import CallRecord

BATCH = 500


def invoice_run(*, now: dt.datetime) -> int:
    """Issue every invoice due by ``now``, in each market's own calendar day."""
    issued = 0
    for code, market in MARKETS.items():
        today = local_date(market, now)
        issued += _run(code, today, now, _period_batch)
        issued += _run(code, today, now, _pro_rata_batch)
    return issued


BatchStep = Callable[[str, dt.date, dt.datetime, "_PriceCache"], tuple[int, list[Invoice]]]


def _run(market: str, today: dt.date, now: dt.datetime, batch_step: BatchStep) -> int:
    """Repeat one kind of batch, a transaction each, until a batch comes back short."""
    issued = 0
    prices = _PriceCache(market)
    while True:
        with transaction.atomic():
            taken, issued_invoices = batch_step(market, today, now, prices)
        issued += len(issued_invoices)
        if taken < BATCH:
            return issued


class _PriceCache:
    """The price list in force per day, read once per run."""

    def __init__(self, market: str) -> None:
        self.market = market
        self._by_day: dict[dt.date, PriceList] = {}

    def on(self, day: dt.date) -> PriceList:
        if day not in self._by_day:
            self._by_day[day] = selectors.price_list_in_force(self.market, day)
        return self._by_day[day]


def _live(subscription: Subscription, period_start: dt.date) -> bool:
    return subscription.billing_starts_on <= period_start and (
        subscription.ends_before is None or subscription.ends_before > period_start
    )


def _period_batch(
    market: str, today: dt.date, now: dt.datetime, prices: _PriceCache
) -> tuple[int, list[Invoice]]:
    accounts = list(
        BillingAccount.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(market=market, next_period_start__lte=today)
        .select_related("customer")
        .prefetch_related(
            Prefetch(
                "subscriptions",
                queryset=Subscription.objects.select_related("line__number").order_by("pk"),
            )
        )
        .order_by("next_period_start", "pk")[:BATCH]
    )
    drafts = []
    first_billed: dict[dt.date, list[int]] = defaultdict(list)
    calls = _commercial_calls(market, accounts)
    charges = third_party.unbilled_charges(account.customer_id for account in accounts)
    late = late_payment.unbilled_late_payments(account.customer_id for account in accounts)
    for account in accounts:
        start = account.next_period_start
        assert start is not None
        end = next_period_start(account.anchor, start)
        price = prices.on(start)
        draft = invoices.DraftInvoice(
            customer=account.customer,
            run_key=f"period:{account.pk}:{start.isoformat()}",
            period_start=start,
            period_end=end,
        )
        subscriptions = list(account.subscriptions.all())
        for subscription in subscriptions:
            if not _live(subscription, start):
                continue
            draft.lines.append(invoices.monthly_fee_line(subscription, price, start, end))
            if subscription.first_billed_on is None:
                setup = invoices.setup_fee_line(subscription, price)
                if setup:
                    draft.lines.append(setup)
                first_billed[start].append(subscription.pk)
        # BILL-11: the calls of the past period, in arrears, after the fees in advance.
        before = start_of_local_day(market, start)
        account_calls = [
            call
            for subscription in subscriptions
            for call in calls.get(subscription.line_id, ())
            if call.started_at < before
        ]
        if account_calls:
            draft.lines += rating.usage_lines(
                account_calls,
                market=market,
                prices_on=prices.on,
                period_start=current_period_start(account.anchor, start - dt.timedelta(days=1)),
                period_end=start,
            )
        # BILL-10: third-party charges recorded since the last invoice, at cost plus the fee.
        draft.lines += third_party.third_party_lines(charges.get(account.customer_id, []), price)
        # BILL-8: interest and the recovery fee of the invoices paid late since.
        draft.lines += late_payment.late_payment_lines(late.get(account.customer_id, []), market)
        drafts.append(draft)
        still_billing = any(
            s.ends_before is None or s.ends_before > end or s.billing_starts_on > start
            for s in subscriptions
        )
        account.next_period_start = end if still_billing else None
    issued = invoices.issue_drafts(drafts=drafts, now=now)
    moved: dict[dt.date | None, list[int]] = defaultdict(list)
    for account in accounts:
        moved[account.next_period_start].append(account.pk)
    for following, pks in moved.items():  # a few distinct days: one UPDATE each
        BillingAccount.objects.filter(pk__in=pks).update(next_period_start=following)
    for day, pks in first_billed.items():
        Subscription.objects.filter(pk__in=pks, first_billed_on__isnull=True).update(
            first_billed_on=day
        )
    return len(accounts), issued


def _commercial_calls(market: str, accounts: list[BillingAccount]) -> dict[int, list[CallRecord]]:
    """The batch's unbilled calls on the commercial plan, per line (one query when there are none)."""
    line_ids = [s.line_id for account in accounts for s in account.subscriptions.all()]
    starts = [account.next_period_start for account in accounts if account.next_period_start]
    if not line_ids or not starts:
        return {}
    return rating.commercial_calls(line_ids, before=start_of_local_day(market, max(starts)))


def _pro_rata_batch(
    market: str, today: dt.date, now: dt.datetime, prices: _PriceCache
) -> tuple[int, list[Invoice]]:
    subscriptions = list(
        Subscription.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(Q(account__market=market), pro_rata_due_on__lte=today)
        .select_related("account__customer", "line__number")
        .order_by("pro_rata_due_on", "pk")[:BATCH]
    )
    drafts = []
    for subscription in subscriptions:
        start = subscription.billing_starts_on
        end = next_period_start(subscription.account.anchor, start)
        if subscription.ends_before is None or subscription.ends_before > start:
            _, period_days = pro_rata_days(start=start, anchor=subscription.account.anchor)
            price = prices.on(start)
            draft = invoices.DraftInvoice(
                customer=subscription.account.customer,
                run_key=f"pro_rata:{subscription.pk}",
                period_start=start,
                period_end=end,
            )
            draft.lines.append(
                invoices.pro_rata_fee_line(subscription, price, start, end, period_days)
            )
            setup = invoices.setup_fee_line(subscription, price)
            if setup:
                draft.lines.append(setup)
            drafts.append(draft)
            subscription.first_billed_on = start
        subscription.pro_rata_due_on = None
    issued = invoices.issue_drafts(drafts=drafts, now=now)
    Subscription.objects.bulk_update(subscriptions, ["pro_rata_due_on", "first_billed_on"])
    return len(subscriptions), issued
