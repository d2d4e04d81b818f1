"""Reads of the lines app, for the portal and the console."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from officeline import clock
from officeline.accounts.models import Customer
from officeline.lines.choices import (
    DeviceKind,
    LineStatus,
    MaintenanceStatus,
    NumberStatus,
    PortState,
)
from officeline.lines.models import (
    Device,
    Line,
    Maintenance,
    Number,
    PortRequest,
    ReplacementRequest,
)
from officeline.markets.definitions import get_market


def customer_lines(customer_id: int, *, include_ended: bool = False) -> QuerySet[Line]:
    """A customer's lines with their numbers and devices, by number."""
    lines = Line.objects.filter(customer_id=customer_id)
    if not include_ended:
        lines = lines.exclude(status=LineStatus.TERMINATED)
    return (
        lines.select_related("number", "number__building")
        .prefetch_related(Prefetch("devices", queryset=Device.objects.order_by("created_at")))
        .order_by("number__e164", "pk")
    )


def customer_line(customer_id: int, line_id: int, *, include_ended: bool = False) -> Line:
    """One of the customer's lines, live unless ``include_ended`` (Line.DoesNotExist otherwise)."""
    lines = Line.objects.select_related("number", "customer").prefetch_related(
        Prefetch("devices", queryset=Device.objects.order_by("created_at"))
    )
    if not include_ended:
        lines = lines.exclude(status=LineStatus.TERMINATED)
    return lines.get(customer_id=customer_id, pk=line_id)


def customer_device(customer_id: int, device_id: int) -> Device:
    """One device of one of the customer's lines (Device.DoesNotExist otherwise)."""
    return Device.objects.select_related("line__number", "line__customer").get(
        pk=device_id, line__customer_id=customer_id
    )


def available_numbers(customer: Customer) -> QuerySet[Number]:
    """Numbers a new line of this customer may take: free numbers of its building's pool
    (the building's address is the line's emergency location, EMG-1)."""
    numbers = Number.objects.filter(status=NumberStatus.AVAILABLE, market=customer.market)
    if customer.building_id is not None:
        numbers = numbers.filter(building_id=customer.building_id)
    return numbers.select_related("building").order_by("e164")


def replaceable_devices(customer_id: int) -> QuerySet[Device]:
    """LINE-5: the devices the business may ask to replace: the desk phones we supplied, not
    blocked, on its live lines (the portal's choice and the API's)."""
    return (
        Device.objects.filter(
            line__customer_id=customer_id, kind=DeviceKind.DESK_PHONE, blocked_at__isnull=True
        )
        .exclude(line__status=LineStatus.TERMINATED)
        .select_related("line__number")
        .order_by("line__number__e164", "created_at")
    )


def customer_replacements(customer_id: int) -> QuerySet[ReplacementRequest]:
    """LINE-5: the business's replacement requests, newest first."""
    return (
        ReplacementRequest.objects.filter(line__customer_id=customer_id)
        .select_related("line__number", "device")
        .order_by("-requested_at", "-pk")
    )


# PORT-1: a port still to be agreed or completed.
OPEN_PORT_STATES = (PortState.REQUESTED, PortState.AGREED)


def customer_ports(customer_id: int) -> QuerySet[PortRequest]:
    """PORT-1: the business's ports, newest first."""
    return PortRequest.objects.filter(customer_id=customer_id).order_by("-requested_at")


def customer_port(customer_id: int, port_id: int) -> PortRequest:
    """One of the business's ports (PortRequest.DoesNotExist otherwise)."""
    return PortRequest.objects.select_related("customer").get(pk=port_id, customer_id=customer_id)


def open_ports() -> QuerySet[PortRequest]:
    """PORT-1: the ports still open, the nearest due date first (no date agreed yet: first)."""
    return (
        PortRequest.objects.filter(state__in=OPEN_PORT_STATES)
        .select_related("customer")
        .order_by("due_date", "requested_at")
    )


@dataclass(frozen=True)
class Provisioning:
    """What a phone needs to register: shown once with the password (LINE-1)."""

    username: str
    domain: str
    server: str
    transports: tuple[str, ...]


def provisioning(device: Device) -> Provisioning:
    return Provisioning(
        username=device.sip_username,
        domain=device.sip_domain,
        server=f"{settings.SIP_LISTEN_HOST}:{settings.SIP_LISTEN_PORT}",
        transports=("UDP", "TCP"),
    )


def unconfirmed_locations() -> QuerySet[Line]:
    """EMG-2: live lines whose number changed, was added or ported and whose emergency
    location the customer has not confirmed since, oldest first."""
    return (
        Line.objects.filter(location_unconfirmed_since__isnull=False)
        .exclude(status=LineStatus.TERMINATED)
        .select_related("number", "customer")
        .order_by("location_unconfirmed_since", "pk")
    )


# Kamailio's usrloc table, made by a telephony migration (db_mode 3: the registrations
# live there, so a restart keeps them). Read as SQL: lines does not import telephony.
LOCATION_TABLE = "location"


def live_registrations(usernames: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The registrations Kamailio holds for these SIP usernames, read from its ``location``
    table: contact, received address, user agent, expiry."""
    found: dict[str, list[dict[str, Any]]] = {name: [] for name in usernames}
    if not usernames:
        return found
    placeholders = ", ".join(["%s"] * len(usernames))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT username, contact, received, user_agent, expires "
            f"FROM {LOCATION_TABLE} WHERE username IN ({placeholders}) ORDER BY expires DESC",
            usernames,
        )
        for username, contact, received, user_agent, expires in cursor.fetchall():
            found.setdefault(username, []).append(
                {
                    "contact": contact,
                    "received": received,
                    "user_agent": user_agent,
                    "expires": expires,
                }
            )
    return found


# LIFE-6: the lines whose customers are told of maintenance: those that can make and take
# calls, or will again.
LIVE_LINE_STATUSES = (LineStatus.ACTIVE, LineStatus.SUSPENDED)


def upcoming_for_customer(customer_id: int, *, now: dt.datetime) -> list[Maintenance]:
    """The scheduled maintenance not yet ended that affects the customer's live lines."""
    buildings = set(
        Line.objects.filter(customer_id=customer_id, status__in=LIVE_LINE_STATUSES).values_list(
            "number__building_id", flat=True
        )
    )
    if not buildings:
        return []
    market = Customer.objects.filter(pk=customer_id).values_list("market", flat=True).first()
    return list(
        Maintenance.objects.filter(
            status=MaintenanceStatus.SCHEDULED, ends_at__gt=now, market=market
        )
        .filter(Q(whole_market=True) | Q(buildings__in=buildings))
        .distinct()
        .prefetch_related("buildings")
        .order_by("starts_at", "pk")
    )


def upcoming(*, now: dt.datetime, market: str | None = None) -> QuerySet[Maintenance]:
    """Scheduled maintenance not yet ended, soonest first (the public page, the console)."""
    found = Maintenance.objects.filter(status=MaintenanceStatus.SCHEDULED, ends_at__gt=now)
    if market:
        found = found.filter(market=market)
    return found.prefetch_related("buildings").order_by("starts_at", "pk")


def public_windows(market: str) -> dict[str, Any]:
    """The information page's section: the market's planned maintenance not yet ended."""
    return {
        "windows": list(upcoming(now=clock.now(), market=market)),
        "time_zone": get_market(market).time_zone,
    }
