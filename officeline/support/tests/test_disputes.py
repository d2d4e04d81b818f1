"""Billing disputes (BILL-12): in writing within 10 days, or as a complaint for a micro-business."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from officeline.accounts.tests.factories import OfficeManagerFactory, OperatorMarketFactory
from officeline.billing.models import Invoice
from officeline.billing.tests.factories import give_card, new_line
from officeline.support.models import BillingDispute, Ticket
from officeline.support.services.disputes import dispute_charge

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def invoiced(test_clock, workers: int):
    OperatorMarketFactory(market="uk")
    test_clock.set(dt.datetime(2026, 1, 18, 10, tzinfo=LONDON))
    user = OfficeManagerFactory(customer__market="uk", customer__workers_count=workers)
    give_card(user.customer)
    new_line(user.customer)
    test_clock.advance(dt.timedelta(days=7))  # the invoice of 25 January
    return user, Invoice.objects.get(customer=user.customer)


def dispute(user, invoice, number=None):
    return dispute_charge(
        customer=user.customer,
        actor=user,
        invoice_number=number or invoice.number,
        description="The monthly fee is charged twice.",
        channel="portal",
    )


def test_bill12_a_written_dispute_within_10_days_is_open(test_clock):
    user, invoice = invoiced(test_clock, workers=25)
    test_clock.advance(dt.timedelta(days=9))
    found = dispute(user, invoice)
    assert (found.route, found.status) == ("written", "open")
    assert not hasattr(found.ticket, "complaint")
    assert found.dispute_by.astimezone(LONDON).date() == dt.date(2026, 2, 4)


def test_bill12_a_later_dispute_is_refused_with_that_reason(test_clock, client):
    user, invoice = invoiced(test_clock, workers=25)
    test_clock.advance(dt.timedelta(days=11))
    client.force_login(user)
    response = client.post(
        "/support/dispute/", {"invoice": invoice.number, "description": "Charged twice."}
    )
    assert response.status_code == 302
    found = BillingDispute.objects.get()
    assert found.status == "refused_late"
    page = client.get(response["Location"]).content.decode()
    assert "within 10 days of its notice" in page and "The invoice remains due" in page


def test_bill12_a_micro_business_disputes_through_the_complaints_process(test_clock):
    user, invoice = invoiced(test_clock, workers=10)
    test_clock.advance(dt.timedelta(days=30))
    found = dispute(user, invoice)
    assert (found.route, found.status) == ("complaint", "open")
    assert found.ticket.complaint.state == "received"


def test_bill12_a_dispute_of_someone_elses_invoice_is_refused_and_writes_nothing(test_clock):
    _owner, invoice = invoiced(test_clock, workers=25)
    stranger = OfficeManagerFactory(customer__market="uk", customer__workers_count=25)
    with pytest.raises(ValidationError) as info:
        dispute(stranger, invoice)
    assert f"no invoice numbered {invoice.number}" in str(info.value.message_dict["invoice"])
    assert not Ticket.objects.exists() and not BillingDispute.objects.exists()


def test_portal_dispute_form_names_an_unknown_invoice(test_clock, client):
    user, _ = invoiced(test_clock, workers=25)
    client.force_login(user)
    page = client.get("/support/dispute/?invoice=UK-00000001").content.decode()
    assert 'value="UK-00000001"' in page and "within 10 days" in page
    response = client.post("/support/dispute/", {"invoice": "UK-99", "description": "x"})
    assert response.status_code == 400 and "no invoice numbered UK-99" in response.content.decode()


def test_bill12_dispute_through_the_api(test_clock):
    from officeline.accounts.tests.factories import client_for

    user, invoice = invoiced(test_clock, workers=25)
    client = client_for(user)
    created = client.post(
        "/api/v1/disputes/", {"invoice": invoice.number, "description": "Twice."}, format="json"
    )
    assert created.status_code == 201 and created.json()["status"] == "open"
    unknown = client.post(
        "/api/v1/disputes/", {"invoice": "FR-1", "description": "x"}, format="json"
    )
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "invoice"
