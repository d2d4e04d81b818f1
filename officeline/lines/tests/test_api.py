"""Lines and ports in the API: the same rules as the portal (LINE-1, LINE-3, LINE-4, LINE-5,
EMG-1, EMG-2, EMG-4, EMG-5, ACC-6, PORT-1, PORT-2, PORT-3, BILL-2), the business's own lines
only."""

from __future__ import annotations

import datetime as dt

import pytest

from officeline.accounts.choices import CustomerRole, StaffRole
from officeline.accounts.models import AccessLogEntry
from officeline.accounts.tests.factories import (
    BuildingFactory,
    CustomerFactory,
    OfficeManagerFactory,
    StaffFactory,
)
from officeline.events.models import Event
from officeline.lines.compensation import compensations
from officeline.lines.models import Device, Line, Number, PortRequest, ReplacementRequest
from officeline.lines.services import lines as services
from officeline.lines.services import porting
from officeline.lines.tests.factories import NumberFactory, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(test_clock):
    return OfficeManagerFactory(customer=CustomerFactory())


def _line(manager, e164: str = "+442079460501") -> Line:
    number = NumberFactory(e164=e164, market="uk", building=manager.customer.building)
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


def _late_port(manager, test_clock) -> PortRequest:
    """A port-in agreed for 30 November, due 1 December, completed on 4 December: 3 days late."""
    port = porting.request_port_in(
        customer=manager.customer,
        number="+442079460778",
        building=manager.customer.building,
        other_provider="Example Telecom",
        actor=manager,
        warning_acknowledged=True,
    )
    port = porting.agree_port_date(
        port=port, agreed_date=dt.date(2026, 11, 30), actor=StaffFactory(staff_role=StaffRole.AGENT)
    )
    test_clock.set(dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC))
    return porting.complete_port(
        port=port, completed_on=dt.date(2026, 12, 4), actor=StaffFactory(staff_role=StaffRole.AGENT)
    )


def test_another_customers_line_is_not_found(manager, test_clock):
    """A line, device or port of another business is "not found" whatever is asked of it, and
    nothing of it changes."""
    line = _line(manager)
    device, _ = services.add_device(line=line, kind="softphone", actor=manager)
    port = _late_port(manager, test_clock)
    devices = Device.objects.count()
    client = client_for(OfficeManagerFactory(customer=CustomerFactory()))
    assert client.get(f"/api/v1/lines/{line.pk}/").status_code == 404
    for url, data in (
        (f"/api/v1/lines/{line.pk}/confirm-location/", {}),
        (f"/api/v1/lines/{line.pk}/abroad/", {"in_use_abroad": True}),
        (f"/api/v1/lines/{line.pk}/barring/", {"international_calls_allowed": True}),
        (
            f"/api/v1/lines/{line.pk}/port-out/",
            {"other_provider": "Other", "warning_acknowledged": True},
        ),
        (f"/api/v1/lines/{line.pk}/devices/", {"kind": "softphone"}),
        (f"/api/v1/devices/{device.pk}/report/", {"what": "stolen"}),
        (f"/api/v1/ports/{port.pk}/claim/", {"claim": "Three days late."}),
    ):
        response = client.post(url, data, format="json")
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    line.refresh_from_db()
    device.refresh_from_db()
    assert not line.in_use_abroad and device.blocked_at is None
    assert not line.international_calls_allowed
    assert PortRequest.objects.get() == port and Device.objects.count() == devices
    assert not compensations().of_ports([port.pk])


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
    client = client_for(StaffFactory(staff_role=StaffRole.AGENT))
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


# ------------------------------------------------------------------ asking for a line

LINE_REQUEST = {"acknowledge_limitations": True, "confirm_location": True}


def _pool(manager, *e164s: str) -> list[Number]:
    return [
        NumberFactory(e164=e164, market="uk", building=manager.customer.building) for e164 in e164s
    ]


def _nothing_written(manager, number: Number) -> None:
    number.refresh_from_db()
    assert number.status == "available"
    assert not Line.objects.filter(customer=manager.customer).exists()
    # Nor, then, billing's subscription of a line (BILL-2): there is no line at all.
    assert not Line.objects.exists()
    assert not Event.objects.filter(action__startswith="lines.").exists()


def test_the_free_numbers_of_the_buildings_pool_are_the_portals_choice(manager):
    free, taken = _pool(manager, "+442079460511", "+442079460512")
    _line(manager, taken.e164.replace("12", "13"))
    Number.objects.filter(pk=taken.pk).update(status="assigned")
    NumberFactory(e164="+442079460599", market="uk", building=BuildingFactory())
    listing = client_for(_member(manager)).get("/api/v1/numbers/available/").json()
    assert listing == [
        {"number": free.e164, "emergency_location": manager.customer.building.address}
    ]


def test_emg5_emg1_a_line_asked_for_through_the_api_needs_both_acknowledgements(manager):
    """EMG-5 and EMG-1: missing or false, either acknowledgement refuses the line, naming the
    field, and nothing is written."""
    (number,) = _pool(manager, "+442079460511")
    client = client_for(manager)
    for field, message, refused in (
        (
            "acknowledge_limitations",
            "acknowledge the limits of emergency calls",
            "emergency_limitations_not_acknowledged",
        ),
        (
            "confirm_location",
            "confirm the emergency location",
            "emergency_location_not_confirmed",
        ),
    ):
        # False: the service's refusal, with its own code; missing: the request is invalid.
        for body, code in (
            ({"number": number.e164, **LINE_REQUEST, field: False}, refused),
            (
                {"number": number.e164, **{k: v for k, v in LINE_REQUEST.items() if k != field}},
                "validation_error",
            ),
        ):
            answer = client.post("/api/v1/lines/", body, format="json")
            assert answer.status_code == 400, body
            assert answer.json()["code"] == code
            assert [e["field"] for e in answer.json()["errors"]] == [field]
            assert message in answer.json()["message"]
    _nothing_written(manager, number)


def test_a_line_needs_a_free_number_of_the_buildings_pool(manager):
    """A number of another building, one already taken, one unknown or not a number at all is
    refused on ``number``, and nothing is written."""
    (free,) = _pool(manager, "+442079460511")
    other = NumberFactory(e164="+442079460599", market="uk", building=BuildingFactory())
    taken = _pool(manager, "+442079460512")[0]
    Number.objects.filter(pk=taken.pk).update(status="quarantined")
    client = client_for(manager)
    for number in (other.e164, taken.e164, "+442079460000", "not a number", 442079460511, ""):
        answer = client.post("/api/v1/lines/", {"number": number, **LINE_REQUEST}, format="json")
        assert answer.status_code == 400, number
        assert answer.json()["errors"][0]["field"] == "number", number
    assert (
        "not available"
        in client.post(
            "/api/v1/lines/", {"number": other.e164, **LINE_REQUEST}, format="json"
        ).json()["message"]
    )
    _nothing_written(manager, free)
    other.refresh_from_db()
    assert other.status == "available"


def test_only_the_office_manager_writes_lines_devices_replacements_and_claims(manager, test_clock):
    """Members and staff read; asking for a line, adding a device, asking for a replacement
    and claiming compensation are the Office Manager's (403), and nothing is written."""
    line = _line(manager)
    phone, _ = services.add_device(line=line, kind="desk_phone", actor=manager)
    (number,) = _pool(manager, "+442079460511")
    port = _late_port(manager, test_clock)
    devices, events = Device.objects.count(), Event.objects.count()
    staff = StaffFactory(staff_role=StaffRole.AGENT)
    scope = f"?customer={manager.customer_id}"
    for user, query in ((_member(manager), ""), (staff, scope)):
        client = client_for(user)
        for url, data in (
            ("/api/v1/lines/", {"number": number.e164, **LINE_REQUEST}),
            (f"/api/v1/lines/{line.pk}/devices/", {"kind": "softphone"}),
            ("/api/v1/replacements/", {"device": phone.pk, "description": "Dead screen"}),
            (f"/api/v1/ports/{port.pk}/claim/", {"claim": "Three days late."}),
        ):
            answer = client.post(url + query, data, format="json")
            assert answer.status_code == 403, (user, url)
            assert answer.json()["code"] == "permission_denied"
        assert client.get("/api/v1/replacements/" + query).status_code == 200
        assert client.get("/api/v1/numbers/available/" + query).json()[0]["number"] == number.e164
    assert (Device.objects.count(), Event.objects.count()) == (devices, events)
    assert not ReplacementRequest.objects.exists() and not compensations().of_ports([port.pk])
    number.refresh_from_db()
    assert number.status == "available"


# ------------------------------------------------------------------ devices


def test_acc6_a_device_added_through_the_api_shows_its_password_once_with_no_store(manager):
    """ACC-6: the answer carries the SIP credentials, the password in it only, never kept by a
    browser or proxy (no-store); the password is not stored and not shown again."""
    line = _line(manager)
    client = client_for(manager)
    answer = client.post(
        f"/api/v1/lines/{line.pk}/devices/",
        {"kind": "desk_phone", "label": "Reception"},
        format="json",
    )
    assert answer.status_code == 201
    assert answer["Cache-Control"] == "no-store"
    body = answer.json()
    device = Device.objects.get(pk=body["id"])
    password = body["password"]
    assert (body["sip_username"], body["domain"], body["kind"], body["label"]) == (
        device.sip_username,
        device.sip_domain,
        "desk_phone",
        "Reception",
    )
    assert body["server"] and body["transports"] == ["UDP", "TCP"]
    # The password opens the SIP account, and is kept only as the digest hashes.
    assert services.digest_hashes(device.sip_username, device.sip_domain, password) == (
        device.ha1,
        device.ha1b,
    )
    assert password not in str(Device.objects.filter(pk=device.pk).values().get())
    assert not any(password in str(e.data) for e in Event.objects.all())
    # Never again: the line and the lines list show the device without it.
    for url in (f"/api/v1/lines/{line.pk}/", "/api/v1/lines/"):
        shown = client.get(url)
        assert password not in shown.content.decode() and "password" not in shown.json()


def test_bad_device_input_is_refused_naming_the_field_and_nothing_is_written(manager):
    line = _line(manager)
    ended = _line(manager, "+442079460503")
    services.terminate_line(line=ended, actor=None)
    client = client_for(manager)
    events = Event.objects.count()
    for url, data, field in (
        (f"/api/v1/lines/{line.pk}/devices/", {"kind": "fax"}, "kind"),
        (f"/api/v1/lines/{line.pk}/devices/", {}, "kind"),
        (f"/api/v1/lines/{line.pk}/devices/", {"kind": "softphone", "label": "x" * 101}, "label"),
        (f"/api/v1/lines/{line.pk}/devices/", {"kind": "softphone", "label": 7}, "label"),
        (f"/api/v1/lines/{ended.pk}/devices/", {"kind": "softphone"}, "line"),
    ):
        answer = client.post(url, data, format="json")
        assert answer.status_code == 400, data
        assert answer.json()["errors"][0]["field"] == field, data
        assert "password" not in answer.json()
    assert (
        "ended"
        in client.post(
            f"/api/v1/lines/{ended.pk}/devices/", {"kind": "softphone"}, format="json"
        ).json()["message"]
    )
    assert client.post("/api/v1/lines/x1/devices/", {"kind": "softphone"}).status_code == 404
    assert not Device.objects.exists() and Event.objects.count() == events


# ------------------------------------------------------------------ replacements


def test_line5_the_office_manager_asks_for_a_replacement_through_the_api(manager):
    """LINE-5: a defective desk phone we supplied is replaced; the request is listed to the
    business, and a second one for the same device is refused while the first is under way."""
    line = _line(manager)
    phone, _ = services.add_device(line=line, kind="desk_phone", label="Desk", actor=manager)
    client = client_for(manager)
    answer = client.post(
        "/api/v1/replacements/",
        {"device": phone.pk, "description": "The screen stays dark."},
        format="json",
    )
    assert answer.status_code == 201
    body = answer.json()
    assert (body["device"], body["number"], body["status"], body["description"]) == (
        phone.pk,
        "+442079460501",
        "requested",
        "The screen stays dark.",
    )
    listing = client_for(_member(manager)).get("/api/v1/replacements/").json()
    assert [(r["id"], r["sip_username"]) for r in listing] == [(body["id"], phone.sip_username)]

    again = client.post(
        "/api/v1/replacements/", {"device": phone.pk, "description": "Still dark."}, format="json"
    )
    assert again.status_code == 400 and "already under way" in again.json()["message"]
    assert ReplacementRequest.objects.count() == 1


def test_line5_a_replacement_is_refused_for_anything_but_one_of_the_business_desk_phones(
    manager,
):
    """LINE-5: only a desk phone we supplied, of the business, not blocked, on a live line;
    anything else, a non-integer id or no description is refused naming the field."""
    line = _line(manager)
    softphone, _ = services.add_device(line=line, kind="softphone", actor=manager)
    phone, _ = services.add_device(line=line, kind="desk_phone", actor=manager)
    blocked, _ = services.add_device(line=line, kind="desk_phone", actor=manager)
    services.block_device(device=blocked, actor=manager, reason="stolen")
    ended = _line(manager, "+442079460503")
    old_phone, _ = services.add_device(line=ended, kind="desk_phone", actor=manager)
    services.terminate_line(line=ended, actor=None)
    elsewhere = OfficeManagerFactory(customer=CustomerFactory())
    theirs, _ = services.add_device(
        line=_line(elsewhere, "+442079460599"), kind="desk_phone", actor=elsewhere
    )
    client = client_for(manager)
    events = Event.objects.count()
    for data, field in (
        ({"device": softphone.pk, "description": "Broken"}, "device"),
        ({"device": blocked.pk, "description": "Broken"}, "device"),
        ({"device": old_phone.pk, "description": "Broken"}, "device"),
        ({"device": theirs.pk, "description": "Broken"}, "device"),
        ({"device": "one", "description": "Broken"}, "device"),
        ({"device": 10**30, "description": "Broken"}, "device"),
        ({"device": phone.pk, "description": ""}, "description"),
        ({"device": phone.pk, "description": "x" * 1001}, "description"),
        ({"device": phone.pk}, "description"),
    ):
        answer = client.post("/api/v1/replacements/", data, format="json")
        assert answer.status_code == 400, data
        assert answer.json()["errors"][0]["field"] == field, data
    assert (
        "Choose one of your desk phones"
        in client.post(
            "/api/v1/replacements/", {"device": theirs.pk, "description": "Broken"}, format="json"
        ).json()["message"]
    )
    assert not ReplacementRequest.objects.exists() and Event.objects.count() == events
