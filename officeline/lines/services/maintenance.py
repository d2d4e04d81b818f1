"""LIFE-6: planned maintenance, announced to the customers it affects with reasonable notice.

Network engineers, supervisors and the Director schedule a maintenance window (what, when,
where: some buildings of a market or all of them). Every customer with a live line (active
or suspended) in an affected building is emailed at once, in their language, with the window
in their market's time zone. The start must be at least the market's notice ahead (default
48 hours, the market parameter ``maintenance_notice_hours``), counted in real hours, so a
daylight-saving change in between does not shorten it; with less notice the window is
refused, naming the earliest start allowed, unless staff say why more notice was not feasible
(urgent work): the reason is kept and said in the email. Moving the window sends an updated
notice under the same rule; cancelling sends a cancellation notice. Each notice is an event on
each customer's timeline; the emails go through the notifications outbox after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.choices import CustomerStatus
from officeline.accounts.models import Building, Customer, market_parameter
from officeline.accounts.permissions import require_capability
from officeline.actors import Actor
from officeline.events.models import Event
from officeline.events.services import build_event, record_event, subject_key
from officeline.lines.choices import MaintenanceStatus
from officeline.lines.errors import LineError, refuse
from officeline.lines.models import Line, Maintenance
from officeline.lines.selectors import LIVE_LINE_STATUSES
from officeline.markets.choices import MarketCode
from officeline.markets.definitions import get_market
from officeline.notifications.services import queue_email

NOTICE_PARAMETER = "maintenance_notice_hours"
DEFAULT_NOTICE_HOURS = 48
# LIFE-6: who schedules, moves and cancels a window (accounts.permissions).
MAINTENANCE_CAPABILITY = "maintenance.schedule"
# The events of the notices each customer received, on their timeline.
ANNOUNCED, UPDATED, CANCELLED = (
    "lines.maintenance_announced",
    "lines.maintenance_updated",
    "lines.maintenance_cancelled",
)


def notice_hours(market: str) -> int:
    """LIFE-6: how many hours ahead customers are told (default 48)."""
    return int(market_parameter(market, NOTICE_PARAMETER, DEFAULT_NOTICE_HOURS))


def earliest_start(market: str, now: dt.datetime) -> dt.datetime:
    """LIFE-6: the earliest start allowed with the market's notice, in real hours from ``now``
    and rounded up to the minute (the console takes minutes), in the market's time zone."""
    earliest = now + dt.timedelta(hours=notice_hours(market))
    if earliest.second or earliest.microsecond:
        earliest = earliest.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    return earliest.astimezone(get_market(market).tz)


def local_text(moment: dt.datetime, market: str) -> str:
    """A moment as the console takes it back: ``YYYY-MM-DD HH:MM`` in the market's time, with
    the time zone's abbreviation (GMT, BST, CET, CEST), so that the hour is never ambiguous."""
    local = moment.astimezone(get_market(market).tz)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


# The refusals found together, one per field: a later one replaces an earlier one.
Refusals = dict[str, LineError]


def _refused(field: str, message: str, code: str) -> Refusals:
    return {field: LineError(message, code=code, field=field)}


def _window_refusals(
    *,
    market: str,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    urgent_reason: str,
    now: dt.datetime,
) -> Refusals:
    """LIFE-6, decided here: the problems with a maintenance window, by field (empty if none).

    The start is not in the past, the end is after the start, and the start is at least the
    market's notice after ``now`` unless ``urgent_reason`` says why more was not feasible."""
    errors: Refusals = {}
    if starts_at is None:
        errors |= _refused(
            "starts_at", _("Give the start of the maintenance."), "maintenance_start_missing"
        )
    if ends_at is None:
        errors |= _refused(
            "ends_at", _("Give the end of the maintenance."), "maintenance_end_missing"
        )
    if starts_at is None or ends_at is None:
        return errors
    if starts_at <= now:
        return errors | _refused(
            "starts_at",
            _("The start %(start)s is in the past.") % {"start": local_text(starts_at, market)},
            "maintenance_start_in_past",
        )
    if ends_at <= starts_at:
        errors |= _refused(
            "ends_at", _("The end must be after the start."), "maintenance_ends_before_start"
        )
    earliest = earliest_start(market, now)
    if starts_at < earliest and not urgent_reason.strip():
        errors |= _refused(
            "starts_at",
            _(
                "Customers must be told at least %(hours)s hours ahead: the earliest start "
                "allowed is %(earliest)s. If more notice is not feasible (urgent work), say why."
            )
            % {"hours": notice_hours(market), "earliest": local_text(earliest, market)},
            "maintenance_notice_too_short",
        )
    return errors


def affected_lines(
    *, market: str, buildings: Iterable[Building], whole_market: bool
) -> QuerySet[Line]:
    """The live lines (active or suspended) in the buildings, or in every building of the market."""
    lines = Line.objects.filter(
        status__in=LIVE_LINE_STATUSES, number__market=market, customer__market=market
    ).exclude(customer__status=CustomerStatus.TERMINATED)
    if not whole_market:
        lines = lines.filter(number__building__in=[b.pk for b in buildings])
    return lines


def _affected(
    *, market: str, buildings: Iterable[Building], whole_market: bool
) -> dict[int, list[str]]:
    """Customer id -> the names of their affected buildings, in one query."""
    found: dict[int, list[str]] = {}
    rows = (
        affected_lines(market=market, buildings=buildings, whole_market=whole_market)
        .values_list("customer_id", "number__building__name")
        .distinct()
        .order_by("customer_id", "number__building__name")
    )
    for customer_id, building in rows:
        found.setdefault(customer_id, []).append(building)
    return found


def affected_count(*, market: str, buildings: Iterable[Building], whole_market: bool) -> int:
    """How many customers a maintenance there would be announced to."""
    return len(_affected(market=market, buildings=buildings, whole_market=whole_market))


def _told(maintenance: Maintenance) -> set[int]:
    """The customers already told of this maintenance."""
    subject_type, subject_id = subject_key(maintenance)
    return set(
        Event.objects.filter(
            action__in=(ANNOUNCED, UPDATED),
            subject_type=subject_type,
            subject_id=subject_id,
            customer_id__isnull=False,
        ).values_list("customer_id", flat=True)
    )


def recipients(maintenance: Maintenance) -> dict[int, list[str]]:
    """Who a notice about this maintenance goes to: the customers it affects now, and those
    told before (a customer whose line ended meanwhile hears that the plan changed)."""
    buildings = list(maintenance.buildings.all())
    found = _affected(
        market=maintenance.market, buildings=buildings, whole_market=maintenance.whole_market
    )
    for customer_id in _told(maintenance) - found.keys():
        found[customer_id] = [b.name for b in buildings]
    return found


@dataclass(frozen=True)
class MaintenanceInput:
    """What staff give for a maintenance window, before it is checked."""

    market: str
    description_en: str
    description_fr: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    buildings: tuple[Building, ...] = ()
    whole_market: bool = False
    urgent_reason: str = ""


def _refusals(data: MaintenanceInput, *, now: dt.datetime) -> Refusals:
    """Every problem with scheduling ``data``, by field; empty when it can be scheduled."""
    errors: Refusals = {}
    if data.market not in MarketCode.values:
        return _refused(
            "market", _("Choose one of: %s") % ", ".join(MarketCode.values), "unknown_market"
        )
    if not data.description_en.strip():
        errors |= _refused(
            "description_en",
            _("Say in English what is done and what customers notice."),
            "maintenance_description_missing",
        )
    if not data.description_fr.strip():
        errors |= _refused(
            "description_fr",
            _("Say in French what is done and what customers notice."),
            "maintenance_description_missing",
        )
    if not data.whole_market and not data.buildings:
        errors |= _refused(
            "buildings",
            _("Choose the buildings affected, or the whole market."),
            "maintenance_buildings_missing",
        )
    elsewhere = [b.name for b in data.buildings if b.market != data.market]
    if elsewhere:
        errors |= _refused(
            "buildings",
            _("Not in this market: %(buildings)s.") % {"buildings": ", ".join(elsewhere)},
            "building_in_another_market",
        )
    errors.update(
        _window_refusals(
            market=data.market,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            urgent_reason=data.urgent_reason,
            now=now,
        )
    )
    return errors


def preview(*, data: MaintenanceInput, actor: Actor) -> int:
    """The confirmation step: how many customers would be told; raises what ``schedule`` would
    refuse. Writes nothing."""
    require_capability(actor, MAINTENANCE_CAPABILITY)
    refuse(list(_refusals(data, now=clock.now()).values()))
    return affected_count(
        market=data.market, buildings=data.buildings, whole_market=data.whole_market
    )


def _short_notice_reason(
    market: str, starts_at: dt.datetime, urgent_reason: str, now: dt.datetime
) -> str:
    """The reason kept and told to customers: only when the notice is shorter than the market's."""
    return urgent_reason.strip()[:500] if starts_at < earliest_start(market, now) else ""


def schedule_maintenance(*, data: MaintenanceInput, actor: Actor) -> Maintenance:
    """LIFE-6: schedule a maintenance window and announce it at once to every customer with a
    live line in an affected building, by email in their language."""
    require_capability(actor, MAINTENANCE_CAPABILITY)
    now = clock.now()
    refuse(list(_refusals(data, now=now).values()))
    assert data.starts_at is not None and data.ends_at is not None
    with transaction.atomic():
        maintenance = Maintenance.objects.create(
            market=data.market,
            description_en=data.description_en.strip(),
            description_fr=data.description_fr.strip(),
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            whole_market=data.whole_market,
            urgent_reason=_short_notice_reason(
                data.market, data.starts_at, data.urgent_reason, now
            ),
            scheduled_at=now,
            scheduled_by=actor if getattr(actor, "pk", None) else None,
            noticed_at=now,
        )
        if not data.whole_market:
            maintenance.buildings.set(data.buildings)
        record_event(
            action="lines.maintenance_scheduled",
            actor=actor,
            subject=maintenance,
            data=_window_data(maintenance),
        )
        _notify(maintenance, ANNOUNCED, recipients(maintenance), actor=actor, now=now)
    return maintenance


def _reschedule_errors(
    locked: Maintenance,
    *,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    urgent_reason: str,
    description_en: str | None,
    description_fr: str | None,
    now: dt.datetime,
) -> Refusals:
    errors = _still_open(locked, now)
    if errors:
        return errors
    return _refusals(
        MaintenanceInput(
            market=locked.market,
            description_en=locked.description_en if description_en is None else description_en,
            description_fr=locked.description_fr if description_fr is None else description_fr,
            starts_at=starts_at,
            ends_at=ends_at,
            buildings=tuple(locked.buildings.all()),
            whole_market=locked.whole_market,
            urgent_reason=urgent_reason,
        ),
        now=now,
    )


def preview_change(
    *,
    maintenance: Maintenance,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    actor: Actor,
    urgent_reason: str = "",
    description_en: str | None = None,
    description_fr: str | None = None,
) -> int:
    """The confirmation step of an edit: how many customers would be sent the updated notice;
    raises what ``reschedule_maintenance`` would refuse. Writes nothing."""
    require_capability(actor, MAINTENANCE_CAPABILITY)
    errors = _reschedule_errors(
        maintenance,
        starts_at=starts_at,
        ends_at=ends_at,
        urgent_reason=urgent_reason,
        description_en=description_en,
        description_fr=description_fr,
        now=clock.now(),
    )
    refuse(list(errors.values()))
    return len(recipients(maintenance))


def reschedule_maintenance(
    *,
    maintenance: Maintenance,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    actor: Actor,
    urgent_reason: str = "",
    description_en: str | None = None,
    description_fr: str | None = None,
) -> Maintenance:
    """LIFE-6: move a maintenance window (or say better what is done) before it starts; the
    customers are sent an updated notice under the same rule of notice."""
    require_capability(actor, MAINTENANCE_CAPABILITY)
    now = clock.now()
    with transaction.atomic():
        locked = Maintenance.objects.select_for_update().get(pk=maintenance.pk)
        errors = _reschedule_errors(
            locked,
            starts_at=starts_at,
            ends_at=ends_at,
            urgent_reason=urgent_reason,
            description_en=description_en,
            description_fr=description_fr,
            now=now,
        )
        refuse(list(errors.values()))
        assert starts_at is not None and ends_at is not None
        before = _window_data(locked)
        if description_en is not None:
            locked.description_en = description_en.strip()
        if description_fr is not None:
            locked.description_fr = description_fr.strip()
        locked.starts_at, locked.ends_at = starts_at, ends_at
        if _window_data(locked) == before:
            raise LineError(
                _("Nothing changed: the customers have this notice already."),
                code="maintenance_unchanged",
                field="starts_at",
            )
        locked.urgent_reason = _short_notice_reason(locked.market, starts_at, urgent_reason, now)
        locked.noticed_at = now
        locked.save(
            update_fields=[
                "description_en",
                "description_fr",
                "starts_at",
                "ends_at",
                "urgent_reason",
                "noticed_at",
            ]
        )
        record_event(
            action="lines.maintenance_rescheduled",
            actor=actor,
            subject=locked,
            before=before,
            after=_window_data(locked),
        )
        _notify(locked, UPDATED, recipients(locked), actor=actor, now=now, previous=before)
    return locked


def cancel_preview(*, maintenance: Maintenance, actor: Actor) -> int:
    """The confirmation step of a cancellation: how many customers would be told. Writes nothing."""
    require_capability(actor, MAINTENANCE_CAPABILITY)
    refuse(list(_still_open(maintenance, clock.now()).values()))
    return len(recipients(maintenance))


def cancel_maintenance(*, maintenance: Maintenance, actor: Actor) -> Maintenance:
    """LIFE-6: cancel a maintenance before it starts; the customers told of it are told it
    will not happen."""
    require_capability(actor, MAINTENANCE_CAPABILITY)
    now = clock.now()
    with transaction.atomic():
        locked = Maintenance.objects.select_for_update().get(pk=maintenance.pk)
        refuse(list(_still_open(locked, now).values()))
        locked.status, locked.cancelled_at, locked.noticed_at = (
            MaintenanceStatus.CANCELLED,
            now,
            now,
        )
        locked.save(update_fields=["status", "cancelled_at", "noticed_at"])
        record_event(action="lines.maintenance_cancelled", actor=actor, subject=locked)
        _notify(locked, CANCELLED, recipients(locked), actor=actor, now=now)
    return locked


def _still_open(maintenance: Maintenance, now: dt.datetime) -> Refusals:
    if maintenance.status == MaintenanceStatus.CANCELLED:
        return _refused("status", _("This maintenance is cancelled."), "maintenance_cancelled")
    if maintenance.starts_at <= now:
        return _refused("status", _("This maintenance has already started."), "maintenance_started")
    return {}


def _window_data(maintenance: Maintenance) -> dict[str, Any]:
    return {
        "starts_at": maintenance.starts_at.isoformat(),
        "ends_at": maintenance.ends_at.isoformat(),
        "description_en": maintenance.description_en,
        "description_fr": maintenance.description_fr,
    }


TEMPLATES = {
    ANNOUNCED: "lines/email/maintenance_announced",
    UPDATED: "lines/email/maintenance_updated",
    CANCELLED: "lines/email/maintenance_cancelled",
}


def _notify(
    maintenance: Maintenance,
    action: str,
    customers: dict[int, list[str]],
    *,
    actor: Actor,
    now: dt.datetime,
    previous: dict[str, Any] | None = None,
) -> int:
    """Queue one email per customer in their language, and an event on each one's timeline."""
    events = []
    previous_window = (
        {
            "starts_at": dt.datetime.fromisoformat(previous["starts_at"]),
            "ends_at": dt.datetime.fromisoformat(previous["ends_at"]),
        }
        if previous
        else None
    )
    for customer in Customer.objects.filter(pk__in=customers).order_by("pk"):
        buildings = customers[customer.pk]
        queue_email(
            to=customer.email,
            template=TEMPLATES[action],
            context={
                "customer": customer,
                "maintenance": maintenance,
                "description": maintenance.description(customer.language),
                "buildings": buildings,
                "time_zone": customer.market_definition.time_zone,
                "previous": previous_window,
                "notice_hours": notice_hours(maintenance.market),
            },
            language=customer.language,
            kind="lines",
            customer=customer,
        )
        events.append(
            build_event(
                action=action,
                actor=actor,
                customer=customer,
                subject=maintenance,
                data={
                    "starts_at": maintenance.starts_at.isoformat(),
                    "ends_at": maintenance.ends_at.isoformat(),
                    "buildings": buildings,
                    "urgent_reason": maintenance.urgent_reason,
                },
                at=now,
                customer_visible=True,
            )
        )
    Event.objects.bulk_create(events)
    return len(events)
