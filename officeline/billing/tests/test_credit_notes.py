"""Credit notes (BILL-5): issued invoices never change; corrections are credit notes."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from officeline.billing.models import Invoice
from officeline.billing.services import documents
from officeline.billing.services.credit_notes import issue_credit_note
from officeline.billing.tests.factories import invoice_with_two_lines

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def test_bill5_a_paid_invoice_is_corrected_by_a_credit_note_in_part(test_clock):
    invoice = invoice_with_two_lines(test_clock)
    before = (invoice.total_minor, invoice.status, list(invoice.lines.values_list("net_minor")))
    out = io.StringIO()
    call_command(
        "credit_note", invoice="UK-00000001", reason="Charged twice", lines="2", stdout=out
    )
    assert out.getvalue().strip() == "UK-00000002 -30.00 GBP credits UK-00000001"
    note = Invoice.objects.get(number="UK-00000002")
    assert (note.kind, note.credits, note.reason) == ("credit_note", invoice, "Charged twice")
    assert (note.net_minor, note.vat_minor, note.total_minor) == (-2500, -500, -3000)
    assert note.collect_at is None and note.lines.get().credits_position == 2
    invoice.refresh_from_db()
    # The invoice itself never changes.
    after = (invoice.total_minor, invoice.status, list(invoice.lines.values_list("net_minor")))
    assert after == before
    with pytest.raises(CommandError, match="already credited"):
        call_command("credit_note", invoice="UK-00000001", reason="Again", lines="2")
    text = PdfReader(io.BytesIO(documents.invoice_pdf(note))).pages[0].extract_text()
    assert "Credit note UK-00000002" in text and "Corrects invoice UK-00000001" in text


def test_bill5_an_unpaid_invoice_is_credited_in_full_and_no_longer_collected(test_clock):
    invoice = invoice_with_two_lines(test_clock, card="declined")
    assert invoice.status == "unpaid" and invoice.collect_at is not None
    with pytest.raises(Exception, match="credited in full"):
        issue_credit_note(invoice=invoice, actor=None, reason="Wrong", positions=[1])
    note = issue_credit_note(invoice=invoice, actor=None, reason="Lines never delivered")
    assert note.total_minor == -invoice.total_minor
    invoice.refresh_from_db()
    assert (invoice.status, invoice.collect_at) == ("credited", None)
    test_clock.advance(dt.timedelta(days=10), step=dt.timedelta(days=1))
    assert invoice.payments.count() == 1  # no try after the credit note


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"invoice": "UK-404", "reason": "x"}, "no invoice numbered"),
        ({"invoice": "UK-00000001", "reason": " "}, "Say why"),
        ({"invoice": "UK-00000001", "reason": "x", "lines": "7"}, "no line 7"),
        ({"invoice": "UK-00000001", "reason": "x", "lines": "one"}, "positions like 1,3"),
    ],
)
def test_bad_credit_note_requests_name_the_problem(test_clock, options, message):
    invoice_with_two_lines(test_clock)
    with pytest.raises(CommandError, match=message):
        call_command("credit_note", **options)
    assert Invoice.objects.filter(kind="credit_note").count() == 0
