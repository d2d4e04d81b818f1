"""What the SIP tests set up again and again: an active line with one softphone, and that phone
registered with a Kamailio from SIPp."""

from __future__ import annotations

from officeline.accounts.tests.factories import (
    BuildingFactory,
    CustomerFactory,
    OfficeManagerFactory,
)
from officeline.lines.models import Device, Line, Number
from officeline.lines.services import lines as services
from officeline.telephony.kamailio import KamailioConfig, free_port
from officeline.telephony.sipp import run_scenario

PASSWORD = "desk-phone-secret-1"


def active_line(e164: str, market: str = "uk") -> tuple[Line, Device]:
    """A line of ``market`` on ``e164`` of a new customer, active, with one softphone using
    ``PASSWORD``."""
    manager = OfficeManagerFactory(customer=CustomerFactory(market=market))
    number = Number.objects.create(
        e164=e164, market=market, building=BuildingFactory(market=market)
    )
    line = services.request_line(customer=manager.customer, number=number, actor=manager)
    services.acknowledge_emergency_limitations(line=line, actor=manager)
    line = services.activate_line(line=line, actor=manager)
    device, _ = services.add_device(line=line, kind="softphone", actor=manager, password=PASSWORD)
    return line, device


def phone_line(e164: str) -> tuple[Line, str]:
    """``active_line``, with its softphone's SIP login."""
    line, device = active_line(e164)
    return line, device.sip_username


def register_phone(kamailio: KamailioConfig, username: str) -> int:
    """Register ``username`` from a free local port, which is where its calls then arrive."""
    port = free_port()
    registered = run_scenario(
        "register.xml",
        host="127.0.0.1",
        port=kamailio.listen_port,
        username=username,
        password=PASSWORD,
        local_port=port,
    )
    assert registered.succeeded, registered.output
    return port
