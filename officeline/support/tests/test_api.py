"""The complaints API: same rules and permissions as the console."""

from __future__ import annotations

import pytest

from officeline.accounts.tests.factories import client_for
from officeline.support.models import Ticket
from officeline.support.tests.factories import agent, complaint, director, manager

pytestmark = pytest.mark.django_db


def test_info4_customer_raises_a_ticket_and_gets_the_receipt(test_clock):
    user = manager()
    response = client_for(user).post(
        "/api/v1/tickets/",
        {
            "subject": "Echo",
            "description": "On every call",
            "category": "technical",
            "is_complaint": True,
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (
        body["reference"].startswith("T-")
        and body["is_complaint"] is True
        and body["channel"] == "api"
    )


def test_bad_ticket_input_names_the_field(test_clock):
    response = client_for(manager()).post(
        "/api/v1/tickets/",
        {"subject": "", "description": "x", "category": "weather"},
        format="json",
    )
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} >= {"subject", "category"}
    assert not Ticket.objects.exists()


def test_complaint_deadlines_and_actions_through_the_api(test_clock):
    user = manager()
    c = complaint(user)
    ref = c.ticket.reference
    body = client_for(user).get(f"/api/v1/complaints/{ref}/").json()
    assert {d["kind"] for d in body["deadlines"]} == {"acknowledge", "review", "update", "resolve"}
    assert [e["action"] for e in body["timeline"]] == ["support.complaint_opened"]
    # The customer cannot acknowledge; staff can; the Director alone decides.
    assert (
        client_for(user)
        .post(f"/api/v1/complaints/{ref}/actions/acknowledge/", {}, format="json")
        .status_code
        == 403
    )
    assert (
        client_for(agent())
        .post(f"/api/v1/complaints/{ref}/actions/acknowledge/", {}, format="json")
        .json()["state"]
        == "acknowledged"
    )
    again = client_for(agent()).post(
        f"/api/v1/complaints/{ref}/actions/acknowledge/", {}, format="json"
    )
    assert again.status_code == 400 and again.json()["errors"][0]["field"] == "state"
    client_for(user).post(
        f"/api/v1/complaints/{ref}/actions/escalate/", {"reason": "customer_unhappy"}, format="json"
    )
    assert (
        client_for(director())
        .post(f"/api/v1/complaints/{ref}/actions/decide/", {"text": "Refund"}, format="json")
        .json()["state"]
        == "resolution_proposed"
    )
    assert (
        client_for(user)
        .post(f"/api/v1/complaints/{ref}/actions/confirm/", {}, format="json")
        .json()["state"]
        == "closed"
    )
    assert (
        client_for(user)
        .post(f"/api/v1/complaints/{ref}/actions/fly/", {}, format="json")
        .status_code
        == 404
    )


def test_another_customers_complaint_is_not_found(test_clock):
    mine, theirs = manager(), manager()
    ref = complaint(theirs).ticket.reference
    client = client_for(mine)
    assert client.get(f"/api/v1/complaints/{ref}/").status_code == 404
    assert (
        client.post(f"/api/v1/complaints/{ref}/actions/confirm/", {}, format="json").status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/complaints/{ref}/actions/deadlock_letter/", {}, format="json"
        ).status_code
        == 404
    )
