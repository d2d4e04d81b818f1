"""Writes of the lines app: named actions, one transaction and one event each."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from officeline import clock
from officeline.accounts.models import Customer, market_parameter
from officeline.accounts.permissions import require_capability
from officeline.events.services import record_event
from officeline.lines import hooks
from officeline.lines.choices import (
    DeviceKind,
    LineStatus,
    LocationChange,
    NumberChangeStatus,
    NumberStatus,
    ReplacementStatus,
    SuspensionGround,
    TheftOrFraud,
)
from officeline.lines.models import Device, Line, Number, NumberChange, ReplacementRequest
from officeline.markets.deadlines import deadline
from officeline.notifications.services import queue_email


def digest_hashes(username: str, realm: str, password: str) -> tuple[str, str]:
    """(ha1, ha1b) as Kamailio's auth_db reads them; MD5 is what SIP digest authentication uses."""
    ha1 = hashlib.md5(f"{username}:{realm}:{password}".encode(), usedforsecurity=False).hexdigest()
    ha1b = hashlib.md5(
        f"{username}@{realm}:{realm}:{password}".encode(), usedforsecurity=False
    ).hexdigest()
    return ha1, ha1b


def _event(line: Line, action: str, actor: Any, **data: Any) -> None:
    record_event(
        action=f"lines.{action}",
        actor=actor,
        customer=line.customer,
        subject=line,
        data={"number": line.number.e164, **data},
        after={"status": line.status},
        customer_visible=True,
    )


# LINE-3: a number whose line ended is not given to anyone else for 90 days.
NUMBER_QUARANTINE_DAYS = 90


def request_line(*, customer: Customer, number: Number, actor: Any) -> Line:
    """A new line on an available number of the customer's market; the emergency location is
    the building's address (EMG-1), to be confirmed by the customer (EMG-2: a number added)."""
    with transaction.atomic():
        locked = Number.objects.select_for_update().get(pk=number.pk)
        if locked.status != NumberStatus.AVAILABLE:
            raise ValidationError({"number": [_("This number is not available.")]})
        if locked.market != customer.market:
            raise ValidationError({"number": [_("This number is not in the customer's market.")]})
        locked.status = NumberStatus.ASSIGNED
        locked.save(update_fields=["status"])
        line = Line.objects.create(
            customer=customer,
            number=locked,
            activation_requested_at=clock.now(),
            emergency_location=locked.building.address,
            location_unconfirmed_since=clock.now(),
            location_unconfirmed_reason=LocationChange.NUMBER_ADDED,
        )
        _event(line, "line_requested", actor)
        hooks.line_requested(line=line)
    return line


def confirm_location(*, line: Line, actor: Any) -> Line:
    """EMG-2: the customer confirms the registered emergency location."""
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        if locked.status == LineStatus.TERMINATED:
            raise ValidationError({"status": [_("This line has ended.")]})
        locked.location_confirmed_at = clock.now()
        locked.location_unconfirmed_since, locked.location_unconfirmed_reason = None, ""
        locked.save(
            update_fields=[
                "location_confirmed_at",
                "location_unconfirmed_since",
                "location_unconfirmed_reason",
            ]
        )
        _event(locked, "location_confirmed", actor, location=locked.emergency_location)
    return locked


def mark_location_unconfirmed(*, line: Line, reason: str, actor: Any) -> Line:
    """EMG-2: a number was changed, added or ported: the customer must confirm the line's
    emergency location again. Until then the portal asks them and the console lists the line.

    Porting calls this with ``LocationChange.NUMBER_PORTED`` when a number arrives."""
    if reason not in LocationChange.values:
        raise ValidationError(
            {"reason": [_("Choose one of: %s") % ", ".join(LocationChange.values)]}
        )
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        locked.location_unconfirmed_since = clock.now()
        locked.location_unconfirmed_reason = reason
        locked.save(update_fields=["location_unconfirmed_since", "location_unconfirmed_reason"])
        _event(locked, "location_unconfirmed", actor, reason=reason)
    return locked


def open_line(
    *,
    customer: Customer,
    number: Number,
    actor: Any,
    limitations_acknowledged: bool,
    location_confirmed: bool,
) -> Line:
    """A line asked for in the portal: the limits of emergency calls are acknowledged (EMG-5)
    and the registered location confirmed (EMG-1, EMG-2) before it is activated, all or nothing."""
    errors = {}
    if not limitations_acknowledged:
        errors["acknowledge_limitations"] = [
            _("Please acknowledge the limits of emergency calls before the line is activated.")
        ]
    if not location_confirmed:
        errors["confirm_location"] = [
            _("Please confirm the emergency location before the line is activated.")
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        line = request_line(customer=customer, number=number, actor=actor)
        line = acknowledge_emergency_limitations(line=line, actor=actor)
        line = confirm_location(line=line, actor=actor)
        line = activate_line(line=line, actor=actor)
    return line


# EMG-4: what the customer is told when they mark a line as used abroad.
ABROAD_WARNING = gettext_lazy(
    "Line %(number)s is marked as used abroad. Emergency calls will not work from it: use a "
    "local phone line to call the emergency services."
)


def set_in_use_abroad(*, line: Line, abroad: bool, actor: Any) -> Line:
    """EMG-4: a line in use outside the market's country: emergency calls from it are refused
    with a clear message by the SIP core, and the customer is told so when they mark it."""
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        if locked.status == LineStatus.TERMINATED:
            raise ValidationError({"status": [_("This line has ended.")]})
        if locked.in_use_abroad != abroad:
            locked.in_use_abroad = abroad
            locked.save(update_fields=["in_use_abroad"])
            _event(locked, "in_use_abroad" if abroad else "back_in_country", actor)
    return locked


def acknowledge_emergency_limitations(*, line: Line, actor: Any) -> Line:
    """EMG-5: the customer acknowledges the limits of emergency calls (power, internet, abroad, location)."""
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        locked.emergency_limitations_acknowledged_at = clock.now()
        locked.emergency_limitations_acknowledged_by = actor if getattr(actor, "pk", None) else None
        locked.save(
            update_fields=[
                "emergency_limitations_acknowledged_at",
                "emergency_limitations_acknowledged_by",
            ]
        )
        _event(locked, "emergency_limitations_acknowledged", actor)
    return locked


def activate_line(*, line: Line, actor: Any) -> Line:
    """EMG-1: no activation without a registered location; EMG-5: nor without the acknowledgement."""
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        errors = {}
        if locked.status != LineStatus.REQUESTED:
            errors["status"] = [_("Only a requested line can be activated.")]
        if not locked.emergency_location.strip():
            errors["emergency_location"] = [_("A line needs a registered emergency location.")]
        if locked.emergency_limitations_acknowledged_at is None:
            errors["emergency_limitations"] = [
                _("The customer must first acknowledge the limits of emergency calls.")
            ]
        if errors:
            raise ValidationError(errors)
        locked.status, locked.activated_at = LineStatus.ACTIVE, clock.now()
        locked.save(update_fields=["status", "activated_at"])
        _event(locked, "line_activated", actor)
    return locked


def suspend_line(*, line: Line, ground: str, actor: Any) -> Line:
    """LIFE-1: every suspension records its ground; emergency calls stay open (EMG-3, in routing)."""
    if ground not in SuspensionGround.values:
        raise ValidationError(
            {"ground": [_("Choose one of: %s") % ", ".join(SuspensionGround.values)]}
        )
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        if locked.status != LineStatus.ACTIVE:
            raise ValidationError({"status": [_("Only an active line can be suspended.")]})
        locked.status, locked.suspension_ground = LineStatus.SUSPENDED, ground
        locked.save(update_fields=["status", "suspension_ground"])
        _event(locked, "line_suspended", actor, ground=ground)
    return locked


def reactivate_line(*, line: Line, actor: Any) -> Line:
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        if locked.status != LineStatus.SUSPENDED:
            raise ValidationError({"status": [_("Only a suspended line can be reactivated.")]})
        locked.status, locked.suspension_ground = LineStatus.ACTIVE, ""
        locked.save(update_fields=["status", "suspension_ground"])
        _event(locked, "line_reactivated", actor)
    return locked


def terminate_line(*, line: Line, actor: Any, at: Any = None) -> Line:
    """The line ends: its devices can no longer register and its number goes into
    quarantine for 90 days before it can be given again (LINE-3)."""
    at = at or clock.now()
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        if locked.status == LineStatus.TERMINATED:
            raise ValidationError({"status": [_("This line has already ended.")]})
        locked.status, locked.terminated_at = LineStatus.TERMINATED, at
        locked.save(update_fields=["status", "terminated_at"])
        Number.objects.filter(pk=locked.number_id).update(
            status=NumberStatus.QUARANTINED,
            quarantined_until=at + dt.timedelta(days=NUMBER_QUARANTINE_DAYS),
        )
        _event(locked, "line_terminated", actor)
        hooks.line_terminated(line=locked, at=at)
    return locked


def add_device(
    *, line: Line, kind: str, actor: Any, label: str = "", password: str | None = None
) -> tuple[Device, str]:
    """A device with its own SIP credentials; the password is returned once and never stored."""
    if kind not in DeviceKind.values:
        raise ValidationError({"kind": [_("Choose one of: %s") % ", ".join(DeviceKind.values)]})
    password = password or secrets.token_urlsafe(15)
    realm = settings.SIP_DOMAIN
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        if locked.status == LineStatus.TERMINATED:
            raise ValidationError({"line": [_("This line has ended.")]})
        username = f"{locked.number.e164.lstrip('+')}-{secrets.token_hex(3)}"
        ha1, ha1b = digest_hashes(username, realm, password)
        device = Device.objects.create(
            line=locked,
            kind=kind,
            label=label,
            sip_username=username,
            sip_domain=realm,
            ha1=ha1,
            ha1b=ha1b,
            created_at=clock.now(),
        )
        _event(locked, "device_added", actor, device=username, kind=kind)
    return device, password


def block_device(*, device: Device, actor: Any, reason: str) -> Device:
    """LINE-4: a theft or fraud report blocks the device's credentials at once."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the device is blocked.")]})
    if getattr(actor, "customer_id", None) not in (None, device.line.customer_id):
        raise PermissionDenied(_("This device belongs to another customer."))
    with transaction.atomic():
        locked = (
            Device.objects.select_for_update()
            .select_related("line__number", "line__customer")
            .get(pk=device.pk)
        )
        if locked.blocked_at is None:
            locked.blocked_at, locked.blocked_reason = clock.now(), reason.strip()
            locked.save(update_fields=["blocked_at", "blocked_reason"])
            _event(
                locked.line,
                "device_blocked",
                actor,
                device=locked.sip_username,
                reason=locked.blocked_reason,
            )
            transaction.on_commit(lambda: _device_blocked(locked.sip_username))
    return locked


def report_theft_or_fraud(*, device: Device, what: str, details: str, actor: Any) -> Device:
    """LINE-4: stolen equipment or fraud reported (portal, API, or support by phone); the
    device is blocked at once, with what happened as the reason."""
    if what not in TheftOrFraud.values:
        raise ValidationError({"what": [_("Say whether the device was stolen or used for fraud.")]})
    details = details.strip()
    return block_device(
        device=device, actor=actor, reason=f"{what}: {details}" if details else what
    )


def _device_blocked(username: str) -> None:
    """Tell the SIP core, so the device's current registrations go too (no new ones are accepted)."""
    hooks.device_blocked(sip_username=username)


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
    *, line: Line, new_number: Number, reason: str, actor: Any
) -> NumberChange:
    """LINE-2: the operator changes a number it assigned. The new number is held for the line
    at once; the customer is emailed a notice in their language now, and the change is made
    when the market's notice period ends (stored as ``effective_at``)."""
    require_capability(actor, NUMBER_CHANGE_CAPABILITY)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the number is changed.")]})
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        number = Number.objects.select_for_update().get(pk=new_number.pk)
        errors: dict[str, list[str]] = {}
        if locked.status == LineStatus.TERMINATED:
            errors["line"] = [_("This line has ended.")]
        elif NumberChange.objects.filter(line=locked, status=NumberChangeStatus.SCHEDULED).exists():
            errors["line"] = [_("A number change is already scheduled for this line.")]
        if number.status != NumberStatus.AVAILABLE:
            errors["new_number"] = [_("This number is not available.")]
        elif number.market != locked.customer.market:
            errors["new_number"] = [_("This number is not in the customer's market.")]
        if errors:
            raise ValidationError(errors)
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


def cancel_number_change(*, change: NumberChange, actor: Any) -> NumberChange:
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
            raise ValidationError(
                {
                    "status": [
                        _("This number change is %(status)s.")
                        % {"status": locked.get_status_display()}
                    ]
                }
            )
        if clock.now() >= locked.effective_at:
            raise ValidationError({"status": [_("This number change has already taken effect.")]})
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


def request_replacement(*, device: Device, description: str, actor: Any) -> ReplacementRequest:
    """LINE-5: a defective desk phone supplied by the operator is replaced at no cost. The
    request is tracked (requested, shipped, done); nothing in it creates a charge."""
    if not description.strip():
        raise ValidationError({"description": [_("Describe what is wrong with the device.")]})
    if getattr(actor, "customer_id", None) not in (None, device.line.customer_id):
        raise PermissionDenied(_("This device belongs to another customer."))
    with transaction.atomic():
        locked = (
            Device.objects.select_for_update()
            .select_related("line__number", "line__customer")
            .get(pk=device.pk)
        )
        errors = {}
        if locked.kind != DeviceKind.DESK_PHONE:
            errors["device"] = [_("Only a desk phone we supplied can be replaced.")]
        elif locked.line.status == LineStatus.TERMINATED:
            errors["device"] = [_("This line has ended.")]
        elif (
            ReplacementRequest.objects.filter(device=locked)
            .exclude(status=ReplacementStatus.DONE)
            .exists()
        ):
            errors["device"] = [_("A replacement of this device is already under way.")]
        if errors:
            raise ValidationError(errors)
        replacement = ReplacementRequest.objects.create(
            line=locked.line,
            device=locked,
            description=description.strip(),
            requested_at=clock.now(),
            requested_by=actor if getattr(actor, "pk", None) else None,
        )
        _event(
            locked.line,
            "replacement_requested",
            actor,
            device=locked.sip_username,
            replacement=replacement.pk,
        )
    return replacement


# Who ships and closes a replacement (accounts.permissions).
REPLACEMENT_CAPABILITY = "replacements.act"


def _replacement_step(
    replacement: ReplacementRequest, actor: Any, expected: str, to: str
) -> ReplacementRequest:
    require_capability(actor, REPLACEMENT_CAPABILITY)
    locked = (
        ReplacementRequest.objects.select_for_update()
        .select_related("line__number", "line__customer", "device")
        .get(pk=replacement.pk)
    )
    if locked.status != expected:
        raise ValidationError(
            {
                "status": [
                    _("This replacement is %(status)s.") % {"status": locked.get_status_display()}
                ]
            }
        )
    locked.status = to
    return locked


def mark_replacement_shipped(
    *, replacement: ReplacementRequest, reference: str, actor: Any
) -> ReplacementRequest:
    """LINE-5: the replacement device is on its way, at no cost to the customer."""
    with transaction.atomic():
        locked = _replacement_step(
            replacement, actor, ReplacementStatus.REQUESTED, ReplacementStatus.SHIPPED
        )
        locked.shipped_at, locked.shipment_reference = clock.now(), reference.strip()[:100]
        locked.save(update_fields=["status", "shipped_at", "shipment_reference"])
        _event(
            locked.line,
            "replacement_shipped",
            actor,
            replacement=locked.pk,
            reference=locked.shipment_reference,
        )
    return locked


def mark_replacement_done(*, replacement: ReplacementRequest, actor: Any) -> ReplacementRequest:
    """LINE-5: the replacement works; the request is closed."""
    with transaction.atomic():
        locked = _replacement_step(
            replacement, actor, ReplacementStatus.SHIPPED, ReplacementStatus.DONE
        )
        locked.done_at = clock.now()
        locked.save(update_fields=["status", "done_at"])
        _event(locked.line, "replacement_done", actor, replacement=locked.pk)
    return locked
