"""The API's foundation endpoints, its error format and its permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from officeline.accounts.tests.factories import PASSWORD, client_for
from officeline.events.models import Event
from officeline.events.services import record_event

pytestmark = pytest.mark.django_db


def test_deadline_endpoint_gives_what_the_command_gives(manager_a):
    response = client_for(manager_a).get(
        "/api/v1/deadlines/",
        {"market": "uk", "from": "2026-12-24T16:30:00+00:00", "business_days": "1"},
    )
    assert response.status_code == 200
    assert response.json()["deadline"] == "2026-12-29T23:59:59.999999+00:00"


@pytest.mark.parametrize(
    ("params", "field", "text"),
    [
        (
            {"market": "de", "from": "2026-12-24T16:30:00+00:00", "days": "1"},
            "market",
            "unknown market 'de'",
        ),
        ({"market": "uk", "from": "2026-12-24T16:30:00", "days": "1"}, "from", "no UTC offset"),
        ({"market": "uk", "from": "yesterday", "days": "1"}, "from", "not an ISO 8601"),
        (
            {"market": "uk", "from": "2026-12-24T16:30:00+00:00", "days": "-1"},
            "days",
            "cannot be negative",
        ),
        (
            {"market": "uk", "from": "2026-12-24T16:30:00+00:00", "days": "1", "weeks": "1"},
            "unit",
            "exactly one",
        ),
    ],
)
def test_bad_deadline_input_is_a_400_naming_the_field(manager_a, params, field, text):
    response = client_for(manager_a).get("/api/v1/deadlines/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["message"].startswith(f"{field}: ")
    assert text in body["message"]
    assert body["errors"][0]["field"] == field


def test_anonymous_calls_get_401_with_a_code():
    response = APIClient().get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_token_for_email_and_password_then_revoked(manager_a):
    client = APIClient()
    response = client.post(
        "/api/v1/tokens/", {"email": manager_a.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").json()["email"] == manager_a.email
    assert client.delete("/api/v1/tokens/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401


def test_wrong_password_gets_no_token(manager_a):
    response = APIClient().post(
        "/api/v1/tokens/", {"email": manager_a.email, "password": "nope"}, format="json"
    )
    assert response.status_code == 401
    assert response.json()["message"] == "Wrong email, password or one-time code."


def test_staff_get_no_token_by_password(staff):
    response = APIClient().post(
        "/api/v1/tokens/", {"email": staff.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 401


def test_api_token_command_prints_and_rotates(manager_a, capsys):
    call_command("api_token", manager_a.email)
    first = capsys.readouterr().out.strip()
    call_command("api_token", manager_a.email, "--rotate")
    assert capsys.readouterr().out.strip() != first


def test_office_manager_reads_and_changes_their_account(test_clock, manager_a):
    client = client_for(manager_a)
    assert client.get("/api/v1/account/").json()["legal_name"] == "Alpha Widgets Ltd"
    response = client.patch(
        "/api/v1/account/", {"phone": "020 7946 0555", "workers_count": 12}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["phone"], body["workers_count"], body["is_micro_business"]) == (
        "+442079460555",
        12,
        False,
    )
    event = Event.objects.get(action="accounts.customer_details_changed")
    assert event.after == {"phone": "+442079460555", "workers_count": 12}


def test_account_changes_are_checked_and_nothing_is_half_written(test_clock, manager_a):
    client = client_for(manager_a)
    response = client.patch(
        "/api/v1/account/", {"city": "Leeds", "phone": "12", "postcode": "nowhere"}, format="json"
    )
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"phone", "postcode"}
    manager_a.customer.refresh_from_db()
    assert manager_a.customer.city == "London"


def test_read_only_and_unknown_fields_are_refused(manager_a):
    client = client_for(manager_a)
    assert (
        client.patch("/api/v1/account/", {"market": "fr"}, format="json").json()["errors"][0][
            "field"
        ]
        == "market"
    )
    assert client.patch("/api/v1/account/", {"is_staff": True}, format="json").status_code == 400


def test_a_member_cannot_change_the_account(member_a):
    response = client_for(member_a).patch("/api/v1/account/", {"city": "Leeds"}, format="json")
    assert response.status_code == 403


def test_staff_name_the_customer(staff, manager_b):
    client = client_for(staff)
    assert client.get("/api/v1/account/").status_code == 400
    assert (
        client.get("/api/v1/account/", {"customer": manager_b.customer_id}).json()["legal_name"]
        == "Bêta Conseil SARL"
    )
    assert client.get("/api/v1/account/", {"customer": "x"}).status_code == 400
    assert client.get("/api/v1/account/", {"customer": 999999}).status_code == 404


def test_clock_advance_is_for_staff_and_runs_tick(test_clock, staff, manager_a):
    assert (
        client_for(manager_a)
        .post("/api/v1/clock/advance/", {"amount": 1, "unit": "days"}, format="json")
        .status_code
        == 403
    )
    response = client_for(staff).post(
        "/api/v1/clock/advance/",
        {"amount": 1, "unit": "business_days", "market": "uk"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["now"] == "2026-11-26T10:00:00+00:00"
    bad = client_for(staff).post(
        "/api/v1/clock/advance/", {"amount": 1, "unit": "business_days"}, format="json"
    )
    assert bad.json()["errors"][0]["field"] == "market"


def test_clock_advance_is_absent_without_a_test_clock(settings, staff):
    settings.TEST_CLOCK_ENABLED = False
    response = client_for(staff).post(
        "/api/v1/clock/advance/", {"amount": 1, "unit": "days"}, format="json"
    )
    assert response.status_code == 404


def test_customer_timeline_shows_only_the_customers_part(test_clock, manager_a, staff):
    record_event(action="visible", customer=manager_a.customer, customer_visible=True)
    record_event(action="internal", customer=manager_a.customer)
    own = client_for(manager_a).get("/api/v1/timeline/").json()["results"]
    assert [e["action"] for e in own] == ["visible"]
    everything = (
        client_for(staff)
        .get("/api/v1/timeline/", {"customer": manager_a.customer_id})
        .json()["results"]
    )
    assert [e["action"] for e in everything] == ["visible", "internal"]
    assert dt.datetime.fromisoformat(own[0]["occurred_at"]) == test_clock.now()
