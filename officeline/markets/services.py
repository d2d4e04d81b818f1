"""Writes of the markets app: operator closure days (RULES.md, "Deadlines (D)")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from officeline import clock
from officeline.events.services import record_event
from officeline.markets.deadlines import is_business_day, local_date
from officeline.markets.definitions import UnknownMarket, get_market
from officeline.markets.models import ClosureDay

# Who may change a market's calendar; the console checks it (markets sits below accounts).
CALENDAR_ROLES = ("supervisor", "director")
MAX_REASON_LENGTH = 200


class ClosureDayError(ValueError):
    """A closure day refused, with the field it concerns."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def add_closure_day(*, market: str, date: dt.date, reason: str, actor: Any) -> ClosureDay:
    """Add a day on which the operator is closed in a market (a late substitute holiday, say).

    From then on the day counts as a non-business day in every deadline computed
    for the market (RULES.md, "Deadlines (D)"); deadlines stored before keep
    their value. The day must be today or later, in the market's local time, and
    must be a business day now (a weekend or a public holiday already is not).
    """
    try:
        definition = get_market(market)
    except UnknownMarket as exc:
        raise ClosureDayError("market", str(exc)) from None
    reason = reason.strip()
    if not reason:
        raise ClosureDayError("reason", "say why the operator is closed that day")
    if len(reason) > MAX_REASON_LENGTH:
        raise ClosureDayError("reason", f"at most {MAX_REASON_LENGTH} characters")
    now = clock.now()
    today = local_date(definition, now)
    if date < today:
        raise ClosureDayError("date", f"{date.isoformat()} is in the past in this market")
    code = definition.code.value
    if ClosureDay.objects.filter(market=code, date=date).exists():
        raise ClosureDayError("date", f"{date.isoformat()} is already a closure day")
    if not is_business_day(definition, date):
        raise ClosureDayError(
            "date", f"{date.isoformat()} is already not a business day (weekend or public holiday)"
        )
    try:
        with transaction.atomic():
            closure = ClosureDay.objects.create(
                market=code, date=date, reason=reason, created_at=now
            )
            record_event(
                action="markets.closure_day_added",
                actor=actor,
                subject=closure,
                at=now,
                after={"market": code, "date": date.isoformat(), "reason": reason},
            )
    except IntegrityError:
        # Two staff adding the same day at once: the unique constraint decides.
        raise ClosureDayError("date", f"{date.isoformat()} is already a closure day") from None
    return closure
