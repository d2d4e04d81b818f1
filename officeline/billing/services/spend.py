"""Monthly spend limits per line and per customer, against toll fraud (``lines.barring``).

A call's spend is what the commercial per-minute plan charges for it (BILL-11: started
minutes at the price list's rate for its destination type, the price list in force on the
day of the call), whatever the line's plan: it is what the operator's carrier charges
follow. The month is the calendar month in the market's time.

The tick looks only at the customers with a chargeable call ended in the last
``LOOK_BACK`` (the calls the worker folded since the previous ticks), adds up their month,
and marks the lines at or over a limit; the SIP core refuses their external calls from
then on. So a limit bites within about two minutes of the call that reached it (one tick
to fold the call's record, one to value it), and a call in progress is not cut. At the
start of a month the marks of the previous month are cleared.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from officeline.billing.models import PriceList
from officeline.billing.selectors import NoPriceList, price_list_in_force
from officeline.billing.services.rating import RATED_DESTINATIONS, billable_minutes, per_minute_rate
from officeline.lines.choices import LineStatus
from officeline.lines.models import Line
from officeline.lines.services import barring
from officeline.markets.choices import MarketCode
from officeline.markets.deadlines import local_date, start_of_local_day
from officeline.usage.choices import Direction, Disposition
from officeline.usage.models import CallRecord

log = logging.getLogger(__name__)

# How far back the tick looks for calls that ended: a few ticks, so that a late tick or a
# record folded late is still seen.
LOOK_BACK = dt.timedelta(minutes=15)


def month_start(market: str, now: dt.datetime) -> dt.datetime:
    """The start of the calendar month of ``now`` in the market's time."""
    return start_of_local_day(market, local_date(market, now).replace(day=1))


def _chargeable(**filters: Any) -> QuerySet[CallRecord]:
    return CallRecord.objects.filter(
        direction=Direction.OUTBOUND,
        disposition=Disposition.ANSWERED,
        destination_type__in=RATED_DESTINATIONS,
        duration_seconds__gt=0,
        line__isnull=False,
        **filters,
    )


def month_spend(customer_id: int, market: str, since: dt.datetime) -> dict[int, int]:
    """Each line's spend of the customer since ``since``, in minor units."""
    spent: dict[int, int] = defaultdict(int)
    prices: dict[dt.date, PriceList] = {}
    rows = (
        _chargeable(customer_id=customer_id, started_at__gte=since)
        .values_list("line_id", "destination_type", "started_at", "duration_seconds")
        .order_by("started_at")
    )
    for line_id, destination, started_at, seconds in rows.iterator():
        day = local_date(market, started_at)
        if day not in prices:
            prices[day] = price_list_in_force(market, day)
        rate = per_minute_rate(prices[day], destination)
        spent[line_id] += billable_minutes(seconds) * rate.minor
    return spent


def mark_spend_limits(*, now: dt.datetime) -> int:
    """Clear last month's marks, and mark the lines of the customers with a
    recent chargeable call whose month reached a limit; return how many lines changed."""
    changed = 0
    for market in MarketCode.values:
        since = month_start(market, now)
        stale = Line.objects.filter(
            spend_limit_reached_at__lt=since, number__market=market
        ).select_related("number")
        for line in stale:
            barring.clear_spend_limit(line=line, now=now)
            changed += 1
        line_limit, customer_limit = barring.spend_limits(market)
        if not line_limit and not customer_limit:
            continue
        customers = set(
            _chargeable(ended_at__gte=now - LOOK_BACK, customer__market=market)
            .values_list("customer_id", flat=True)
            .distinct()
        )
        for customer_id in sorted(customers):
            try:
                spent = month_spend(customer_id, market, since)
            except NoPriceList as exc:
                log.warning("spend limits of customer %s: %s", customer_id, exc)
                continue
            total = sum(spent.values())
            over_customer = bool(customer_limit) and total >= customer_limit
            lines = Line.objects.filter(
                customer_id=customer_id,
                status__in=(LineStatus.ACTIVE, LineStatus.SUSPENDED),
                spend_limit_reached_at__isnull=True,
            )
            for line in lines:
                if over_customer:
                    whose, amount, limit = "customer", total, customer_limit
                elif line_limit and spent.get(line.pk, 0) >= line_limit:
                    whose, amount, limit = "line", spent[line.pk], line_limit
                else:
                    continue
                changed += barring.mark_spend_limit_reached(
                    line=line, spent_minor=amount, limit_minor=limit, whose=whose, now=now
                )
    return changed
