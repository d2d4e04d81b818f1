"""Number porting: port-in and port-out requests, their due dates and completion (PORT-1, PORT-3, LINE-3).

A port is asked for by the customer (or recorded by staff for them) after the
warning that porting may not be possible (PORT-3). Staff then record the port
date agreed with the other provider; the due date, the date by which the law or
industry practice wants the port complete, follows from it and is stored
(PORT-1). Completing a port-in brings the number into the building's pool on a
new line whose emergency location awaits the customer's confirmation (EMG-2);
completing a port-out ends the line, and the number leaves the pool instead of
going into quarantine. What a late port costs the operator is billing's
(PORT-2): the pages and the API reach it through ``lines.compensation``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.models import Building, Customer, market_parameter
from officeline.accounts.validators import phone_number
from officeline.actors import Actor
from officeline.errors import DomainError
from officeline.events.services import record_event
from officeline.lines.choices import (
    LineStatus,
    LocationChange,
    NumberStatus,
    PortDirection,
    PortState,
)
from officeline.lines.errors import LineError, refuse
from officeline.lines.models import Line, Number, PortRequest
from officeline.lines.selectors import OPEN_PORT_STATES
from officeline.lines.services.lines import mark_location_unconfirmed, request_line, terminate_line
from officeline.markets.deadlines import add_business_days, local_date

# PORT-1: a port is due this many business days after the date agreed with the
# other provider (market parameter ``port_due_business_days``).
DEFAULT_DUE_BUSINESS_DAYS = 1


def _event(port: PortRequest, action: str, actor: Actor, **data: Any) -> None:
    record_event(
        action=f"lines.{action}",
        actor=actor,
        customer=port.customer,
        subject=port,
        data={"number": port.e164, "direction": port.direction, **data},
        after={"state": port.state},
        customer_visible=True,
    )


def _check_actor(customer: Customer, actor: Actor) -> None:
    if getattr(actor, "customer_id", None) not in (None, customer.pk):
        raise PermissionDenied(_("You can only ask for ports of your own business."))


def _require_warning(warning_acknowledged: bool) -> None:
    """PORT-3: no port is asked for before the customer is told that it may not be possible."""
    if not warning_acknowledged:
        raise LineError(
            _("Please confirm that you understand that porting may not be possible in every case."),
            code="porting_warning_not_acknowledged",
            field="warning_acknowledged",
        )


def _check_other_provider(other_provider: str) -> str:
    if not other_provider.strip():
        raise LineError(
            _("Name the other provider."), code="other_provider_missing", field="other_provider"
        )
    return other_provider.strip()


def _create(**fields: Any) -> PortRequest:
    try:
        with transaction.atomic():
            return PortRequest.objects.create(**fields)
    except IntegrityError:
        raise LineError(
            _("A port of this number is already under way."),
            code="port_under_way",
            field="number",
        ) from None


def _port_in_number(customer: Customer, number: str) -> tuple[str, list[DomainError]]:
    """The number to bring in, in E.164, and what is wrong with it."""
    try:
        e164 = phone_number(number, customer.market)
    except ValidationError as exc:
        return "", [LineError(exc.messages[0], code="invalid_number", field="number")]
    if Number.objects.filter(e164=e164).exclude(status=NumberStatus.PORTED_OUT).exists():
        return e164, [
            LineError(
                _("This number is already one of ours."), code="number_already_ours", field="number"
            )
        ]
    return e164, []


def _port_in_building(customer: Customer, building: Building | None) -> list[DomainError]:
    if building is None:
        return [
            LineError(
                _("Your business has no building yet: contact support."),
                code="no_building",
                field="building",
            )
        ]
    if building.market != customer.market:
        return [
            LineError(
                _("This building is not in the customer's market."),
                code="building_in_another_market",
                field="building",
            )
        ]
    return []


def request_port_in(
    *,
    customer: Customer,
    number: str,
    building: Building | None,
    other_provider: str,
    actor: Actor,
    warning_acknowledged: bool,
    other_account_reference: str = "",
) -> PortRequest:
    """PORT-1: the customer asks to bring a number they hold elsewhere to one of our buildings
    (their business's building: a business without one yet is refused)."""
    _check_actor(customer, actor)
    _require_warning(warning_acknowledged)
    e164, errors = _port_in_number(customer, number)
    errors += _port_in_building(customer, building)
    provider = other_provider.strip()
    if not provider:
        errors.append(
            LineError(
                _("Name the other provider."), code="other_provider_missing", field="other_provider"
            )
        )
    refuse(errors)
    assert building is not None
    now = clock.now()
    with transaction.atomic():
        port = _create(
            customer=customer,
            direction=PortDirection.IN,
            e164=e164,
            building=building,
            other_provider=provider,
            other_account_reference=other_account_reference.strip(),
            requested_at=now,
            requested_by=actor if getattr(actor, "pk", None) else None,
            warning_acknowledged_at=now,
        )
        _event(port, "port_requested", actor, other_provider=provider)
    return port


def request_port_out(
    *, line: Line, other_provider: str, actor: Actor, warning_acknowledged: bool
) -> PortRequest:
    """PORT-1: the customer takes a line's number to another provider.

    LINE-3: a port-out must be asked for before the line's termination takes
    effect; after that the number is in quarantine and the request is refused.
    """
    _check_actor(line.customer, actor)
    _require_warning(warning_acknowledged)
    provider = _check_other_provider(other_provider)
    now = clock.now()
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        if locked.status == LineStatus.TERMINATED and locked.terminated_at is not None:
            ended = formats.date_format(local_date(locked.customer.market, locked.terminated_at))
            raise LineError(
                _(
                    "The service on %(number)s ended on %(day)s. A number can only be "
                    "ported out before the termination takes effect."
                )
                % {"number": locked.number.e164, "day": ended},
                code="line_ended_before_port_out",
                field="line",
            )
        port = _create(
            customer=locked.customer,
            direction=PortDirection.OUT,
            e164=locked.number.e164,
            line=locked,
            other_provider=provider,
            requested_at=now,
            requested_by=actor if getattr(actor, "pk", None) else None,
            warning_acknowledged_at=now,
        )
        _event(port, "port_requested", actor, other_provider=provider)
    return port


def due_date(market: str, agreed: dt.date) -> dt.date:
    """PORT-1: the agreed port date plus the market's allowance of business days."""
    allowance = int(market_parameter(market, "port_due_business_days", DEFAULT_DUE_BUSINESS_DAYS))
    return add_business_days(market, agreed, allowance)


def _locked(port: PortRequest) -> PortRequest:
    return (
        PortRequest.objects.select_for_update(of=("self",))
        .select_related("customer", "building", "line__number")
        .get(pk=port.pk)
    )


def agree_port_date(*, port: PortRequest, agreed_date: dt.date, actor: Actor) -> PortRequest:
    """Staff record the port date agreed with the other provider; the due date is stored with it."""
    with transaction.atomic():
        locked = _locked(port)
        if locked.state not in OPEN_PORT_STATES:
            raise LineError(_("This port is no longer open."), code="port_closed", field="state")
        today = local_date(locked.customer.market, clock.now())
        if agreed_date < today:
            raise LineError(
                _("The agreed date cannot be in the past."),
                code="agreed_date_in_past",
                field="agreed_date",
            )
        locked.agreed_date = agreed_date
        locked.due_date = due_date(locked.customer.market, agreed_date)
        locked.state = PortState.AGREED
        locked.save(update_fields=["agreed_date", "due_date", "state"])
        _event(
            locked,
            "port_date_agreed",
            actor,
            agreed_date=agreed_date.isoformat(),
            due_date=locked.due_date.isoformat(),
        )
    return locked


def complete_port(*, port: PortRequest, completed_on: dt.date, actor: Actor) -> PortRequest:
    """The port happened on ``completed_on``; the date is kept for PORT-2."""
    with transaction.atomic():
        locked = _locked(port)
        if locked.state != PortState.AGREED:
            raise LineError(
                _("Only a port with an agreed date can be completed."),
                code="port_not_agreed",
                field="state",
            )
        today = local_date(locked.customer.market, clock.now())
        if completed_on > today:
            raise LineError(
                _("The completion date cannot be in the future."),
                code="completion_date_in_future",
                field="completed_on",
            )
        if locked.direction == PortDirection.IN:
            _bring_in(locked, actor)
        else:
            _send_out(locked, actor)
        locked.state, locked.completed_on = PortState.COMPLETED, completed_on
        locked.save(update_fields=["state", "completed_on", "line"])
        _event(
            locked,
            "port_completed",
            actor,
            completed_on=completed_on.isoformat(),
            days_late=locked.days_late,
        )
    return locked


def _bring_in(port: PortRequest, actor: Actor) -> None:
    """The number joins the building's pool on a new line of the customer (EMG-2: to confirm)."""
    assert port.building is not None
    number, _created = Number.objects.update_or_create(
        e164=port.e164,
        defaults={
            "market": port.customer.market,
            "building": port.building,
            "status": NumberStatus.AVAILABLE,
            "quarantined_until": None,
        },
    )
    line = request_line(customer=port.customer, number=number, actor=actor)
    port.line = mark_location_unconfirmed(
        line=line, reason=LocationChange.NUMBER_PORTED, actor=actor
    )


def _send_out(port: PortRequest, actor: Actor) -> None:
    """The line ends and its number leaves the pool (no quarantine: it is not ours any more)."""
    assert port.line is not None
    if port.line.status != LineStatus.TERMINATED:
        terminate_line(line=port.line, actor=actor)
    Number.objects.filter(pk=port.line.number_id).update(
        status=NumberStatus.PORTED_OUT, quarantined_until=None
    )


def close_port(*, port: PortRequest, state: str, reason: str, actor: Actor) -> PortRequest:
    """A port is rejected (by the other provider or the operator) or cancelled, with its reason."""
    if state not in (PortState.REJECTED, PortState.CANCELLED):
        raise LineError(
            _("A port is closed as rejected or cancelled."),
            code="unknown_port_outcome",
            field="state",
        )
    if not reason.strip():
        raise LineError(
            _("Say why the port is closed."), code="port_close_reason_missing", field="reason"
        )
    with transaction.atomic():
        locked = _locked(port)
        if locked.state not in OPEN_PORT_STATES:
            raise LineError(_("This port is no longer open."), code="port_closed", field="state")
        locked.state, locked.closed_reason = state, reason.strip()
        locked.save(update_fields=["state", "closed_reason"])
        _event(locked, f"port_{state}", actor, reason=locked.closed_reason)
    return locked
