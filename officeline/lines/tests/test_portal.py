"""Lines in the portal: asking for a line, devices, theft and fraud, abroad, locations."""

from __future__ import annotations

import pytest

from officeline.accounts.choices import CustomerRole
from officeline.accounts.tests.factories import CustomerFactory, OfficeManagerFactory, UserFactory
from officeline.events.models import Event
from officeline.lines.models import Device, Line, Number
from officeline.lines.services import lines as services
from officeline.lines.tests.factories import NumberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(test_clock):
    manager = OfficeManagerFactory(customer=CustomerFactory())
    building = manager.customer.building
    for e164 in ("+442079460201", "+442079460202"):
        NumberFactory(e164=e164, market="uk", building=building)
    return manager


def _line(manager, e164="+442079460201") -> Line:
    return services.open_line(
        customer=manager.customer,
        number=Number.objects.get(e164=e164),
        actor=manager,
        limitations_acknowledged=True,
        location_confirmed=True,
    )


def test_line1_the_lines_page_lists_number_status_devices_location_and_abroad(client, manager):
    line = _line(manager)
    services.add_device(line=line, kind="desk_phone", label="Reception", actor=manager)
    other = OfficeManagerFactory(customer=CustomerFactory())
    NumberFactory(e164="+442079460299", market="uk", building=other.customer.building)
    _line(other, "+442079460299")
    client.force_login(manager)
    page = client.get("/lines/").content.decode()
    assert "+442079460201" in page and "Active" in page and "Reception" in page
    assert manager.customer.building.address in page
    assert "Used abroad" in page
    assert "+442079460299" not in page
    assert client.get("/fr/lines/").content.decode().count("Utilisée à l\u2019étranger") == 1


def test_emg5_emg1_a_line_is_asked_for_with_the_acknowledgement_and_the_location(client, manager):
    client.force_login(manager)
    page = client.get("/lines/new/").content.decode()
    assert manager.customer.building.address in page and "power" in page
    number = Number.objects.get(e164="+442079460201")
    response = client.post("/lines/new/", {"number": number.pk})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please acknowledge the limits of emergency calls" in page
    assert "Please confirm the emergency location" in page
    assert not Line.objects.exists()
    response = client.post(
        "/lines/new/",
        {"number": number.pk, "acknowledge_limitations": "on", "confirm_location": "on"},
    )
    assert response.status_code == 302
    line = Line.objects.get()
    assert line.status == "active"
    assert line.emergency_limitations_acknowledged_by == manager
    assert line.location_confirmed_at is not None and line.location_unconfirmed_since is None


def test_a_number_taken_meanwhile_is_named(client, manager):
    client.force_login(manager)
    taken = Number.objects.get(e164="+442079460201")
    _line(manager)
    response = client.post(
        "/lines/new/",
        {"number": taken.pk, "acknowledge_limitations": "on", "confirm_location": "on"},
    )
    assert response.status_code == 400
    assert "This number is not available any more" in response.content.decode()


def test_acc6_the_sip_password_is_shown_once_with_the_provisioning_details(
    client, manager, settings
):
    line = _line(manager)
    client.force_login(manager)
    response = client.post(
        f"/lines/{line.pk}/devices/new/", {"kind": "softphone", "label": "Laptop"}
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    page = response.content.decode()
    device = Device.objects.get()
    password = page.split('id="sip-password"><code>')[1].split("</code>")[0]
    assert len(password) >= 16
    assert device.sip_username in page and settings.SIP_DOMAIN in page
    assert f"{settings.SIP_LISTEN_HOST}:{settings.SIP_LISTEN_PORT}" in page and "UDP" in page
    assert password not in client.get("/lines/").content.decode()
    assert password not in str(Device.objects.values().get())
    assert password not in str(list(Event.objects.values()))


def test_adding_a_device_names_bad_input(client, manager):
    line = _line(manager)
    client.force_login(manager)
    response = client.post(f"/lines/{line.pk}/devices/new/", {"kind": "toaster"})
    assert response.status_code == 400
    assert "Choose a desk phone, a softphone or the companion app." in response.content.decode()
    assert not Device.objects.exists()


def test_only_the_office_manager_adds_devices_and_asks_for_lines(client, manager):
    line = _line(manager)
    member = UserFactory(customer=manager.customer, customer_role=CustomerRole.MEMBER)
    client.force_login(member)
    assert client.get("/lines/").status_code == 200
    assert client.post(f"/lines/{line.pk}/devices/new/", {"kind": "softphone"}).status_code == 403
    assert client.get("/lines/new/").status_code == 403


def test_another_customers_line_or_device_is_not_found(client, manager):
    line = _line(manager)
    device, _ = services.add_device(line=line, kind="softphone", actor=manager)
    client.force_login(OfficeManagerFactory(customer=CustomerFactory()))
    assert client.post(f"/lines/{line.pk}/devices/new/", {"kind": "softphone"}).status_code == 404
    response = client.post(f"/devices/{device.pk}/report/", {"what": "stolen"})
    assert response.status_code == 404
    device.refresh_from_db()
    assert device.blocked_at is None


def test_line4_a_stolen_device_reported_in_the_portal_is_blocked_at_once(client, manager):
    line = _line(manager)
    device, _ = services.add_device(line=line, kind="desk_phone", actor=manager)
    member = UserFactory(customer=manager.customer, customer_role=CustomerRole.MEMBER)
    client.force_login(member)
    response = client.post(f"/devices/{device.pk}/report/", {"what": "maybe"})
    assert response.status_code == 400
    assert "Say whether the device was stolen or used for fraud." in response.content.decode()
    device.refresh_from_db()
    assert device.blocked_at is None
    response = client.post(
        f"/devices/{device.pk}/report/", {"what": "stolen", "details": "Taken from desk 4"}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.blocked_at is not None
    assert device.blocked_reason == "stolen: Taken from desk 4"
    assert not device.may_register
    assert "blocked on" in client.get("/lines/").content.decode()


def test_emg4_marking_a_line_abroad_says_emergency_calls_will_not_work(client, manager):
    line = _line(manager)
    client.force_login(manager)
    page = client.get(f"/lines/{line.pk}/abroad/").content.decode()
    assert "Emergency calls do not work from outside the country" in page
    response = client.post(f"/lines/{line.pk}/abroad/", {"in_use_abroad": "1"}, follow=True)
    page = response.content.decode()
    assert "Emergency calls will not work from it" in page
    line.refresh_from_db()
    assert line.in_use_abroad
    assert client.post(f"/lines/{line.pk}/abroad/", {}).status_code == 400
    client.post(f"/fr/lines/{line.pk}/abroad/", {"in_use_abroad": "0"})
    line.refresh_from_db()
    assert not line.in_use_abroad


def test_emg2_the_portal_asks_to_confirm_an_unconfirmed_location(client, manager):
    line = _line(manager)
    services.mark_location_unconfirmed(line=line, reason="number_ported", actor=None)
    client.force_login(manager)
    page = client.get("/lines/").content.decode()
    assert "Please confirm your emergency locations" in page
    assert "A number was ported in" in page
    client.post(f"/lines/{line.pk}/location/confirm/")
    line.refresh_from_db()
    assert line.location_unconfirmed_since is None and line.location_confirmed_at is not None
    assert "Please confirm your emergency locations" not in client.get("/lines/").content.decode()


def test_emg2_the_dashboard_asks_to_confirm_the_location_of_a_changed_number(client, manager):
    line = _line(manager)
    client.force_login(manager)
    assert (
        "Please confirm your emergency locations" not in client.get("/dashboard/").content.decode()
    )
    services.mark_location_unconfirmed(line=line, reason="number_changed", actor=None)
    page = client.get("/dashboard/").content.decode()
    assert "Please confirm your emergency locations" in page and "/lines/#confirm-locations" in page
    page = client.get("/fr/dashboard/").content.decode()
    assert "Veuillez confirmer vos localisations d\u2019urgence" in page
    services.confirm_location(line=line, actor=manager)
    assert (
        "Please confirm your emergency locations" not in client.get("/dashboard/").content.decode()
    )
