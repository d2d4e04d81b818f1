"""Billing in the console: a customer's invoices and credit notes (BILL-5, BILL-9, refunds)
and the operator's termination (LIFE-2, LIFE-4, AUP-4)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from officeline.accounts.choices import StaffRole
from officeline.accounts.models import AccessLogEntry
from officeline.accounts.tests.factories import staff_with_totp
from officeline.billing.models import Invoice, LatePaymentCharge, Refund, Termination
from officeline.billing.services.credit_notes import issue_credit_note
from officeline.billing.tests.factories import invoice_with_two_lines

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def staff(client, role):
    client.force_login(staff_with_totp(staff_role=role))


def test_bill5_billing_staff_issue_a_credit_note_refunded_to_the_card(client, test_clock):
    invoice = invoice_with_two_lines(test_clock)
    staff(client, StaffRole.BILLING)
    url = f"/console/invoices/{invoice.pk}/"
    page = client.get(url).text
    assert "Issue a credit note" in page and "refunded to the card" in page
    assert AccessLogEntry.objects.filter(customer=invoice.customer).exists()
    done = client.post(url, {"positions": ["2"], "reason": "Charged twice"}, follow=True).text
    note = Invoice.objects.get(kind="credit_note")
    assert (note.credits, note.total_minor, note.reason) == (invoice, -3000, "Charged twice")
    assert "Credit note UK-00000002 is issued; refund to the card: Refunded to the card." in done
    assert Refund.objects.get().status == "succeeded"
    listing = client.get(f"/console/customers/{invoice.customer_id}/invoices/").text
    assert "UK-00000002" in listing and "Charged twice" in listing
    assert f"/console/invoices/{note.pk}/pdf/" in listing
    pdf = client.get(f"/console/invoices/{note.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"


def test_the_invoices_page_reads_a_fixed_number_of_queries(
    client, test_clock, django_assert_max_num_queries
):
    """Credit notes and their refunds are read with the invoices, not one query each."""
    invoice = invoice_with_two_lines(test_clock)
    staff(client, StaffRole.BILLING)
    url = f"/console/customers/{invoice.customer_id}/invoices/"
    issue_credit_note(invoice=invoice, actor=None, reason="Charged twice", positions=[1])
    with django_assert_max_num_queries(40) as one:
        client.get(url)
    issue_credit_note(invoice=invoice, actor=None, reason="Charged twice", positions=[2])
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert "UK-00000003" in client.get(url).text


def test_bill9_a_credit_for_an_outage_is_a_form_error_and_nothing_is_issued(client, test_clock):
    invoice = invoice_with_two_lines(test_clock)
    staff(client, StaffRole.SUPERVISOR)
    response = client.post(
        f"/console/invoices/{invoice.pk}/",
        {"positions": ["1"], "reason": "Compensation for the outage on Monday"},
    )
    assert response.status_code == 400
    assert "No credit for an outage" in response.text and "No Service Credits" in response.text
    assert not Invoice.objects.filter(kind="credit_note").exists()
    assert not Refund.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "Charged twice"}, "Choose the lines to credit."),
        ({"positions": ["1"], "reason": ""}, "Say why the invoice is corrected."),
        ({"positions": ["9"], "reason": "x"}, "Select a valid choice"),
    ],
)
def test_bad_credit_note_input_is_a_form_error(client, test_clock, data, message):
    invoice = invoice_with_two_lines(test_clock)
    staff(client, StaffRole.DIRECTOR)
    response = client.post(f"/console/invoices/{invoice.pk}/", data)
    assert response.status_code == 400 and message in response.text
    assert not Invoice.objects.filter(kind="credit_note").exists()


def test_an_unpaid_invoice_is_credited_in_full_from_the_console(client, test_clock):
    invoice = invoice_with_two_lines(test_clock, card="declined")
    staff(client, StaffRole.BILLING)
    url = f"/console/invoices/{invoice.pk}/"
    response = client.post(url, {"positions": ["1"], "reason": "Wrong"})
    assert response.status_code == 400 and "credited in full" in response.text
    done = client.post(url, {"positions": ["1", "2"], "reason": "Wrong"}, follow=True).text
    assert "the invoice is no longer collected" in done
    invoice.refresh_from_db()
    assert invoice.status == "credited" and not Refund.objects.exists()


def test_an_agent_sees_invoices_but_may_not_issue_a_credit_note(client, test_clock):
    invoice = invoice_with_two_lines(test_clock)
    staff(client, StaffRole.AGENT)
    page = client.get(f"/console/invoices/{invoice.pk}/").text
    assert invoice.number in page and "Issue a credit note" not in page
    response = client.post(
        f"/console/invoices/{invoice.pk}/", {"positions": ["1"], "reason": "Charged twice"}
    )
    assert response.status_code == 403
    assert not Invoice.objects.filter(kind="credit_note").exists()
    staff(client, StaffRole.ENGINEER)
    assert client.get(f"/console/invoices/{invoice.pk}/").status_code == 403


def test_credit_note_page_in_french(client, test_clock):
    invoice = invoice_with_two_lines(test_clock)
    staff(client, StaffRole.BILLING)
    page = client.get(f"/fr/console/invoices/{invoice.pk}/").text
    assert "Émettre un avoir" in page and "Lignes à créditer" in page


def terminate_url(customer) -> str:
    return f"/console/customers/{customer.pk}/terminate/"


def test_life2_a_supervisor_ends_the_service_for_convenience_after_a_confirmation(
    client, test_clock
):
    """The confirmation shows the end (15 days on) and what is still charged; only the
    confirmed form ends the service."""
    invoice = invoice_with_two_lines(test_clock)
    customer = invoice.customer
    staff(client, StaffRole.SUPERVISOR)
    assert "End the service" in client.get(f"/console/customers/{customer.pk}/").text
    data = {"kind": "convenience", "abnormal_periods": "", "note": "Building closes"}
    confirm = client.post(terminate_url(customer), data).text
    # 25 January 09:00 in London + 15 days; the period starting on 25 February is not billed.
    assert "2026-02-09" in confirm and 'name="confirmed"' in confirm
    assert "£0.00" in confirm and "The period starting on" not in confirm
    assert not Termination.objects.exists()
    done = client.post(terminate_url(customer), {**data, "confirmed": "yes"}, follow=True).text
    termination = Termination.objects.get()
    assert (termination.kind, termination.note) == ("convenience", "Building closes")
    assert termination.effective_at.astimezone(LONDON).date() == dt.date(2026, 2, 9)
    assert "The service ends on 2026-02-09" in done
    again = client.post(terminate_url(customer), {**data, "confirmed": "yes"})
    assert again.status_code == 400 and "already ending" in again.text
    assert Termination.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": ""}, "Choose the ground of the termination."),
        ({"kind": "customer"}, "Select a valid choice"),
        ({"kind": "abnormal_use"}, "Give the periods of abnormal use"),
        ({"kind": "breach", "abnormal_periods": "2026-01-20 to 2026-01-21"}, "prohibited use only"),
        ({"kind": "abnormal_use", "abnormal_periods": "20 January"}, "Line 1: write a period"),
        ({"kind": "abnormal_use", "abnormal_periods": "2026-01-21 to 2026-01-20"}, "cannot end"),
    ],
)
def test_bad_termination_input_is_a_form_error_and_changes_nothing(
    client, test_clock, data, message
):
    invoice = invoice_with_two_lines(test_clock)
    staff(client, StaffRole.DIRECTOR)
    for confirmed in ("", "yes"):
        response = client.post(terminate_url(invoice.customer), {**data, "confirmed": confirmed})
        assert response.status_code == 400 and message in response.text
    assert not Termination.objects.exists()
    invoice.customer.refresh_from_db()
    assert invoice.customer.status == "active"


def test_aup4_the_confirmation_names_the_abnormal_periods(client, test_clock):
    invoice = invoice_with_two_lines(test_clock)
    staff(client, StaffRole.DIRECTOR)
    data = {"kind": "abnormal_use", "abnormal_periods": "2026-01-20 au 2026-01-22; 2026-01-24"}
    confirm = client.post(terminate_url(invoice.customer), data).text
    assert "2026-01-20 \N{EN DASH} 2026-01-22; 2026-01-24 \N{EN DASH} 2026-01-24" in confirm
    assert "2026-01-25" in confirm  # at once
    client.post(terminate_url(invoice.customer), {**data, "confirmed": "yes"})
    termination = Termination.objects.get()
    assert termination.abnormal_periods.count() == 2


def test_life2_only_supervisors_and_the_director_end_the_service(client, test_clock):
    invoice = invoice_with_two_lines(test_clock)
    for role in (StaffRole.AGENT, StaffRole.BILLING):
        staff(client, role)
        assert (
            "End the service" not in client.get(f"/console/customers/{invoice.customer_id}/").text
        )
        assert client.get(terminate_url(invoice.customer)).status_code == 403
        response = client.post(
            terminate_url(invoice.customer), {"kind": "breach", "confirmed": "yes"}
        )
        assert response.status_code == 403
    assert not Termination.objects.exists()


def test_termination_page_in_french(client, test_clock):
    invoice = invoice_with_two_lines(test_clock)
    staff(client, StaffRole.SUPERVISOR)
    page = client.get(f"/fr/console/customers/{invoice.customer_id}/terminate/").text
    assert "Mettre fin au service" in page and "Motif" in page


def test_life4_the_confirmation_shows_what_is_owed_and_writes_nothing(client, test_clock):
    """An invoice unpaid for five days: owed now, and the final invoice's late-payment interest
    (BILL-8) counted for the preview but not recorded."""
    invoice = invoice_with_two_lines(test_clock, card="declined")
    test_clock.advance(dt.timedelta(days=5))
    staff(client, StaffRole.SUPERVISOR)
    confirm = client.post(terminate_url(invoice.customer), {"kind": "non_payment"}).text
    assert "Owed now, collected at once" in confirm and "£60.00" in confirm
    assert not LatePaymentCharge.objects.exists() and not Termination.objects.exists()
