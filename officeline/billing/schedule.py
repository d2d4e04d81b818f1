"""When billing starts and when each monthly service period starts (BILL-2, BILL-3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from officeline.markets.deadlines import add_months

# BILL-2: billing starts on the 7th day after the activation request.
BILLING_STARTS_AFTER_DAYS = 7


def billing_start(activation_requested: dt.date) -> dt.date:
    """BILL-2: the 7th day after the activation request, used or not."""
    return activation_requested + dt.timedelta(days=BILLING_STARTS_AFTER_DAYS)


def period_start(anchor: dt.date, index: int) -> dt.date:
    """BILL-3: the start of period ``index`` (0 = the anchor itself).

    Periods are monthly on the anchor's day; in a month without that day the
    period starts on the month's last day, and the next one returns to the
    anchor's day (31 Jan, 28 Feb, 31 Mar).
    """
    return add_months(anchor, index, anchor_day=anchor.day)


def period_starts(anchor: dt.date, count: int) -> Iterator[dt.date]:
    for index in range(count):
        yield period_start(anchor, index)


def next_period_start(anchor: dt.date, on: dt.date) -> dt.date:
    """The first period start strictly after ``on``."""
    index = max(0, (on.year - anchor.year) * 12 + on.month - anchor.month - 1)
    while (start := period_start(anchor, index)) <= on:
        index += 1
    return start


def current_period_start(anchor: dt.date, on: dt.date) -> dt.date:
    """The start of the period that ``on`` falls in (the anchor itself before it)."""
    index = max(0, (on.year - anchor.year) * 12 + on.month - anchor.month - 1)
    while period_start(anchor, index + 1) <= on:
        index += 1
    return period_start(anchor, index)


def pro_rata_days(*, start: dt.date, anchor: dt.date) -> tuple[int, int]:
    """BILL-3: a line added later is billed from its own start to the account's next period start,
    pro rata by calendar days: (days billed, days in that account period)."""
    following = next_period_start(anchor, start)
    index = 0
    while period_start(anchor, index + 1) <= start:
        index += 1
    current = period_start(anchor, index)
    return (following - start).days, (following - current).days
