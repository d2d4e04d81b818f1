"""Business days and deadlines: the one module that counts days.

The rule book's deadline rules: every deadline is computed in the market's local time
from the local date of the event that starts it, and ends at the end of its last
day (23:59:59.999999 local):

- "within N business days": the Nth business day after the event's date; an
  event on a non-business day counts from that day all the same (a complaint
  received on Saturday is acknowledged by the end of Monday);
- "N days": N calendar days after the event's date;
- "N weeks": 7N calendar days after the event's date;
- "N months": the same day number N months later, or that month's last day if
  it has no such day.

A business day is Monday to Friday, not a public holiday of the market, and not
a closure day that the operator added (ClosureDay). Every other module asks this
one; nothing else counts days.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from django.db import models

from officeline.markets.definitions import Market, get_market
from officeline.markets.models import ClosureDay

END_OF_DAY = dt.time(23, 59, 59, 999999)


class DeadlineUnit(models.TextChoices):
    BUSINESS_DAYS = "business_days", "business days"
    DAYS = "days", "days"
    WEEKS = "weeks", "weeks"
    MONTHS = "months", "months"


class DeadlineError(ValueError):
    """A deadline asked with input that cannot give one (naive time, negative count...)."""


@lru_cache(maxsize=64)
def _public_holidays(market_code: str, year: int) -> frozenset[dt.date]:
    return frozenset(get_market(market_code).public_holidays([year]).keys())


def _closure_days(market: Market, start: dt.date) -> frozenset[dt.date]:
    return frozenset(
        ClosureDay.objects.filter(market=market.code.value, date__gte=start).values_list(
            "date", flat=True
        )
    )


def _as_market(market: Market | str) -> Market:
    return market if isinstance(market, Market) else get_market(market)


def local_date(market: Market | str, moment: dt.datetime) -> dt.date:
    """The date of an instant in the market's time zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DeadlineError("the start time must carry a time-zone offset")
    return moment.astimezone(_as_market(market).tz).date()


def end_of_local_day(market: Market | str, day: dt.date) -> dt.datetime:
    """23:59:59.999999 of a date in the market's local time."""
    return dt.datetime.combine(day, END_OF_DAY, tzinfo=_as_market(market).tz)


def start_of_local_day(market: Market | str, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=_as_market(market).tz)


def is_public_holiday(market: Market | str, day: dt.date) -> bool:
    return day in _public_holidays(_as_market(market).code.value, day.year)


def _is_business_day(market: Market, day: dt.date, closures: frozenset[dt.date]) -> bool:
    return day.weekday() < 5 and not is_public_holiday(market, day) and day not in closures


def is_business_day(market: Market | str, day: dt.date) -> bool:
    """Monday to Friday, not a public holiday, not an operator closure day."""
    m = _as_market(market)
    return _is_business_day(m, day, _closure_days(m, day))


def add_business_days(market: Market | str, day: dt.date, count: int) -> dt.date:
    """The ``count``th business day after ``day`` (``day`` itself when count is 0)."""
    m = _as_market(market)
    if count < 0:
        raise DeadlineError("the number of business days cannot be negative")
    closures = _closure_days(m, day)
    current = day
    remaining = count
    while remaining:
        current += dt.timedelta(days=1)
        if _is_business_day(m, current, closures):
            remaining -= 1
    return current


def subtract_business_days(market: Market | str, day: dt.date, count: int) -> dt.date:
    """The ``count``th business day before ``day`` (for "at least N business days before")."""
    m = _as_market(market)
    if count < 0:
        raise DeadlineError("the number of business days cannot be negative")
    closures = _closure_days(m, day - dt.timedelta(days=count * 3 + 31))
    current = day
    remaining = count
    while remaining:
        current -= dt.timedelta(days=1)
        if _is_business_day(m, current, closures):
            remaining -= 1
    return current


def add_months(day: dt.date, count: int, *, anchor_day: int | None = None) -> dt.date:
    """The same day number ``count`` months later, or that month's last day.

    ``anchor_day`` keeps a billing anchor of the 31st on the 31st in the months
    that have one, instead of drifting to the 28th after February (BILL-3).
    """
    if count < 0:
        raise DeadlineError("the number of months cannot be negative")
    month_index = day.month - 1 + count
    year, month = day.year + month_index // 12, month_index % 12 + 1
    wanted = anchor_day or day.day
    return dt.date(year, month, min(wanted, calendar.monthrange(year, month)[1]))


def kept_since(market: Market | str, now: dt.datetime, months: int) -> dt.datetime:
    """The start of the earliest local day whose ``months``-month period is still running at ``now``.

    A period of ``months`` started on day D ends at the end of ``add_months(D, months)``
    (as ``deadline`` counts it); what started before the instant returned has had its
    whole period by ``now`` (retention, PRIV-8), what started on or after it has not.
    """
    m = _as_market(market)
    if months < 0:
        raise DeadlineError("the number of months cannot be negative")
    today = local_date(m, now)
    month_index = today.year * 12 + today.month - 1 - months
    year, month = divmod(month_index, 12)
    first = dt.date(year, month + 1, 1) - dt.timedelta(days=1)  # the month before, to be sure
    while add_months(first, months) < today:
        first += dt.timedelta(days=1)
    return start_of_local_day(m, first)


def kept_since_days(market: Market | str, now: dt.datetime, days: int) -> dt.datetime:
    """The start of the earliest local day whose ``days``-day period is still running at ``now``.

    What arrived on day D is kept until the end of day D + ``days`` in the market's time;
    what arrived before the instant returned has had its whole period by ``now``.
    """
    if days < 0:
        raise DeadlineError("the number of days cannot be negative")
    return start_of_local_day(market, local_date(market, now) - dt.timedelta(days=days))


def deadline(
    market: Market | str,
    start: dt.datetime,
    *,
    business_days: int | None = None,
    days: int | None = None,
    weeks: int | None = None,
    months: int | None = None,
) -> dt.datetime:
    """The end of the last day of a period that starts with an event at ``start``.

    Exactly one of the counts is given. The answer is an aware datetime in the
    market's time zone (23:59:59.999999 local).
    """
    given = {
        k: v
        for k, v in {
            DeadlineUnit.BUSINESS_DAYS: business_days,
            DeadlineUnit.DAYS: days,
            DeadlineUnit.WEEKS: weeks,
            DeadlineUnit.MONTHS: months,
        }.items()
        if v is not None
    }
    if len(given) != 1:
        raise DeadlineError("give exactly one of business days, days, weeks or months")
    ((unit, count),) = given.items()
    return deadline_for(market, start, unit, count)


def deadline_for(
    market: Market | str, start: dt.datetime, unit: DeadlineUnit | str, count: int
) -> dt.datetime:
    """As ``deadline``, with the unit named (the form settings and the API use)."""
    m = _as_market(market)
    if isinstance(count, bool) or not isinstance(count, int):
        raise DeadlineError("the count must be a whole number")
    if count < 0:
        raise DeadlineError("the count cannot be negative")
    try:
        unit = DeadlineUnit(unit)
    except ValueError:
        raise DeadlineError(
            f"unknown unit {unit!r}: expected one of {', '.join(DeadlineUnit.values)}"
        ) from None
    day = local_date(m, start)
    if unit == DeadlineUnit.BUSINESS_DAYS:
        last = add_business_days(m, day, count)
    elif unit == DeadlineUnit.DAYS:
        last = day + dt.timedelta(days=count)
    elif unit == DeadlineUnit.WEEKS:
        last = day + dt.timedelta(weeks=count)
    else:
        last = add_months(day, count)
    return end_of_local_day(m, last)


def business_days_between(market: Market | str, first: dt.date, last: dt.date) -> int:
    """How many business days lie after ``first`` up to and including ``last``."""
    m = _as_market(market)
    closures = _closure_days(m, first)
    return sum(
        1
        for offset in range(1, (last - first).days + 1)
        if _is_business_day(m, first + dt.timedelta(days=offset), closures)
    )


def holidays_in(market: Market | str, years: Iterable[int]) -> dict[dt.date, str]:
    """Public holidays of a market with their names, for display in the console."""
    m = _as_market(market)
    return dict(m.public_holidays(list(years)).items())
