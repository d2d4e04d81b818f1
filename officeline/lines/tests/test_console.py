"""Lines in the console: a customer's lines, registrations, suspension with its ground."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from officeline.accounts.choices import StaffRole
from officeline.accounts.models import AccessLogEntry
from officeline.accounts.tests.factories import (
    CustomerFactory,
    OfficeManagerFactory,
    staff_with_totp,
)
from officeline.lines import selectors
from officeline.lines.models import Line
from officeline.lines.services import lines as services
from officeline.lines.tests.factories import NumberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(test_clock) -> Line:
    manager = OfficeManagerFactory(customer=CustomerFactory())
    number = NumberFactory(e164="+442079460301", market="uk", building=manager.customer.building)
    return services.open_line(
        customer=manager.customer,
        number=number,
        actor=manager,
        limitations_acknowledged=True,
        location_confirmed=True,
    )


def test_life1_a_supervisor_suspends_a_line_with_its_ground_from_the_console(client, line):
    client.force_login(staff_with_totp(staff_role=StaffRole.SUPERVISOR))
    url = f"/console/lines/{line.pk}/suspend/"
    page = client.post(url, {"ground": ""}, follow=True).content.decode()
    assert "Choose the ground of the suspension." in page
    line.refresh_from_db()
    assert line.status == "active"
    page = client.post(url, {"ground": "legal_order"}, follow=True).content.decode()
    line.refresh_from_db()
    assert (line.status, line.suspension_ground) == ("suspended", "legal_order")
    assert "Legal order" in page and "Emergency calls remain open" in page
    assert AccessLogEntry.objects.filter(customer=line.customer).exists()
    client.post(f"/console/lines/{line.pk}/reactivate/")
    line.refresh_from_db()
    assert (line.status, line.suspension_ground) == ("active", "")


def test_life1_only_supervisors_and_the_director_suspend(client, line):
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    page = client.get(f"/console/customers/{line.customer_id}/lines/").content.decode()
    assert "+442079460301" in page and "Suspend" not in page
    response = client.post(f"/console/lines/{line.pk}/suspend/", {"ground": "breach"})
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.status == "active"


def test_staff_see_a_customers_lines_devices_and_may_register(client, line):
    device, _ = services.add_device(line=line, kind="desk_phone", label="Desk 4", actor=None)
    blocked, _ = services.add_device(line=line, kind="softphone", actor=None)
    services.block_device(device=blocked, actor=None, reason="fraud: calls abroad at night")
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    customer_page = client.get(f"/console/customers/{line.customer_id}/").content.decode()
    assert f"/console/customers/{line.customer_id}/lines/" in customer_page
    page = client.get(f"/console/customers/{line.customer_id}/lines/").content.decode()
    assert device.sip_username in page and "Desk 4" in page
    assert "fraud: calls abroad at night" in page
    assert line.customer.building.address in page


def test_live_registrations_are_read_from_kamailios_location_table(client, line):
    device, _ = services.add_device(line=line, kind="desk_phone", actor=None)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO location (username, contact, received, user_agent, expires) "
            "VALUES (%s, %s, %s, %s, %s)",
            [
                device.sip_username,
                f"sip:{device.sip_username}@192.0.2.10:5060",
                "sip:198.51.100.7:40123",
                "Yealink SIP-T46U",
                dt.datetime(2026, 11, 25, 11, 0),
            ],
        )
    client.force_login(staff_with_totp(staff_role=StaffRole.ENGINEER))
    page = client.get(f"/console/customers/{line.customer_id}/lines/").content.decode()
    assert f"sip:{device.sip_username}@192.0.2.10:5060" in page
    assert "Yealink SIP-T46U" in page and "198.51.100.7" in page


def test_emg2_unconfirmed_locations_are_listed_for_staff(client, line):
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    url = "/console/lines/unconfirmed-locations/"
    assert "+442079460301" not in client.get(url).content.decode()
    services.mark_location_unconfirmed(line=line, reason="number_ported", actor=None)
    page = client.get(url).content.decode()
    assert "+442079460301" in page and "A number was ported in" in page
    assert line.customer.legal_name in page
    services.confirm_location(line=line, actor=None)
    assert "+442079460301" not in client.get(url).content.decode()


def test_emg2_adding_a_number_leaves_the_location_unconfirmed_until_confirmed(test_clock):
    """EMG-2: a line asked for outside the portal's one-step form is listed until confirmed."""
    customer = CustomerFactory()
    number = NumberFactory(e164="+442079460302", market="uk", building=customer.building)
    line = services.request_line(customer=customer, number=number, actor=None)
    assert line.location_unconfirmed_reason == "number_added"
    assert list(selectors.unconfirmed_locations()) == [line]
    services.confirm_location(line=line, actor=None)
    assert list(selectors.unconfirmed_locations()) == []


def test_line4_support_blocks_a_device_reported_stolen_by_phone(client, line):
    device, _ = services.add_device(line=line, kind="desk_phone", actor=None)
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    url = f"/console/devices/{device.pk}/block/"
    page = client.post(url, {"what": ""}, follow=True).content.decode()
    assert "Say whether the device was stolen or used for fraud." in page
    device.refresh_from_db()
    assert device.blocked_at is None
    client.post(url, {"what": "stolen", "details": "Reported by phone"})
    device.refresh_from_db()
    assert device.blocked_at is not None and device.blocked_reason == "stolen: Reported by phone"
    assert AccessLogEntry.objects.filter(
        customer=line.customer, url_name="lines_console:block_device"
    ).exists()
