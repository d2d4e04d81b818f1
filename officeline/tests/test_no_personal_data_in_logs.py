"""No personal data in the application's log output (PRIV-10 keeps the access log in the
database, where the DPO reads it; the log files are not a second, unguarded copy).

Project-wide: a customer signs up through the portal and raises a ticket, staff look at
them in the console."""

from __future__ import annotations

import logging
import re

import pytest

from officeline.accounts.choices import StaffRole
from officeline.accounts.models import Customer
from officeline.accounts.tests.factories import staff_with_totp
from officeline.documents.services import publish_catalogue
from officeline.notifications.models import OutboxMessage
from officeline.support.models import Ticket

pytestmark = pytest.mark.django_db


def confirm_address(client, email: str) -> None:
    """Follow the confirmation link emailed to ``email`` (allauth's confirm page, then its form)."""
    message = OutboxMessage.objects.filter(kind="accounts.confirm_address", to=email).latest("pk")
    url = re.search(r"https?://[^/\s]+(/\S+/)", message.body_text).group(1)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302


DETAILS = {
    "legal_name": "Zephyrine Lanterns Ltd",
    "company_number": "12345678",
    "vat_number": "",
    "contact_name": "Ottoline Quarrender",
    "email": "ottoline.quarrender@zephyrine.test",
    "phone": "020 7946 0321",
    "address_line1": "12 Example Street",
    "city": "London",
    "postcode": "EC2A 4NE",
    "workers_count": 4,
}
# What would identify the person or the business, in every form the code may hold it.
PERSONAL = [
    "Zephyrine",
    "Ottoline",
    "Quarrender",
    "zephyrine.test",
    "7946 0321",
    "79460321",
    "+442079460321",
]
# The project's own loggers and Django's at DEBUG; every other library at INFO.
DEBUG_LOGGERS = ["django", "django.request", "django.server", "django.db.backends", "officeline"]


@pytest.fixture
def all_logs(caplog):
    caplog.set_level(logging.INFO)
    for name in DEBUG_LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def personal_data_in(caplog) -> list[str]:
    found = []
    for record in caplog.records:
        text = record.getMessage() + " " + str(record.args or "")
        if record.exc_info:
            text += " " + logging.Formatter().formatException(record.exc_info)
        if any(item.lower() in text.lower() for item in PERSONAL):
            found.append(f"{record.name}: {text[:300]}")
    return found


def sign_up_through_the_pages(client) -> Customer:
    password = "a long enough passphrase 2026"
    form = {
        **DETAILS,
        "market": "uk",
        "password1": password,
        "password2": password,
        "is_business": "on",
        "is_adult": "on",
        "preferred_format": "email",
    }
    assert client.post("/signup/", {**form, "password2": "not the same"}).status_code == 400
    response = client.post("/signup/", form)
    assert response.status_code == 302
    card = {"number": "4242 4242 4242 4242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}
    response = client.post(response["Location"], {**card, "return_to": "/signup/card/"})
    response = client.get(response["Location"])
    assert client.post("/signup/terms/", {"accept": "yes"}).status_code == 200
    # The Office Manager confirms the address from the mailbox, then logs in.
    confirm_address(client, DETAILS["email"].lower())
    response = client.post("/accounts/login/", {"login": DETAILS["email"], "password": password})
    assert response.status_code == 302
    return Customer.objects.get(legal_name=DETAILS["legal_name"])


def test_priv10_no_personal_data_in_the_logs_when_a_customer_signs_up_and_raises_a_ticket(
    client, test_clock, all_logs
):
    publish_catalogue()
    sign_up_through_the_pages(client)
    assert client.get("/dashboard/").status_code == 200
    ticket = {"subject": "No sound", "category": "technical", "description": "Silence on calls"}
    assert client.post("/support/new/", {**ticket, "subject": ""}).status_code == 400
    response = client.post("/support/new/", {**ticket, "is_complaint": "on"})
    assert response.status_code == 302 and Ticket.objects.count() == 1
    assert client.get(response["Location"]).status_code == 200
    assert client.get("/console/").status_code in (302, 403)  # a customer in the console
    assert all_logs.records, "the test must see the log records it checks"
    assert personal_data_in(all_logs) == []


def test_priv10_no_personal_data_in_the_logs_when_staff_view_a_customer(
    client, test_clock, all_logs
):
    publish_catalogue()
    customer = sign_up_through_the_pages(client)
    ticket_form = {"subject": "No sound", "category": "technical", "description": "Silence"}
    client.post("/support/new/", {**ticket_form, "is_complaint": "on"})
    ticket = Ticket.objects.get()
    client.logout()
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    all_logs.clear()
    assert client.get(f"/console/customers/?q={DETAILS['email']}").status_code == 200
    assert client.get(f"/console/customers/?q={DETAILS['phone']}").status_code == 200
    assert client.get(f"/console/customers/{customer.pk}/").status_code == 200
    assert client.get(f"/console/complaints/{ticket.complaint.pk}/").status_code == 200
    assert client.get(f"/console/customers/{customer.pk + 999}/").status_code == 404
    client.force_login(staff_with_totp(staff_role=StaffRole.BILLING))
    assert client.get(f"/console/complaints/{ticket.complaint.pk}/").status_code == 403
    assert all_logs.records, "the test must see the log records it checks"
    assert personal_data_in(all_logs) == []


def test_priv10_the_log_check_sees_personal_data_when_it_is_there(caplog):
    caplog.set_level(logging.DEBUG, logger="officeline")
    logging.getLogger("officeline.example").info("sent to %s", DETAILS["email"])
    assert personal_data_in(caplog)
