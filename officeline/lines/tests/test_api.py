"""Lines and ports in the API: the same rules as the portal (LINE-1, LINE-3, LINE-4, EMG-2,
EMG-4, PORT-1, PORT-3), the business's own lines only."""

from __future__ import annotations

import pytest

from officeline.accounts.choices import CustomerRole
from officeline.accounts.tests.factories import CustomerFactory, OfficeManagerFactory
from officeline.api.tests.conftest import client_for
from officeline.lines import services
from officeline.lines.models import Line, Number, PortRequest
from officeline.privacy.models import AccessLogEntry
from officeline.support.tests.factories import agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(test_clock):
    return OfficeManagerFactory(customer=CustomerFactory())


def _line(manager, e164: str = "+442079460501") -> Line:
    number = Number.objects.create(e164=e164, market="uk", building=manager.customer.building)
    return services.open_line(
        customer=manager.customer,
        number=number,
        actor=manager,
        limitations_acknowledged=True,
        location_confirmed=True,
    )


def _member(manager):
    return OfficeManagerFactory(customer=manager.customer, customer_role=CustomerRole.MEMBER)


def test_line1_the_lines_in_the_api_with_location_abroad_flag_and_devices(
    manager, django_assert_max_num_queries
):
    line = _line(manager)
    services.add_device(line=line, kind="desk_phone", label="Reception", actor=manager)
    second = _line(manager, "+442079460502")
    services.add_device(line=second, kind="softphone", actor=manager)
    services.mark_location_unconfirmed(line=second, reason="number_changed", actor=None)
    _line(OfficeManagerFactory(customer=CustomerFactory()), "+442079460599")
    client = client_for(_member(manager))

    with django_assert_max_num_queries(6):  # not one more per line or device
        listing = client.get("/api/v1/lines/").json()
    assert [entry["number"] for entry in listing] == ["+442079460501", "+442079460502"]
    first = listing[0]
    assert (first["status"], first["in_use_abroad"], first["location_confirmed"]) == (
        "active",
        False,
        True,
    )
    assert first["emergency_location"] == manager.customer.building.address
    assert [(d["kind"], d["label"], d["blocked"]) for d in first["devices"]] == [
        ("desk_phone", "Reception", False)
    ]
    assert "ha1" not in first["devices"][0]
    assert (listing[1]["location_confirmed"], listing[1]["location_unconfirmed_reason"]) == (
        False,
        "number_changed",
    )

    detail = client.get(f"/api/v1/lines/{line.pk}/").json()
    assert detail["number"] == "+442079460501" and detail["scheduled_number_change"] is None


def test_another_customers_line_is_not_found(manager):
    """A line or device of another business is "not found" whatever is asked of it, and
    nothing of it changes."""
    line = _line(manager)
    device, _ = services.add_device(line=line, kind="softphone", actor=manager)
    client = client_for(OfficeManagerFactory(customer=CustomerFactory()))
    assert client.get(f"/api/v1/lines/{line.pk}/").status_code == 404
    for url, data in (
        (f"/api/v1/lines/{line.pk}/confirm-location/", {}),
        (f"/api/v1/lines/{line.pk}/abroad/", {"in_use_abroad": True}),
        (
            f"/api/v1/lines/{line.pk}/port-out/",
            {"other_provider": "Other", "warning_acknowledged": True},
        ),
        (f"/api/v1/devices/{device.pk}/report/", {"what": "stolen"}),
    ):
        response = client.post(url, data, format="json")
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    line.refresh_from_db()
    device.refresh_from_db()
    assert not line.in_use_abroad and device.blocked_at is None
    assert not PortRequest.objects.exists()


def test_emg2_the_office_manager_confirms_a_location_through_the_api(manager):
    line = services.mark_location_unconfirmed(
        line=_line(manager), reason="number_added", actor=None
    )
    assert client_for(_member(manager)).post(
        f"/api/v1/lines/{line.pk}/confirm-location/"
    ).json() == {"code": "permission_denied", "message": "Only the Office Manager can do this."}

    body = client_for(manager).post(f"/api/v1/lines/{line.pk}/confirm-location/").json()
    assert body["location_confirmed"] is True and body["location_unconfirmed_since"] is None
    line.refresh_from_db()
    assert line.location_unconfirmed_since is None


def test_emg4_a_line_marked_abroad_gets_the_warning_about_emergency_calls(manager):
    line = _line(manager)
    client = client_for(manager)
    body = client.post(
        f"/api/v1/lines/{line.pk}/abroad/", {"in_use_abroad": True}, format="json"
    ).json()
    assert body["in_use_abroad"] is True
    assert "+442079460501" in body["warning"] and "Emergency calls will not work" in body["warning"]
    line.refresh_from_db()
    assert line.in_use_abroad

    back = client.post(f"/api/v1/lines/{line.pk}/abroad/", {"in_use_abroad": False}, format="json")
    assert back.json()["in_use_abroad"] is False and back.json()["warning"] == ""

    missing = client.post(f"/api/v1/lines/{line.pk}/abroad/", {}, format="json")
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "in_use_abroad"


def test_line4_anyone_of_the_business_reports_a_device_and_it_is_blocked_at_once(manager):
    line = _line(manager)
    device, _ = services.add_device(line=line, kind="softphone", actor=manager)
    client = client_for(_member(manager))

    bad = client.post(f"/api/v1/devices/{device.pk}/report/", {"what": "lost"}, format="json")
    assert bad.status_code == 400 and bad.json()["message"].startswith("what:")
    device.refresh_from_db()
    assert device.blocked_at is None

    body = client.post(
        f"/api/v1/devices/{device.pk}/report/",
        {"what": "stolen", "details": "Taken from reception"},
        format="json",
    ).json()
    assert body["blocked"] is True
    device.refresh_from_db()
    assert device.blocked_at is not None
    assert device.blocked_reason == "stolen: Taken from reception"


def test_port3_port1_a_port_in_needs_the_warning_acknowledged(manager):
    client = client_for(manager)
    request = {"number": "020 7946 0777", "other_provider": "Example Telecom"}
    refused = client.post("/api/v1/ports/", request, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "warning_acknowledged"
    assert "porting may not be possible" in refused.json()["message"]
    assert not PortRequest.objects.exists()

    made = client.post("/api/v1/ports/", {**request, "warning_acknowledged": True}, format="json")
    assert made.status_code == 201
    assert (made.json()["direction"], made.json()["number"], made.json()["state"]) == (
        "in",
        "+442079460777",
        "requested",
    )
    assert [p["number"] for p in client_for(_member(manager)).get("/api/v1/ports/").json()] == [
        "+442079460777"
    ]

    bad = client.post(
        "/api/v1/ports/",
        {"number": "not a number", "other_provider": "X", "warning_acknowledged": True},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "number"


def test_line3_a_port_out_through_the_api_has_the_portals_rules(manager, test_clock):
    line = _line(manager)
    client = client_for(manager)
    url = f"/api/v1/lines/{line.pk}/port-out/"
    assert client.post(url, {"other_provider": "Other"}, format="json").status_code == 400
    made = client.post(
        url, {"other_provider": "Other", "warning_acknowledged": True}, format="json"
    )
    assert made.status_code == 201 and made.json()["line"] == line.pk

    ended = _line(manager, "+442079460503")
    services.terminate_line(line=ended, actor=None)
    refused = client.post(
        f"/api/v1/lines/{ended.pk}/port-out/",
        {"other_provider": "Other", "warning_acknowledged": True},
        format="json",
    )
    assert refused.status_code == 400
    assert "before the termination takes effect" in refused.json()["message"]
    assert PortRequest.objects.count() == 1


def test_staff_read_a_customers_lines_and_the_read_is_logged(manager):
    _line(manager)
    client = client_for(agent())
    assert client.get("/api/v1/lines/").status_code == 400  # staff name the customer
    listing = client.get(f"/api/v1/lines/?customer={manager.customer_id}").json()
    assert [entry["number"] for entry in listing] == ["+442079460501"]
    assert AccessLogEntry.objects.filter(customer=manager.customer).exists()
    # The changes are the business's own.
    line = Line.objects.get()
    assert (
        client.post(
            f"/api/v1/lines/{line.pk}/confirm-location/?customer={manager.customer_id}"
        ).status_code
        == 403
    )
