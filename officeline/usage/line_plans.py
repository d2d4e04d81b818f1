"""What the acceptable-use review (AUP-2) asks of the app that owns line plans: a registry.

The review sums a line's calls over its monthly service period and may end a case by moving
the line to the commercial per-minute plan (BILL-11). Both are billing's, above this app:
billing registers them in its ``AppConfig.ready()`` (``billing.acceptable_use``) with
``register_line_plans``. Until then a line's service period is the calendar month, as for
a line whose billing has not started, and no line can be moved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from officeline.markets.deadlines import add_months

if TYPE_CHECKING:
    from officeline.actors import Actor
    from officeline.lines.models import Line

Periods = dict[int, tuple[dt.date, dt.date]]


@dataclass(frozen=True)
class PlanChange:
    """A line's move to another plan, as the owner of plans recorded it."""

    pk: int
    at: dt.datetime
    reason: str


class ServicePeriods(Protocol):
    def __call__(self, *, line_ids: set[int], day: dt.date) -> Periods:
        """Each line's monthly service period on ``day``: (its first day, the day after it)."""


class MoveToCommercialPlan(Protocol):
    def __call__(self, *, line: Line, actor: Actor, reason: str) -> PlanChange:
        """Put ``line`` on the commercial per-minute plan from now, the customer told."""


def calendar_months(*, line_ids: set[int], day: dt.date) -> Periods:
    """The calendar month of ``day``, for each line (a line whose billing has not started)."""
    first = day.replace(day=1)
    return {line_id: (first, add_months(first, 1)) for line_id in line_ids}


def _not_registered(*, line: Line, actor: Actor, reason: str) -> PlanChange:
    raise RuntimeError("no app registered the move of a line to the commercial plan")


@dataclass
class _LinePlans:
    service_periods: ServicePeriods = calendar_months
    move_to_commercial_plan: MoveToCommercialPlan = _not_registered


_registered = _LinePlans()


def register_line_plans(
    *, service_periods: ServicePeriods, move_to_commercial_plan: MoveToCommercialPlan
) -> None:
    """The owner of line plans (billing, in its ``ready()``) says how to read a line's service
    period and how to move a line to the commercial plan."""
    _registered.service_periods = service_periods
    _registered.move_to_commercial_plan = move_to_commercial_plan


def service_periods(*, line_ids: set[int], day: dt.date) -> Periods:
    return _registered.service_periods(line_ids=line_ids, day=day)


def move_to_commercial_plan(*, line: Line, actor: Actor, reason: str) -> PlanChange:
    return _registered.move_to_commercial_plan(line=line, actor=actor, reason=reason)
