"""LINE-2: operator-initiated number changes, noticed first and made when the notice ends."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.models import market_parameter
from officeline.accounts.permissions import require_capability
from officeline.actors import Actor
from officeline.errors import DomainError
from officeline.lines.choices import LineStatus, LocationChange, NumberChangeStatus, NumberStatus
from officeline.lines.errors import LineError, refuse
from officeline.lines.models import Line, Number, NumberChange
from officeline.lines.services.lines import NUMBER_QUARANTINE_DAYS, mark_location_unconfirmed
from officeline.lines.services.lines import line_event as _event
from officeline.markets.deadlines import deadline
from officeline.notifications.services import queue_email

# LINE-2: how long before an operator-initiated number change the customer is told, in
# calendar days; the market parameter ``number_change_notice_days``. Neither market's rules
# fix a period; a month lets a business reprint its stationery and tell its callers.
NUMBER_CHANGE_NOTICE_PARAMETER = "number_change_notice_days"
DEFAULT_NUMBER_CHANGE_NOTICE_DAYS = 30
# Who changes a number (accounts.permissions).
NUMBER_CHANGE_CAPABILITY = "numbers.change"


def number_change_notice_days(market: str) -> int:
    return int(
        market_parameter(market, NUMBER_CHANGE_NOTICE_PARAMETER, DEFAULT_NUMBER_CHANGE_NOTICE_DAYS)
    )


def schedule_number_change(
    *, line: Line, new_number: Number, reason: str, actor: Actor
) -> NumberChange:
    """LINE-2: the operator changes a number it assigned. The new number is held for the line
    at once; the customer is emailed a notice in their language now, and the change is made
    when the market's notice period ends (stored as ``effective_at``)."""
    require_capability(actor, NUMBER_CHANGE_CAPABILITY)
    if not reason.strip():
        raise LineError(
            _("Say why the number is changed."), code="number_change_reason_missing", field="reason"
        )
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        number = Number.objects.select_for_update().get(pk=new_number.pk)
        refuse(_number_change_refusals(locked, number))
        now = clock.now()
        days = number_change_notice_days(locked.customer.market)
        number.status = NumberStatus.ASSIGNED
        number.save(update_fields=["status"])
        change = NumberChange.objects.create(
            line=locked,
            old_number=locked.number,
            new_number=number,
            reason=reason.strip(),
            noticed_at=now,
            effective_at=deadline(locked.customer.market, now, days=days),
            requested_by=actor if getattr(actor, "pk", None) else None,
        )
        _event(
            locked,
            "number_change_scheduled",
            actor,
            new_number=number.e164,
            effective_at=change.effective_at.isoformat(),
            notice_days=days,
            reason=change.reason,
        )
        customer = locked.customer
        queue_email(
            to=customer.email,
            template="lines/email/number_change",
            context={"customer": customer, "change": change, "notice_days": days},
            language=customer.language,
            kind="lines",
            customer=customer,
        )
    return change


def _number_change_refusals(line: Line, number: Number) -> list[DomainError]:
    errors: list[DomainError] = []
    if line.status == LineStatus.TERMINATED:
        errors.append(LineError(_("This line has ended."), code="line_ended", field="line"))
    elif NumberChange.objects.filter(line=line, status=NumberChangeStatus.SCHEDULED).exists():
        errors.append(
            LineError(
                _("A number change is already scheduled for this line."),
                code="number_change_already_scheduled",
                field="line",
            )
        )
    if number.status != NumberStatus.AVAILABLE:
        errors.append(
            LineError(
                _("This number is not available."), code="number_not_available", field="new_number"
            )
        )
    elif number.market != line.customer.market:
        errors.append(
            LineError(
                _("This number is not in the customer's market."),
                code="number_in_another_market",
                field="new_number",
            )
        )
    return errors


def cancel_number_change(*, change: NumberChange, actor: Actor) -> NumberChange:
    """LINE-2: the operator cancels a number change it announced, before it takes effect. The
    line keeps its number, the number held for it returns to the pool, and the customer is
    emailed in their language that the change will not happen."""
    require_capability(actor, NUMBER_CHANGE_CAPABILITY)
    with transaction.atomic():
        locked = (
            NumberChange.objects.select_for_update()
            .select_related("line__number", "line__customer", "old_number", "new_number")
            .get(pk=change.pk)
        )
        if locked.status != NumberChangeStatus.SCHEDULED:
            raise LineError(
                _("This number change is %(status)s.") % {"status": locked.get_status_display()},
                code="number_change_not_scheduled",
                field="status",
            )
        if clock.now() >= locked.effective_at:
            raise LineError(
                _("This number change has already taken effect."),
                code="number_change_already_made",
                field="status",
            )
        locked.status = NumberChangeStatus.CANCELLED
        locked.save(update_fields=["status"])
        Number.objects.filter(pk=locked.new_number_id).update(status=NumberStatus.AVAILABLE)
        _event(locked.line, "number_change_cancelled", actor, new_number=locked.new_number.e164)
        customer = locked.line.customer
        queue_email(
            to=customer.email,
            template="lines/email/number_change_cancelled",
            context={"customer": customer, "change": locked},
            language=customer.language,
            kind="lines",
            customer=customer,
        )
    return locked


def make_number_change(*, change: NumberChange, now: dt.datetime) -> NumberChange:
    """LINE-2 at the end of the notice: the line takes its new number, the old one is
    quarantined as when a line ends (LINE-3), and the location awaits confirmation (EMG-2).
    A line that ended meanwhile keeps nothing: the held number returns to the pool."""
    with transaction.atomic():
        change = (
            NumberChange.objects.select_for_update()
            .select_related("line__customer", "old_number", "new_number")
            .get(pk=change.pk)
        )
        if change.status != NumberChangeStatus.SCHEDULED:
            return change
        line = (
            Line.objects.select_for_update()
            .select_related("number", "customer")
            .get(pk=change.line_id)
        )
        if line.status == LineStatus.TERMINATED:
            change.status = NumberChangeStatus.CANCELLED
            change.save(update_fields=["status"])
            Number.objects.filter(pk=change.new_number_id).update(status=NumberStatus.AVAILABLE)
            _event(line, "number_change_cancelled", "tick", new_number=change.new_number.e164)
            return change
        old = line.number
        line.number = change.new_number
        line.save(update_fields=["number"])
        Number.objects.filter(pk=old.pk).update(
            status=NumberStatus.QUARANTINED,
            quarantined_until=now + dt.timedelta(days=NUMBER_QUARANTINE_DAYS),
        )
        change.status, change.done_at = NumberChangeStatus.DONE, now
        change.save(update_fields=["status", "done_at"])
        _event(line, "number_changed", "tick", old_number=old.e164)
        mark_location_unconfirmed(line=line, reason=LocationChange.NUMBER_CHANGED, actor="tick")
    return change
