"""What billing does for the acceptable-use review (AUP-2), registered with ``usage.line_plans``.

A line's monthly service period is its billing account's (BILL-3) once its billing has
started, else the calendar month; a case for decision may end with the line on the
commercial per-minute plan (BILL-11), a plan change as any other, the customer told by it.
"""

from __future__ import annotations

import datetime as dt

from officeline.actors import Actor
from officeline.billing.choices import Plan
from officeline.billing.models import Subscription
from officeline.billing.schedule import current_period_start, next_period_start
from officeline.billing.services.plans import change_line_plan
from officeline.lines.models import Line
from officeline.usage.line_plans import (
    Periods,
    PlanChange,
    calendar_months,
    register_line_plans,
)


def service_periods(*, line_ids: set[int], day: dt.date) -> Periods:
    """Each line's monthly service period on ``day``: its billing account's (BILL-3), or the
    calendar month while its billing has not started."""
    anchors = dict(
        Subscription.objects.filter(line_id__in=line_ids, billing_starts_on__lte=day).values_list(
            "line_id", "account__anchor"
        )
    )
    periods = calendar_months(line_ids=line_ids, day=day)
    for line_id, anchor in anchors.items():
        if anchor is not None:
            periods[line_id] = (current_period_start(anchor, day), next_period_start(anchor, day))
    return periods


def move_to_commercial_plan(*, line: Line, actor: Actor, reason: str) -> PlanChange:
    """AUP-2: the line on the commercial per-minute plan from now (BILL-11)."""
    row = change_line_plan(line=line, plan=Plan.COMMERCIAL, actor=actor, reason=reason)
    return PlanChange(pk=row.pk, at=row.created_at, reason=row.reason)


def register() -> None:
    """In billing's ``ready()``: the review reads service periods and moves lines through these."""
    register_line_plans(
        service_periods=service_periods, move_to_commercial_plan=move_to_commercial_plan
    )
