"""Invoices in the portal (BILL-5): the list, the statement, the PDFs, in the customer's language."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from officeline.accounts.tests.factories import PASSWORD
from officeline.billing.tests.factories import invoiced_manager, manager

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.django_db
def test_bill5_invoice_list_statement_and_pdfs_in_the_portal(client, test_clock):
    user, invoice = invoiced_manager(test_clock)
    client.force_login(user)
    listing = client.get("/fr/invoices/")
    assert listing.status_code == 200
    assert invoice.number in listing.text and "Factures" in listing.text
    detail = client.get(f"/fr/invoices/{invoice.number}/")
    assert "Relevé détaillé" in detail.text and "Abonnement mensuel" in detail.text
    pdf = client.get(f"/invoices/{invoice.number}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert "Facture" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    statement = client.get(f"/invoices/{invoice.number}/statement.pdf")
    assert statement["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_another_customers_invoice_is_404(client, test_clock):
    _, invoice = invoiced_manager(test_clock)
    stranger = manager("fr")
    client.force_login(stranger)
    for url in (
        f"/invoices/{invoice.number}/",
        f"/invoices/{invoice.number}/pdf/",
        f"/invoices/{invoice.number}/statement.pdf",
    ):
        assert client.get(url).status_code == 404
    assert invoice.number not in client.get("/invoices/").text


@pytest.mark.browser
def test_bill5_office_manager_sees_invoice_and_statement_in_french(
    live_server, browser_page, test_clock
):
    """The Office Manager opens the invoice and its statement in the portal, in French."""
    user, invoice = invoiced_manager(test_clock)
    base = live_server.url
    page = browser_page
    page.goto(f"{base}/fr/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    _submit(page, "input[name=login]")
    page.wait_for_url(f"{base}/fr/dashboard/")
    page.goto(f"{base}/fr/invoices/")
    page.click(f"text={invoice.number}")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == f"Facture {invoice.number}"
    body = page.inner_text("main").replace("\u202f", " ").replace("\xa0", " ")
    assert "Relevé détaillé" in body and "30,00 €" in body and "Payée" in body
    pdf = page.request.get(f"{base}/invoices/{invoice.number}/pdf/")
    assert pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text()
    text = text.replace("\u202f", " ").replace("\xa0", " ")
    assert f"Facture {invoice.number}" in text and "40,00 €" in text


@pytest.mark.django_db
def test_bill5_a_payment_is_dated_in_the_markets_time_zone(client, test_clock):
    """A payment at 00:10 in Paris on 9 March is 23:10 UTC on the 8th: the invoice page says
    the 9th, the day the customer was charged where they are."""
    user, invoice = invoiced_manager(test_clock)
    invoice.payments.update(attempted_at=dt.datetime(2026, 3, 9, 0, 10, tzinfo=PARIS))
    assert invoice.payments.exists()
    client.force_login(user)
    page = client.get(f"/invoices/{invoice.number}/").text
    assert "March 9, 2026" in page and "March 8, 2026" not in page


def _submit(page, field_selector: str) -> None:
    """Submit the form that holds a field (pages may hold other forms and buttons)."""
    page.locator(f"form:has({field_selector}) [type=submit]").first.click()
