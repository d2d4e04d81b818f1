"""A line's calling plan (BILL-11, AUP-2): the standard monthly plan or the commercial one.

The operator moves a line to the commercial per-minute plan when abnormal use
was not answered or did not return to normal after the review (AUP-2), and back
to the standard plan when it chooses. Each change is a new ``LinePlan`` row from
a moment on, never an edit: calls are rated by the plan in force when they
started (``officeline.billing.services.rating``). The customer is told in writing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.models import User
from officeline.accounts.services.notices import send_notice_to_customer
from officeline.actors import Actor
from officeline.billing.choices import Plan
from officeline.billing.errors import BillingError
from officeline.billing.models import LinePlan
from officeline.billing.money import Money
from officeline.billing.selectors import price_list_in_force
from officeline.billing.services.rating import RATED_DESTINATIONS, plan_at
from officeline.events.services import record_event
from officeline.lines.choices import LineStatus
from officeline.lines.models import Line
from officeline.markets.deadlines import local_date
from officeline.usage.choices import DestinationType

MAX_REASON = 300


def plan_in_force(line: Line, at: dt.datetime) -> str:
    """The plan of ``line`` at ``at`` (the standard plan when none was ever set)."""
    return plan_at(list(LinePlan.objects.filter(line=line).order_by("effective_at", "pk")), at)


def change_line_plan(
    *,
    line: Line,
    plan: str,
    actor: Actor | str,
    reason: str,
    effective_at: dt.datetime | None = None,
) -> LinePlan:
    """BILL-11, AUP-2: put ``line`` on ``plan`` from ``effective_at`` (now when not given).

    A change cannot reach back before now: calls already made stay rated as they were.
    """
    reason = (reason or "").strip()
    now = clock.now()
    effective_at = effective_at or now
    errors: dict[str, list[str]] = {}
    if plan not in Plan.values:
        errors["plan"] = [_("Choose one of: %s") % ", ".join(Plan.values)]
    if not reason:
        errors["reason"] = [_("Say why the line changes plan.")]
    elif len(reason) > MAX_REASON:
        errors["reason"] = [_("Keep the reason under 300 characters.")]
    if effective_at.tzinfo is None:
        errors["effective_at"] = [_("Give the moment with its time zone.")]
    elif effective_at < now:
        errors["effective_at"] = [_("A plan change cannot take effect in the past.")]
    if errors:
        raise BillingError(errors, code="plan_change_invalid")
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        if locked.status == LineStatus.TERMINATED:
            raise BillingError(
                _("This line has already ended."),
                code="line_ended",
                field="line",
            )
        if plan_in_force(locked, effective_at) == plan:
            raise BillingError(
                _("The line is already on that plan then."),
                code="plan_unchanged",
                field="plan",
            )
        row = LinePlan.objects.create(
            line=locked,
            plan=plan,
            effective_at=effective_at,
            reason=reason,
            set_by=actor if isinstance(actor, User) and actor.pk else None,
            created_at=now,
        )
        record_event(
            action="billing.line_plan_changed",
            actor=actor,
            customer=locked.customer,
            subject=row,
            data={
                "line": locked.number.e164,
                "plan": plan,
                "effective_at": effective_at.isoformat(),
                "reason": reason,
            },
            customer_visible=True,
        )
        _written_notice(locked, row, actor)
    return row


def _written_notice(line: Line, row: LinePlan, actor: Actor | str) -> None:
    """The customer is told in writing which plan the line is on from when, and the rates."""
    customer = line.customer
    market = customer.market
    day = local_date(market, row.effective_at)
    with translation.override(customer.language):
        when = formats.date_format(day, "DATE_FORMAT")
        if row.plan == Plan.COMMERCIAL:
            prices = price_list_in_force(market, day)
            rates = ", ".join(
                _("%(kind)s %(rate)s a minute")
                % {
                    "kind": str(DestinationType(kind).label).lower(),
                    "rate": Money(prices.per_minute_minor.get(kind, 0), prices.currency).display(
                        customer.language
                    ),
                }
                for kind in RATED_DESTINATIONS
            )
            subject = _("Your line %(number)s moves to the commercial per-minute plan") % {
                "number": line.number.e164
            }
            body = _(
                "From %(day)s, line %(number)s is on the commercial per-minute plan: its calls "
                "are charged per started minute, excluding VAT, at these rates: %(rates)s. "
                "Emergency calls and calls between your lines stay free. Reason: %(reason)s"
            ) % {"day": when, "number": line.number.e164, "rates": rates, "reason": row.reason}
        else:
            subject = _("Your line %(number)s returns to the standard monthly plan") % {
                "number": line.number.e164
            }
            body = _(
                "From %(day)s, line %(number)s is on the standard monthly plan again: its calls "
                "are included in the monthly fee. Reason: %(reason)s"
            ) % {"day": when, "number": line.number.e164, "reason": row.reason}
    send_notice_to_customer(customer=customer, actor=actor, subject=subject, body=body)
