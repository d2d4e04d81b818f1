"""A line and its devices: asked for, activated once its emergency location is registered and
the limits of emergency calls acknowledged, suspended, ended; devices added and blocked.
Named actions, one transaction and one event each."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from officeline import clock
from officeline.accounts.models import Customer
from officeline.actors import Actor
from officeline.errors import DomainError
from officeline.events.services import record_event
from officeline.lines import hooks
from officeline.lines.choices import (
    DeviceKind,
    LineStatus,
    LocationChange,
    NumberStatus,
    SuspensionGround,
    TheftOrFraud,
)
from officeline.lines.errors import LineError, refuse
from officeline.lines.models import Device, Line, Number


def digest_hashes(username: str, realm: str, password: str) -> tuple[str, str]:
    """(ha1, ha1b) as Kamailio's auth_db reads them; MD5 is what SIP digest authentication uses."""
    ha1 = hashlib.md5(f"{username}:{realm}:{password}".encode(), usedforsecurity=False).hexdigest()
    ha1b = hashlib.md5(
        f"{username}@{realm}:{realm}:{password}".encode(), usedforsecurity=False
    ).hexdigest()
    return ha1, ha1b


def line_event(line: Line, action: str, actor: Actor | str, **data: Any) -> None:
    """Record ``lines.<action>`` on the line's customer's timeline, with the line's number."""
    record_event(
        action=f"lines.{action}",
        actor=actor,
        customer=line.customer,
        subject=line,
        data={"number": line.number.e164, **data},
        after={"status": line.status},
        customer_visible=True,
    )


_event = line_event

# LINE-3: a number whose line ended is not given to anyone else for 90 days.
NUMBER_QUARANTINE_DAYS = 90


def request_line(*, customer: Customer, number: Number, actor: Actor) -> Line:
    """A new line on an available number of the customer's market; the emergency location is
    the building's address (EMG-1), to be confirmed by the customer (EMG-2: a number added)."""
    with transaction.atomic():
        locked = Number.objects.select_for_update().get(pk=number.pk)
        if locked.status != NumberStatus.AVAILABLE:
            raise LineError(
                _("This number is not available."), code="number_not_available", field="number"
            )
        if locked.market != customer.market:
            raise LineError(
                _("This number is not in the customer's market."),
                code="number_in_another_market",
                field="number",
            )
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


def confirm_location(*, line: Line, actor: Actor) -> Line:
    """EMG-2: the customer confirms the registered emergency location."""
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        if locked.status == LineStatus.TERMINATED:
            raise LineError(_("This line has ended."), code="line_ended", field="status")
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


def mark_location_unconfirmed(*, line: Line, reason: str, actor: Actor | str) -> Line:
    """EMG-2: a number was changed, added or ported: the customer must confirm the line's
    emergency location again. Until then the portal asks them and the console lists the line.

    Porting calls this with ``LocationChange.NUMBER_PORTED`` when a number arrives."""
    if reason not in LocationChange.values:
        raise LineError(
            _("Choose one of: %s") % ", ".join(LocationChange.values),
            code="unknown_location_change",
            field="reason",
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
    actor: Actor,
    limitations_acknowledged: bool,
    location_confirmed: bool,
) -> Line:
    """A line asked for in the portal: the limits of emergency calls are acknowledged (EMG-5)
    and the registered location confirmed (EMG-1, EMG-2) before it is activated, all or nothing."""
    errors: list[DomainError] = []
    if not limitations_acknowledged:
        errors.append(
            LineError(
                _("Please acknowledge the limits of emergency calls before the line is activated."),
                code="emergency_limitations_not_acknowledged",
                field="acknowledge_limitations",
            )
        )
    if not location_confirmed:
        errors.append(
            LineError(
                _("Please confirm the emergency location before the line is activated."),
                code="emergency_location_not_confirmed",
                field="confirm_location",
            )
        )
    refuse(errors)
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


def set_in_use_abroad(*, line: Line, abroad: bool, actor: Actor) -> Line:
    """EMG-4: a line in use outside the market's country: emergency calls from it are refused
    with a clear message by the SIP core, and the customer is told so when they mark it."""
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        if locked.status == LineStatus.TERMINATED:
            raise LineError(_("This line has ended."), code="line_ended", field="status")
        if locked.in_use_abroad != abroad:
            locked.in_use_abroad = abroad
            locked.save(update_fields=["in_use_abroad"])
            _event(locked, "in_use_abroad" if abroad else "back_in_country", actor)
    return locked


def acknowledge_emergency_limitations(*, line: Line, actor: Actor) -> Line:
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


def activate_line(*, line: Line, actor: Actor) -> Line:
    """EMG-1: no activation without a registered location; EMG-5: nor without the acknowledgement."""
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        errors: list[DomainError] = []
        if locked.status != LineStatus.REQUESTED:
            errors.append(
                LineError(
                    _("Only a requested line can be activated."),
                    code="line_not_requested",
                    field="status",
                )
            )
        if not locked.emergency_location.strip():
            errors.append(
                LineError(
                    _("A line needs a registered emergency location."),
                    code="no_emergency_location",
                    field="emergency_location",
                )
            )
        if locked.emergency_limitations_acknowledged_at is None:
            errors.append(
                LineError(
                    _("The customer must first acknowledge the limits of emergency calls."),
                    code="emergency_limitations_not_acknowledged",
                    field="emergency_limitations",
                )
            )
        refuse(errors)
        locked.status, locked.activated_at = LineStatus.ACTIVE, clock.now()
        locked.save(update_fields=["status", "activated_at"])
        _event(locked, "line_activated", actor)
    return locked


def suspend_line(*, line: Line, ground: str, actor: Actor | str) -> Line:
    """LIFE-1: every suspension records its ground; emergency calls stay open (EMG-3, in routing)."""
    if ground not in SuspensionGround.values:
        raise LineError(
            _("Choose one of: %s") % ", ".join(SuspensionGround.values),
            code="unknown_suspension_ground",
            field="ground",
        )
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        if locked.status != LineStatus.ACTIVE:
            raise LineError(
                _("Only an active line can be suspended."), code="line_not_active", field="status"
            )
        locked.status, locked.suspension_ground = LineStatus.SUSPENDED, ground
        locked.save(update_fields=["status", "suspension_ground"])
        _event(locked, "line_suspended", actor, ground=ground)
    return locked


def reactivate_line(*, line: Line, actor: Actor | str) -> Line:
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        if locked.status != LineStatus.SUSPENDED:
            raise LineError(
                _("Only a suspended line can be reactivated."),
                code="line_not_suspended",
                field="status",
            )
        locked.status, locked.suspension_ground = LineStatus.ACTIVE, ""
        locked.save(update_fields=["status", "suspension_ground"])
        _event(locked, "line_reactivated", actor)
    return locked


def terminate_line(*, line: Line, actor: Actor | str, at: dt.datetime | None = None) -> Line:
    """The line ends: its devices can no longer register and its number goes into
    quarantine for 90 days before it can be given again (LINE-3)."""
    at = at or clock.now()
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        if locked.status == LineStatus.TERMINATED:
            raise LineError(
                _("This line has already ended."), code="line_already_ended", field="status"
            )
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
    *, line: Line, kind: str, actor: Actor, label: str = "", password: str | None = None
) -> tuple[Device, str]:
    """A device with its own SIP credentials; the password is returned once and never stored."""
    if kind not in DeviceKind.values:
        raise LineError(
            _("Choose one of: %s") % ", ".join(DeviceKind.values),
            code="unknown_device_kind",
            field="kind",
        )
    password = password or secrets.token_urlsafe(15)
    realm = settings.SIP_DOMAIN
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        if locked.status == LineStatus.TERMINATED:
            raise LineError(_("This line has ended."), code="line_ended", field="line")
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


def block_device(*, device: Device, actor: Actor, reason: str) -> Device:
    """LINE-4: a theft or fraud report blocks the device's credentials at once."""
    if not reason.strip():
        raise LineError(
            _("Say why the device is blocked."), code="block_reason_missing", field="reason"
        )
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


def report_theft_or_fraud(*, device: Device, what: str, details: str, actor: Actor) -> Device:
    """LINE-4: stolen equipment or fraud reported (portal, API, or support by phone); the
    device is blocked at once, with what happened as the reason."""
    if what not in TheftOrFraud.values:
        raise LineError(
            _("Say whether the device was stolen or used for fraud."),
            code="unknown_theft_or_fraud",
            field="what",
        )
    details = details.strip()
    return block_device(
        device=device, actor=actor, reason=f"{what}: {details}" if details else what
    )


def _device_blocked(username: str) -> None:
    """Tell the SIP core, so the device's current registrations go too (no new ones are accepted)."""
    hooks.device_blocked(sip_username=username)
