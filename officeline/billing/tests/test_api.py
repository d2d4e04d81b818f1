"""Invoices in the API (BILL-5): the customer's own, with their lines, VAT and PDFs."""

from __future__ import annotations

import pytest

from officeline.accounts.tests.factories import client_for
from officeline.billing.tests.test_portal import invoiced_manager
from officeline.support.tests.factories import agent, manager

pytestmark = pytest.mark.django_db


def test_bill5_invoices_in_the_api_add_up(test_clock):
    user, invoice = invoiced_manager(test_clock, "fr")
    client = client_for(user)
    listing = client.get("/api/v1/invoices/").json()
    assert [i["number"] for i in listing] == [invoice.number]
    body = client.get(f"/api/v1/invoices/{invoice.number}/").json()
    assert (body["net_minor"], body["vat_minor"], body["total_minor"]) == (2500, 500, 3000)
    assert sum(line["vat_minor"] for line in body["lines"]) == body["vat_minor"]
    assert body["payments"][0]["outcome"] == "succeeded" and body["status"] == "paid"
    pdf = client.get(f"/api/v1/invoices/{invoice.number}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    statement = client.get(f"/api/v1/invoices/{invoice.number}/statement/")
    assert statement.content.startswith(b"%PDF")


def test_staff_name_the_customer(test_clock):
    user, invoice = invoiced_manager(test_clock, "fr")
    client = client_for(agent())
    assert client.get("/api/v1/invoices/").status_code == 400
    found = client.get(f"/api/v1/invoices/{invoice.number}/?customer={user.customer_id}")
    assert found.json()["number"] == invoice.number


def test_another_customers_invoice_is_not_found(test_clock):
    _, invoice = invoiced_manager(test_clock, "fr")
    client = client_for(manager("fr"))
    for url in ("", "pdf/", "statement/"):
        assert client.get(f"/api/v1/invoices/{invoice.number}/{url}").status_code == 404
    assert client.get("/api/v1/invoices/").json() == []
