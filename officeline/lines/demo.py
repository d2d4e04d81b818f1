"""Demo data of the lines app: number pools in the ranges reserved for drama, two working
lines per demo customer, each with a softphone whose SIP password is printed, and a planned
maintenance of the London building a week ahead (LIFE-6), announced to its customer."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from officeline import clock
from officeline.accounts.choices import StaffRole
from officeline.accounts.models import Building, Customer, User
from officeline.demo import DemoReport
from officeline.lines.models import Device, Line, Maintenance, Number
from officeline.lines.services import lines as services
from officeline.lines.services import maintenance
from officeline.markets.definitions import get_market

# Ofcom's drama range 020 7946 0xxx; Arcep's fiction range 01 99 00 xx xx.
POOLS = {
    "uk": [f"+4420794600{n:02d}" for n in range(10, 30)],
    "fr": [f"+331990000{n:02d}" for n in range(10, 30)],
}
DEMO_SIP_PASSWORD = "officeline-sip-2026"


def seed(report: DemoReport) -> None:
    for market, numbers in POOLS.items():
        building = Building.objects.filter(market=market).order_by("pk").first()
        if building is None:
            continue
        for e164 in numbers:
            Number.objects.get_or_create(
                e164=e164, defaults={"market": market, "building": building}
            )
        customer = Customer.objects.filter(market=market, building=building).order_by("pk").first()
        if customer is None:
            continue
        manager = customer.people.order_by("pk").first()
        for e164 in numbers[:2]:
            line = Line.objects.filter(number__e164=e164).first()
            if line is None:
                line = services.request_line(
                    customer=customer, number=Number.objects.get(e164=e164), actor=manager
                )
                services.acknowledge_emergency_limitations(line=line, actor=manager)
                services.confirm_location(line=line, actor=manager)
                line = services.activate_line(line=line, actor=manager)
            device = Device.objects.filter(line=line).first()
            if device is None:
                device, _ = services.add_device(
                    line=line, kind="softphone", actor=manager, password=DEMO_SIP_PASSWORD
                )
            report.login(
                f"SIP phone {e164}",
                f"{device.sip_username}@{settings.SIP_DOMAIN}",
                DEMO_SIP_PASSWORD,
            )
    _plan_maintenance()
    report.place(
        "SIP server (UDP and TCP)", f"sip:{settings.SIP_LISTEN_HOST}:{settings.SIP_LISTEN_PORT}"
    )
    if settings.CARRIER_TRUNK:
        report.place("Carrier trunk (external calls)", settings.CARRIER_TRUNK)
    if settings.EMERGENCY_GATEWAY:
        report.place("Emergency gateway", settings.EMERGENCY_GATEWAY)
    if settings.VOICEMAIL:
        report.place("Voicemail (lines that do not answer)", settings.VOICEMAIL)
    if settings.ECHO_TEST:
        echo = " or ".join(f"{n} ({m})" for m, n in settings.ECHO_TEST_NUMBERS.items())
        report.note(f"Echo test: call {echo} from a SIP phone and hear yourself.")


def _plan_maintenance() -> None:
    """Once: the London building's maintenance next week, 22:00 to midnight, by the demo
    network engineer; the demo customer is emailed and sees it on the dashboard."""
    building = Building.objects.filter(market="uk").order_by("pk").first()
    engineer = User.objects.filter(staff_role=StaffRole.ENGINEER, is_active=True).first()
    if building is None or engineer is None or Maintenance.objects.exists():
        return
    london = get_market("uk").tz
    day = clock.now().astimezone(london).date() + dt.timedelta(days=7)
    starts_at = dt.datetime.combine(day, dt.time(22), tzinfo=london)
    maintenance.schedule_maintenance(
        data=maintenance.MaintenanceInput(
            market="uk",
            description_en="Upgrade of the building's network switches: calls may drop for a "
            "few minutes.",
            description_fr="Mise à niveau des commutateurs réseau de l'immeuble : les appels "
            "peuvent être coupés quelques minutes.",
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
            buildings=(building,),
        ),
        actor=engineer,
    )
