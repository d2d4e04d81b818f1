"""Support pages: the portal's tickets and receipts, the console's queue and actions."""

from __future__ import annotations

import datetime as dt

import pytest

from officeline.accounts.tests.factories import staff_with_totp
from officeline.support.models import Complaint, Ticket
from officeline.support.tests.factories import complaint, manager

pytestmark = pytest.mark.django_db


def test_info4_portal_receipt_on_screen(client, test_clock):
    user = manager()
    client.force_login(user)
    response = client.post(
        "/support/new/",
        {
            "subject": "No sound",
            "category": "technical",
            "description": "Silence on calls",
            "is_complaint": "on",
        },
    )
    ticket = Ticket.objects.get()
    assert response["Location"] == f"/support/{ticket.reference}/"
    page = client.get(response["Location"]).content.decode()
    assert (
        "We received your request" in page
        and ticket.reference in page
        and "complaints_code" in page
    )
    assert (
        "We received your request" not in client.get(response["Location"]).content.decode()
    )  # shown once


def test_portal_form_errors_name_the_fields(client, test_clock):
    client.force_login(manager())
    response = client.post(
        "/support/new/", {"subject": "", "category": "nonsense", "description": ""}
    )
    assert response.status_code == 400
    assert {"subject", "category", "description"} <= set(response.context["form"].errors)
    assert not Ticket.objects.exists()


def test_portal_shows_only_the_customers_own_tickets(client, test_clock):
    mine, theirs = manager(), manager()
    c = complaint(theirs)
    client.force_login(mine)
    assert client.get(f"/support/{c.ticket.reference}/").status_code == 404
    letter_url = f"/support/{c.ticket.reference}/letters/1/"
    assert client.get(letter_url).status_code == 404
    assert c.ticket.reference not in client.get("/support/").content.decode()


def test_console_queue_sorts_by_next_deadline_and_flags_late(client, test_clock):
    user = manager()
    older = complaint(
        user, subject="First", category="billing"
    )  # Wednesday: acknowledge by Thursday
    test_clock.advance(dt.timedelta(days=1))
    newer = complaint(manager(), subject="Second")  # Thursday: acknowledge by Friday
    test_clock.advance(dt.timedelta(days=1))  # Friday: the first is late, the second due today
    client.force_login(staff_with_totp(email="agent2@officeline.test"))
    page = client.get("/console/complaints/").content.decode()
    assert page.index(older.ticket.reference) < page.index(newer.ticket.reference)
    assert "late" in page and "due today" in page


def test_console_actions_go_through_the_rules(client, test_clock):
    c = complaint(manager())
    client.force_login(staff_with_totp(email="agent3@officeline.test"))
    client.post(f"/console/complaints/{c.pk}/acknowledge/")
    c.refresh_from_db()
    assert c.state == "acknowledged"
    response = client.post(f"/console/complaints/{c.pk}/acknowledge/", follow=True)
    assert "Cannot acknowledge" in response.content.decode()
    response = client.post(f"/console/complaints/{c.pk}/decide/", {"text": "Yes"}, follow=True)
    assert "roles" in response.content.decode()  # only the Director decides
    assert Complaint.objects.get(pk=c.pk).state == "acknowledged"


def test_console_needs_support_staff(client, test_clock):
    client.force_login(manager())
    assert client.get("/console/complaints/").status_code in (302, 403)
