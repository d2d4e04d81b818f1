"""AUP-1, AUP-3: the signals of abnormal use and the prohibited-use patterns that call records show.

Each signal is decided here, once, by a function that names its rule; the daily review
(``reviews.py``) feeds them what a line called. What counts: the line's outgoing call
attempts, never an emergency call (EMG-3: a call to the emergency services is never
held against anyone); trunking also counts incoming calls, since a trunk carries both.

The thresholds are market parameters (``OperatorMarket.parameters``) with these
defaults; the one the rule book names is AUP-1's 5,000 minutes per line in a monthly service
period (``aup_monthly_minutes``). A signal fires above its threshold, never at it,
except the minutes, which fire at 5,000 "or more" as the terms say.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from officeline.accounts.models import market_parameter
from officeline.lines.services.barring import REFUSAL_REASONS
from officeline.usage.choices import DestinationType, Direction, Disposition, UseSignal

log = logging.getLogger(__name__)

AUP1 = "AUP-1"
AUP3 = "AUP-3"
RULE_OF: dict[str, str] = {
    UseSignal.SHORT_CALLS: AUP1,
    UseSignal.CALLS_PER_DAY: AUP1,
    UseSignal.DESTINATIONS: AUP1,
    UseSignal.MINUTES: AUP1,
    # Unusual call patterns: a phone or a password in the wrong hands tries the numbers
    # that the line bars (premium-rate, international, satellite) or more calls at once
    # than its limits, the way toll fraud starts.
    UseSignal.BARRED_ATTEMPTS: AUP1,
    UseSignal.AUTO_DIALLING: AUP3,
    UseSignal.TRUNKING: AUP3,
}
# A monthly amount, judged over a window of a few days (is the use back to normal?), is
# taken pro rata over a month of this many days.
MONTH_DAYS = 30

# Market parameter -> default.
DEFAULTS: dict[str, int] = {
    # AUP-1, no continuous conversation: at least this many answered calls in the period, and
    # more than this share of them shorter than this many seconds.
    "aup_short_call_seconds": 10,
    "aup_short_calls_min_answered": 100,
    "aup_short_calls_percent": 50,
    # AUP-1, excessive calls: outgoing calls in one day.
    "aup_calls_per_day": 300,
    # AUP-1, unusual call patterns: calls in one day refused by the line's call barring or
    # call limits (``lines.barring``).
    "aup_barred_attempts_per_day": 10,
    # AUP-1, excessive destinations: distinct numbers called in the monthly service period.
    "aup_destinations_per_period": 1000,
    # AUP-1: minutes per line in a monthly service period (5,000 or more, configurable).
    "aup_monthly_minutes": 5000,
    # AUP-3, auto-dialling and predictive dialling: more calls than this in one hour of a
    # day, most of them unanswered or very short, nearly all to different numbers.
    "aup_dialler_calls_per_hour": 60,
    "aup_dialler_failed_percent": 60,
    "aup_dialler_distinct_percent": 80,
    # AUP-3, trunking and continuous conferencing: more calls at once than a small office's
    # line carries.
    "aup_simultaneous_calls": 4,
    # AUP-2: the days the customer has to answer or return to normal use.
    "aup_review_days": 14,
}


@dataclass(frozen=True)
class Thresholds:
    short_call_seconds: int
    short_calls_min_answered: int
    short_calls_percent: int
    calls_per_day: int
    barred_attempts_per_day: int
    destinations_per_period: int
    monthly_minutes: int
    dialler_calls_per_hour: int
    dialler_failed_percent: int
    dialler_distinct_percent: int
    simultaneous_calls: int
    review_days: int


def thresholds(market: str) -> Thresholds:
    """The market's thresholds: each parameter the operator set (a whole number of at least 1,
    anything else is logged and ignored), else the default."""
    values: dict[str, int] = {}
    for key, default in DEFAULTS.items():
        value = market_parameter(market, key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            log.warning("market %s: %s must be a whole number of at least 1", market, key)
            value = default
        values[key.removeprefix("aup_")] = value
    return Thresholds(**values)


@dataclass(frozen=True)
class Signal:
    """One signal: what, under which rule, its value against its threshold, over which days."""

    code: str
    value: int
    threshold: int
    first_day: dt.date
    last_day: dt.date
    detail: dict[str, int] = field(default_factory=dict)

    @property
    def rule(self) -> str:
        return RULE_OF[self.code]

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "rule": self.rule,
            "value": self.value,
            "threshold": self.threshold,
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
            "detail": self.detail,
        }


@dataclass
class DayUse:
    """What one line did on one local day."""

    day: dt.date
    calls: int = 0  # outgoing attempts
    answered: int = 0
    short: int = 0  # answered and shorter than the short-call threshold
    seconds: int = 0  # of answered outgoing calls
    unanswered: int = 0
    barred: int = 0  # refused by the line's call barring or call limits
    destinations: set[str] = field(default_factory=set)
    per_hour: dict[int, int] = field(default_factory=dict)
    intervals: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    sample: list[dict[str, Any]] = field(default_factory=list)

    @property
    def peak_hour(self) -> int:
        return max(self.per_hour.values(), default=0)

    @property
    def simultaneous(self) -> int:
        """The most calls in conversation at the same moment (an end before a start)."""
        edges = sorted(
            [(start, 1) for start, _end in self.intervals]
            + [(end, -1) for _start, end in self.intervals]
        )
        peak = current = 0
        for _at, step in edges:
            current += step
            peak = max(peak, current)
        return peak

    @property
    def sequential(self) -> int:
        """How many of the numbers called follow another one called (…01, …02): a dialler's list."""
        digits = sorted({int(n.lstrip("+")) for n in self.destinations if n.lstrip("+").isdigit()})
        return sum(1 for a, b in itertools.pairwise(digits) if b - a == 1)


SAMPLE_SIZE = 20


def day_uses(
    rows: Iterable[dict[str, Any]], *, tz: dt.tzinfo, short_seconds: int, now: dt.datetime
) -> dict[tuple[int, dt.date], DayUse]:
    """Per (line, local day): the use of call records given as dicts (``values()`` rows with
    line_id, direction, to_number, destination_type, started_at, answered_at, ended_at,
    duration_seconds, disposition, and sip_reason where given). Emergency calls never count
    (EMG-3)."""
    uses: dict[tuple[int, dt.date], DayUse] = {}
    for row in rows:
        if row["destination_type"] == DestinationType.EMERGENCY:
            continue
        local = row["started_at"].astimezone(tz)
        use = uses.setdefault((row["line_id"], local.date()), DayUse(day=local.date()))
        answered = row["answered_at"] is not None and row["disposition"] != Disposition.VOICEMAIL
        if answered:
            use.intervals.append((row["answered_at"], row["ended_at"] or now))
        if row["direction"] != Direction.OUTBOUND:
            continue
        use.calls += 1
        if row["disposition"] == Disposition.REFUSED and row.get("sip_reason") in REFUSAL_REASONS:
            use.barred += 1
        use.destinations.add(row["to_number"])
        use.per_hour[local.hour] = use.per_hour.get(local.hour, 0) + 1
        if answered:
            use.answered += 1
            use.seconds += row["duration_seconds"]
            if row["ended_at"] is not None and row["duration_seconds"] < short_seconds:
                use.short += 1
        else:
            use.unanswered += 1
        if len(use.sample) < SAMPLE_SIZE:
            use.sample.append(
                {
                    "started_at": row["started_at"].isoformat(),
                    "to": row["to_number"],
                    "seconds": row["duration_seconds"],
                    "outcome": row["disposition"],
                }
            )
    return uses


@dataclass(frozen=True)
class PeriodUse:
    """What a line called over a monthly service period so far (or a window of days)."""

    first_day: dt.date
    last_day: dt.date
    answered: int
    short: int
    seconds: int
    destinations: int


def _above(value: int, threshold: int, scale: Fraction) -> bool:
    """value > threshold x scale, in whole numbers."""
    return value * scale.denominator > threshold * scale.numerator


def short_calls_signal(
    use: PeriodUse, t: Thresholds, scale: Fraction = Fraction(1)
) -> Signal | None:
    """AUP-1, no continuous conversation: at least ``short_calls_min_answered`` answered calls
    (pro rata over a window) and more than ``short_calls_percent`` of them under
    ``short_call_seconds`` seconds."""
    if use.answered * scale.denominator < t.short_calls_min_answered * scale.numerator:
        return None
    if use.short * 100 <= t.short_calls_percent * use.answered:
        return None
    return Signal(
        UseSignal.SHORT_CALLS,
        value=use.short * 100 // use.answered,
        threshold=t.short_calls_percent,
        first_day=use.first_day,
        last_day=use.last_day,
        detail={"short": use.short, "answered": use.answered, "seconds": t.short_call_seconds},
    )


def minutes_signal(use: PeriodUse, t: Thresholds, scale: Fraction = Fraction(1)) -> Signal | None:
    """AUP-1: 5,000 or more minutes (``monthly_minutes``) per line in a monthly service period."""
    if use.seconds * scale.denominator < t.monthly_minutes * 60 * scale.numerator:
        return None
    return Signal(
        UseSignal.MINUTES,
        value=use.seconds // 60,
        threshold=int(t.monthly_minutes * scale),
        first_day=use.first_day,
        last_day=use.last_day,
    )


def destinations_signal(
    use: PeriodUse, t: Thresholds, scale: Fraction = Fraction(1)
) -> Signal | None:
    """AUP-1, excessive destinations: more distinct numbers called in the monthly service
    period than ``destinations_per_period``."""
    if not _above(use.destinations, t.destinations_per_period, scale):
        return None
    return Signal(
        UseSignal.DESTINATIONS,
        value=use.destinations,
        threshold=int(t.destinations_per_period * scale),
        first_day=use.first_day,
        last_day=use.last_day,
    )


def calls_per_day_signal(use: DayUse, t: Thresholds) -> Signal | None:
    """AUP-1, excessive calls: more outgoing calls in a day than ``calls_per_day``."""
    if use.calls <= t.calls_per_day:
        return None
    return Signal(
        UseSignal.CALLS_PER_DAY,
        value=use.calls,
        threshold=t.calls_per_day,
        first_day=use.day,
        last_day=use.day,
    )


def barred_attempts_signal(use: DayUse, t: Thresholds) -> Signal | None:
    """AUP-1, unusual call patterns: more calls in a day refused by the line's call barring
    or call limits than ``barred_attempts_per_day``."""
    if use.barred <= t.barred_attempts_per_day:
        return None
    return Signal(
        UseSignal.BARRED_ATTEMPTS,
        value=use.barred,
        threshold=t.barred_attempts_per_day,
        first_day=use.day,
        last_day=use.day,
    )


def auto_dialling_signal(use: DayUse, t: Thresholds) -> Signal | None:
    """AUP-3, auto-dialling or predictive dialling: in one hour of the day more calls than
    ``dialler_calls_per_hour``, with more than ``dialler_failed_percent`` of the day's calls
    unanswered or very short, and at least ``dialler_distinct_percent`` of them to different
    numbers (a list, often sequential)."""
    if use.peak_hour <= t.dialler_calls_per_hour:
        return None
    failed = use.unanswered + use.short
    if failed * 100 <= t.dialler_failed_percent * use.calls:
        return None
    if len(use.destinations) * 100 < t.dialler_distinct_percent * use.calls:
        return None
    return Signal(
        UseSignal.AUTO_DIALLING,
        value=use.peak_hour,
        threshold=t.dialler_calls_per_hour,
        first_day=use.day,
        last_day=use.day,
        detail={
            "calls": use.calls,
            "failed": failed,
            "destinations": len(use.destinations),
            "sequential": use.sequential,
        },
    )


def trunking_signal(use: DayUse, t: Thresholds) -> Signal | None:
    """AUP-3, trunking or continuous conferencing: more calls in conversation at once on the
    line than ``simultaneous_calls``."""
    peak = use.simultaneous
    if peak <= t.simultaneous_calls:
        return None
    return Signal(
        UseSignal.TRUNKING,
        value=peak,
        threshold=t.simultaneous_calls,
        first_day=use.day,
        last_day=use.day,
    )


def day_signals(use: DayUse, t: Thresholds) -> list[Signal]:
    """The signals one day shows on its own (AUP-1 excessive calls; AUP-3 patterns)."""
    found = (
        calls_per_day_signal(use, t),
        barred_attempts_signal(use, t),
        auto_dialling_signal(use, t),
        trunking_signal(use, t),
    )
    return [s for s in found if s is not None]


def period_signals(use: PeriodUse, t: Thresholds, scale: Fraction = Fraction(1)) -> list[Signal]:
    """The AUP-1 signals of a monthly service period so far (``scale``: a window's share of
    a month, to judge a few days by the monthly amounts pro rata)."""
    found = (
        short_calls_signal(use, t, scale),
        minutes_signal(use, t, scale),
        destinations_signal(use, t, scale),
    )
    return [s for s in found if s is not None]


def describe(signal: dict[str, Any]) -> str:
    """A signal as the customer and staff read it, in the active language."""
    code, value, threshold = signal["code"], signal["value"], signal["threshold"]
    detail = signal.get("detail") or {}
    if code == UseSignal.SHORT_CALLS:
        return _(
            "%(short)s of %(answered)s answered calls lasted under %(seconds)s seconds "
            "(%(value)s %%, more than %(threshold)s %%)"
        ) % {**detail, "value": value, "threshold": threshold}
    if code == UseSignal.MINUTES:
        return _("%(value)s minutes of calls (%(threshold)s or more is abnormal)") % {
            "value": value,
            "threshold": threshold,
        }
    if code == UseSignal.DESTINATIONS:
        return _("%(value)s different numbers called (more than %(threshold)s)") % {
            "value": value,
            "threshold": threshold,
        }
    if code == UseSignal.CALLS_PER_DAY:
        return _("%(value)s calls in one day (more than %(threshold)s)") % {
            "value": value,
            "threshold": threshold,
        }
    if code == UseSignal.BARRED_ATTEMPTS:
        return _(
            "%(value)s calls in one day refused by the line's call barring or call limits "
            "(more than %(threshold)s)"
        ) % {"value": value, "threshold": threshold}
    if code == UseSignal.AUTO_DIALLING:
        return _(
            "%(value)s calls in one hour (more than %(threshold)s); of %(calls)s calls that "
            "day, %(failed)s unanswered or very short, to %(destinations)s different numbers, "
            "%(sequential)s of them in sequence"
        ) % {**detail, "value": value, "threshold": threshold}
    return _("%(value)s calls at the same time on one line (more than %(threshold)s)") % {
        "value": value,
        "threshold": threshold,
    }
