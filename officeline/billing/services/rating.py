"""Rating calls for invoices (BILL-11, AUP-4).

What the monthly fee includes, from the terms (004 3(a)): the standard plan's
"unlimited" voice calling is normal small-business use, so a standard line's
calls are never charged by the minute; what is charged outside the monthly fee
on a standard line is what third parties bill to its number (004 4(h), BILL-10,
``officeline.billing.services.third_party``). The commercial plan (AUP-2) charges calls
by the minute ("frais à la minute d'appel") at the price list's commercial
rates by destination type.

The rating rule, decided here:

- only answered, finished, outgoing calls to a national, mobile or
  international number are charged; internal calls between the operator's
  lines, emergency calls, incoming calls and calls that were not answered are
  never charged;
- a call is charged per started minute: its duration in whole seconds (as the
  call record keeps it) rounded up to whole minutes, times the rate per minute
  in minor units, so no amount is ever rounded (VAT is rounded per invoice line
  by ``money.py``, as for every charge);
- the plan is the one in force when the call started (``LinePlan``), the rate
  the one in force on the call's day in the market's time zone;
- each call is billed once (``BilledCall``); a call still in progress when an
  invoice is issued goes on the next one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from officeline.billing.choices import ChargeKind, Plan
from officeline.billing.models import BilledCall, LinePlan, PriceList
from officeline.billing.money import Money
from officeline.billing.selectors import NoPriceList
from officeline.billing.services.invoices import DraftLine
from officeline.markets.deadlines import local_date
from officeline.usage.choices import DestinationType, Direction, Disposition
from officeline.usage.models import CallRecord

# BILL-11: the destination types charged by the minute on the commercial plan.
RATED_DESTINATIONS = (
    DestinationType.NATIONAL,
    DestinationType.MOBILE,
    DestinationType.INTERNATIONAL,
)
SECONDS_PER_MINUTE = 60

PricesOn = Callable[[dt.date], PriceList]


def billable_minutes(duration_seconds: int) -> int:
    """BILL-11: calls are charged per started minute (61 seconds are 2 minutes)."""
    if duration_seconds < 0:
        raise ValueError("a duration cannot be negative")
    return -(-duration_seconds // SECONDS_PER_MINUTE)


def per_minute_rate(prices: PriceList, destination: str) -> Money:
    """The commercial rate per minute for a destination type; a list without one is an error."""
    rate = (prices.per_minute_minor or {}).get(destination)
    if not isinstance(rate, int) or rate < 0:
        raise NoPriceList(
            _("The %(market)s price list from %(day)s has no commercial rate for %(kind)s calls.")
            % {"market": prices.market, "day": prices.effective_from, "kind": destination}
        )
    return Money(rate, prices.currency)


def plan_at(history: Sequence[LinePlan], at: dt.datetime) -> str:
    """The plan in force at ``at``: the latest row not after it; the standard plan before any."""
    plan: str = Plan.STANDARD
    for row in history:  # in effective order
        if row.effective_at <= at:
            plan = row.plan
        else:
            break
    return plan


def plan_histories(line_ids: Iterable[int]) -> dict[int, list[LinePlan]]:
    """Every line's plan rows in effective order, in one query."""
    histories: dict[int, list[LinePlan]] = defaultdict(list)
    for row in LinePlan.objects.filter(line_id__in=list(line_ids)).order_by(
        "line_id", "effective_at", "pk"
    ):
        histories[row.line_id].append(row)
    return histories


def chargeable_calls(line_ids: Iterable[int]) -> QuerySet[CallRecord]:
    """Answered, finished outgoing calls to charged destinations, not billed yet."""
    return (
        CallRecord.objects.filter(
            line_id__in=list(line_ids),
            direction=Direction.OUTBOUND,
            disposition=Disposition.ANSWERED,
            destination_type__in=RATED_DESTINATIONS,
            ended_at__isnull=False,
            duration_seconds__gt=0,
            billed__isnull=True,
        )
        .select_related("line__number")
        .order_by("started_at", "pk")
    )


def commercial_calls(
    line_ids: Iterable[int], *, before: dt.datetime
) -> dict[int, list[CallRecord]]:
    """BILL-11: per line, its unbilled chargeable calls started before ``before`` while the line
    was on the commercial plan. Lines never on that plan cost one query and nothing more."""
    histories = plan_histories(line_ids)
    starts = [
        row.effective_at
        for rows in histories.values()
        for row in rows
        if row.plan == Plan.COMMERCIAL and row.effective_at < before
    ]
    if not starts:
        return {}
    by_line: dict[int, list[CallRecord]] = defaultdict(list)
    for call in chargeable_calls(histories).filter(
        started_at__gte=min(starts), started_at__lt=before
    ):
        assert call.line_id is not None
        if plan_at(histories[call.line_id], call.started_at) == Plan.COMMERCIAL:
            by_line[call.line_id].append(call)
    return by_line


def usage_lines(
    calls: Iterable[CallRecord],
    *,
    market: str,
    prices_on: PricesOn,
    period_start: dt.date,
    period_end: dt.date,
    kind: str = ChargeKind.USAGE,
) -> list[DraftLine]:
    """Invoice lines for rated calls: one per line, destination type and rate, each call listed.

    The line's net is its minutes times the rate, exactly; each call keeps its own
    minutes and amount for the itemized statement.
    """
    grouped: dict[tuple[str, str, int], list[BilledCall]] = defaultdict(list)
    currency = ""
    first_day = period_start
    for call in calls:
        day = local_date(market, call.started_at)
        first_day = min(first_day, day)
        rate = per_minute_rate(prices_on(day), call.destination_type)
        currency = rate.currency
        minutes = billable_minutes(call.duration_seconds)
        number = call.line.number.e164 if call.line else call.from_number
        grouped[(number, call.destination_type, rate.minor)].append(
            BilledCall(
                call=call,
                started_at=call.started_at,
                to_number=call.to_number,
                duration_seconds=call.duration_seconds,
                minutes=minutes,
                rate_minor=rate.minor,
                amount_minor=minutes * rate.minor,
            )
        )
    order: dict[str, int] = {kind: index for index, kind in enumerate(RATED_DESTINATIONS)}
    lines = []
    for (number, destination, rate_minor), billed in sorted(
        grouped.items(), key=lambda item: (item[0][0], order[item[0][1]], item[0][2])
    ):
        lines.append(
            DraftLine(
                kind=kind,
                unit=Money(rate_minor, currency),
                phone_number=number,
                period_start=first_day,
                period_end=period_end,
                quantity=sum(b.minutes for b in billed),
                destination=destination,
                calls=billed,
            )
        )
    return lines
