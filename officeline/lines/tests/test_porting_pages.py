"""Number porting in the portal and the console (PORT-1, PORT-2, PORT-3, LINE-3)."""

from __future__ import annotations

import datetime as dt

import pytest

from officeline.accounts.choices import StaffRole
from officeline.accounts.models import AccessLogEntry
from officeline.accounts.tests.factories import (
    BuildingFactory,
    CustomerFactory,
    OfficeManagerFactory,
    UserFactory,
    staff_with_totp,
)
from officeline.lines.compensation import compensations
from officeline.lines.models import PortRequest
from officeline.lines.services import lines as services
from officeline.lines.services import porting
from officeline.lines.tests.factories import NumberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(test_clock):
    building = BuildingFactory()
    return OfficeManagerFactory(customer=CustomerFactory(building=building))


def test_port3_the_portal_warns_before_a_port_in_and_refuses_without_the_confirmation(
    client, manager
):
    client.force_login(manager)
    page = client.get("/ports/in/").content.decode()
    assert "may not be possible in every case" in page
    answer = client.post(
        "/ports/in/", {"number": "020 7946 0777", "other_provider": "Example Telecom"}
    )
    assert answer.status_code == 400
    assert "Please confirm that you understand" in answer.content.decode()
    assert not PortRequest.objects.exists()
    answer = client.post(
        "/ports/in/",
        {
            "number": "020 7946 0777",
            "other_provider": "Example Telecom",
            "warning_acknowledged": "on",
        },
    )
    assert answer.status_code == 302
    port = PortRequest.objects.get()
    assert (port.e164, port.direction, port.building) == (
        "+442079460777",
        "in",
        manager.customer.building,
    )
    assert "+442079460777" in client.get("/ports/").content.decode()


def test_port1_bad_input_in_the_portal_names_the_field(client, manager):
    client.force_login(manager)
    answer = client.post(
        "/ports/in/", {"number": "", "other_provider": "", "warning_acknowledged": "on"}
    )
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "Enter the number to bring." in page and "Name the other provider." in page
    answer = client.post(
        "/ports/in/",
        {"number": "call me", "other_provider": "Example", "warning_acknowledged": "on"},
    )
    assert answer.status_code == 400 and "Enter a phone number" in answer.content.decode()
    assert not PortRequest.objects.exists()


def test_port_in_is_for_the_office_manager(client, manager):
    colleague = UserFactory(customer=manager.customer, customer_role="member")
    client.force_login(colleague)
    assert client.get("/ports/in/").status_code == 403
    assert client.get("/ports/").status_code == 200


def test_line3_the_portal_refuses_a_port_out_of_an_ended_line_with_the_reason(client, manager):
    number = NumberFactory(e164="+442079460152", market="uk", building=BuildingFactory())
    line = services.request_line(customer=manager.customer, number=number, actor=manager)
    client.force_login(manager)
    assert "may not be possible" in client.get(f"/lines/{line.pk}/port-out/").content.decode()
    services.terminate_line(line=line, actor=None)
    answer = client.post(
        f"/lines/{line.pk}/port-out/",
        {"other_provider": "Other Telecom", "warning_acknowledged": "on"},
    )
    assert answer.status_code == 400
    assert "before the termination takes effect" in answer.content.decode()
    stranger = OfficeManagerFactory(customer=CustomerFactory())
    client.force_login(stranger)
    assert client.get(f"/lines/{line.pk}/port-out/").status_code == 404


def test_port1_port2_staff_agree_complete_and_pay_a_late_port_from_the_console(
    client, manager, test_clock
):
    """The whole path: requested, date agreed, completed late, claimed, paid, with every
    staff look at the port in the access log (PRIV-10)."""
    port = porting.request_port_in(
        customer=manager.customer,
        number="+442079460778",
        building=manager.customer.building,
        other_provider="Example Telecom",
        actor=manager,
        warning_acknowledged=True,
    )
    agent = staff_with_totp(staff_role=StaffRole.AGENT)
    client.force_login(agent)
    queue = client.get("/console/ports/").content.decode()
    assert "+442079460778" in queue and "no date agreed" in queue
    url = f"/console/ports/{port.pk}/"
    answer = client.post(url, {"action": "agree", "agreed_date": "not a date"})
    assert answer.status_code == 400 and "Enter a date." in answer.content.decode()
    client.post(url, {"action": "agree", "agreed_date": "2026-11-30"})
    port.refresh_from_db()
    assert port.due_date == dt.date(2026, 12, 1)
    test_clock.set(dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC))
    client.force_login(agent)  # days later: the idle staff session has ended
    assert "late" in client.get("/console/ports/").content.decode()
    client.post(url, {"action": "complete", "completed_on": "2026-12-04"})
    port.refresh_from_db()
    assert (port.state, port.days_late) == ("completed", 3)
    assert AccessLogEntry.objects.filter(staff_user=agent, customer=manager.customer).exists()

    client.force_login(manager)
    assert "Claim compensation" in client.get("/ports/").content.decode()
    answer = client.post(f"/ports/{port.pk}/claim/", {"claim": ""})
    assert answer.status_code == 400
    client.post(f"/ports/{port.pk}/claim/", {"claim": "Three days without our number."})
    claim = compensations().of_ports([port.pk])[port.pk]
    assert claim.amount_minor == 247  # 25.00 x 12 / 365 x 3 = 2.4657

    # An agent cannot record the payment; the billing team can.
    client.force_login(agent)
    assert client.post(url, {"action": "paid", "reference": "BACS 1"}).status_code == 403
    client.force_login(staff_with_totp(staff_role=StaffRole.BILLING))
    client.post(url, {"action": "paid", "reference": "BACS 1"})
    claim = compensations().of_ports([port.pk])[port.pk]
    assert claim.payment_reference == "BACS 1" and claim.paid_at is not None
    client.force_login(manager)
    assert "paid" in client.get("/ports/").content.decode()
