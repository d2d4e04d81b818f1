"""Moving the test clock by hours, days or business days: shared by the console and the API."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from officeline import clock
from officeline.markets.deadlines import add_business_days
from officeline.markets.definitions import get_market

if TYPE_CHECKING:
    from officeline.actors import Actor

UNITS = ("hours", "days", "business_days")
# How far one move may go: enough to walk a complaint past 8 weeks, not years.
ADVANCE_LIMITS = {"hours": 24 * 92, "days": 92, "business_days": 65}


def advance_delta(*, amount: int, unit: str, market: str, now: dt.datetime) -> dt.timedelta:
    """How far to move the clock: N hours, N days, or N business days of a market.

    Business days keep the local time of day: 16:00 on a Friday plus one
    business day is 16:00 on the next business day of that market.
    """
    if unit == "hours":
        return dt.timedelta(hours=amount)
    if unit == "days":
        return dt.timedelta(days=amount)
    definition = get_market(market)
    local_now = now.astimezone(definition.tz)
    target_day = add_business_days(definition, local_now.date(), amount)
    target = dt.datetime.combine(target_day, local_now.timetz().replace(tzinfo=None))
    return target.replace(tzinfo=definition.tz) - now


def advance_by(*, amount: int, unit: str, market: str = "", actor: Actor = None) -> dt.datetime:
    """Move the test clock forward and run tick as a worker would on the way; the new now."""
    delta = advance_delta(amount=amount, unit=unit, market=market, now=clock.now())
    # Tick at every hour on short moves, every day on long ones.
    step = dt.timedelta(hours=1) if delta <= dt.timedelta(days=2) else dt.timedelta(days=1)
    return clock.advance(delta, actor=actor, step=step)
