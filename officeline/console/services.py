"""Writes the console makes to the markets' calendars: operator closure days, which every
deadline skips (``markets.deadlines``), and reference rates for late-payment interest (BILL-8).

They live here, not in markets: each records an event, and markets is the lowest app
(it imports neither the clock nor the events).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.actors import Actor
from officeline.errors import DomainError
from officeline.events.services import record_event
from officeline.markets.deadlines import is_business_day, local_date
from officeline.markets.definitions import UnknownMarket, get_market
from officeline.markets.models import ClosureDay, ReferenceRate
from officeline.markets.rates import percent

MAX_REASON_LENGTH = 200


class ClosureDayError(DomainError):
    """A closure day refused, with the field it concerns."""

    default_code = "closure_day_refused"

    def __init__(self, field: str, message: str, *, code: str) -> None:
        super().__init__(message, code=code, field=field)
        self.message = message


def add_closure_day(*, market: str, date: dt.date, reason: str, actor: Actor) -> ClosureDay:
    """Add a day on which the operator is closed in a market (a late substitute holiday, say).

    From then on the day counts as a non-business day in every deadline computed
    for the market (``markets.deadlines``); deadlines stored before keep
    their value. The day must be today or later, in the market's local time, and
    must be a business day now (a weekend or a public holiday already is not).
    """
    try:
        definition = get_market(market)
    except UnknownMarket as exc:
        raise ClosureDayError("market", str(exc), code="unknown_market") from None
    reason = reason.strip()
    if not reason:
        raise ClosureDayError(
            "reason", "say why the operator is closed that day", code="closure_reason_missing"
        )
    if len(reason) > MAX_REASON_LENGTH:
        raise ClosureDayError(
            "reason", f"at most {MAX_REASON_LENGTH} characters", code="closure_reason_too_long"
        )
    now = clock.now()
    today = local_date(definition, now)
    if date < today:
        raise ClosureDayError(
            "date", f"{date.isoformat()} is in the past in this market", code="closure_day_in_past"
        )
    code = definition.code.value
    if ClosureDay.objects.filter(market=code, date=date).exists():
        raise ClosureDayError(
            "date", f"{date.isoformat()} is already a closure day", code="closure_day_exists"
        )
    if not is_business_day(definition, date):
        raise ClosureDayError(
            "date",
            f"{date.isoformat()} is already not a business day (weekend or public holiday)",
            code="closure_day_not_business_day",
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
        raise ClosureDayError(
            "date", f"{date.isoformat()} is already a closure day", code="closure_day_exists"
        ) from None
    return closure


# Who may record a closure day or a reference rate is decided by the console
# (``calendar.manage`` in accounts.permissions; markets sits below accounts).
MAX_REFERENCE_RATE_BP = 2_500  # 25 %: above that is a typing error, not a central bank's rate
MAX_SOURCE_LENGTH = 200


class ReferenceRateError(DomainError):
    """A reference rate refused, with the field it concerns."""

    default_code = "reference_rate_refused"

    def __init__(self, field: str, message: str, *, code: str) -> None:
        super().__init__(message, code=code, field=field)
        self.message = message


def add_reference_rate(
    *, market: str, effective_from: dt.date, rate_bp: int, source: str, actor: Actor
) -> ReferenceRate:
    """Record a central bank's new reference rate for a market's late-payment interest (BILL-8).

    The rate applies from ``effective_from`` until the next recorded change; which
    day's rate fixes each half-year is the market's rule (``officeline.markets.rates``).
    The rate is in basis points, from 0 to 25 %; one rate per market and day.
    """
    try:
        definition = get_market(market)
    except UnknownMarket as exc:
        raise ReferenceRateError("market", str(exc), code="unknown_market") from None
    if isinstance(rate_bp, bool) or not isinstance(rate_bp, int):
        raise ReferenceRateError(
            "rate", _("a rate is a whole number of basis points"), code="reference_rate_not_whole"
        )
    if rate_bp < 0:
        raise ReferenceRateError(
            "rate",
            _("a reference rate for late-payment interest cannot be negative"),
            code="reference_rate_negative",
        )
    if rate_bp > MAX_REFERENCE_RATE_BP:
        raise ReferenceRateError(
            "rate",
            _("%(rate)s is not a plausible central bank rate (at most %(max)s)")
            % {"rate": percent(rate_bp), "max": percent(MAX_REFERENCE_RATE_BP)},
            code="reference_rate_implausible",
        )
    source = source.strip()
    if not source:
        raise ReferenceRateError(
            "source", _("say where the rate was published"), code="reference_rate_source_missing"
        )
    if len(source) > MAX_SOURCE_LENGTH:
        raise ReferenceRateError(
            "source",
            _("at most %(n)d characters") % {"n": MAX_SOURCE_LENGTH},
            code="reference_rate_source_too_long",
        )
    code = definition.code.value
    duplicate = _("a rate from %(date)s is already recorded for this market") % {
        "date": effective_from.isoformat()
    }
    if ReferenceRate.objects.filter(market=code, effective_from=effective_from).exists():
        raise ReferenceRateError("effective_from", duplicate, code="reference_rate_exists")
    now = clock.now()
    try:
        with transaction.atomic():
            rate = ReferenceRate.objects.create(
                market=code, effective_from=effective_from, rate_bp=rate_bp, source=source
            )
            record_event(
                action="markets.reference_rate_added",
                actor=actor,
                subject=rate,
                at=now,
                after={
                    "market": code,
                    "effective_from": effective_from.isoformat(),
                    "rate_bp": rate_bp,
                    "source": source,
                },
            )
    except IntegrityError:
        # Two staff recording the same day at once: the unique constraint decides.
        raise ReferenceRateError(
            "effective_from", duplicate, code="reference_rate_exists"
        ) from None
    return rate
