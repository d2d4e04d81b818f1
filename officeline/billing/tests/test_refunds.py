"""Refunds of credit notes (BILL-5): a credit note on a paid invoice is paid back to the card,
once, and never more than what was paid less earlier refunds."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from officeline.accounts.tests.factories import OfficeManagerFactory
from officeline.billing.models import Invoice, Refund
from officeline.billing.payments.base import PaymentProviderError, RefundOutcome
from officeline.billing.payments.sandbox import SandboxProvider
from officeline.billing.sandbox_models import SandboxRefund
from officeline.billing.services import documents
from officeline.billing.services.credit_notes import issue_credit_note
from officeline.billing.services.refunds import make_refund
from officeline.billing.tests.factories import invoice_with_two_lines

pytestmark = pytest.mark.django_db


def test_bill5_a_credit_note_on_a_paid_invoice_is_refunded_to_the_card(test_clock, client):
    invoice = invoice_with_two_lines(test_clock)
    payment = invoice.payments.get(outcome="succeeded")
    note = issue_credit_note(invoice=invoice, actor=None, reason="Charged twice", positions=[2])
    refund = Refund.objects.get(credit_note=note)
    assert (refund.invoice, refund.payment, refund.amount_minor) == (invoice, payment, 3000)
    assert refund.status == "succeeded" and refund.refunded_at is not None
    assert refund.provider_reference.startswith("sbx_re_") and refund.provider == "sandbox"
    at_provider = SandboxRefund.objects.get()
    assert (at_provider.charge.reference, at_provider.amount_minor) == (
        payment.provider_reference,
        3000,
    )
    invoice.refresh_from_db()
    assert invoice.status == "paid"  # the invoice itself never changes
    # Shown with the payments on the invoice page and the itemized statement.
    manager = OfficeManagerFactory(customer=invoice.customer)
    client.force_login(manager)
    page = client.get(f"/invoices/{invoice.number}/").text
    assert "Refund of credit note UK-00000002" in page and "Refunded to the card" in page
    statement = documents.statement_pdf(invoice)
    assert "Refund of credit note UK-00000002" in PdfReader(io.BytesIO(statement)).pages[
        0
    ].extract_text().replace("\n", " ")


def test_bill5_asking_again_never_refunds_twice(test_clock):
    """A retry after a crash between the provider's refund and our row asks with the same key."""
    invoice = invoice_with_two_lines(test_clock)
    note = issue_credit_note(invoice=invoice, actor=None, reason="Charged twice", positions=[1])
    refund = Refund.objects.get(credit_note=note)
    reference = refund.provider_reference
    make_refund(refund=refund, now=test_clock.now())
    # As if the worker died after the provider refunded and before the row was written.
    Refund.objects.filter(pk=refund.pk).update(status="pending", provider_reference="")
    again = make_refund(refund=refund, now=test_clock.now())
    assert (again.status, again.provider_reference) == ("succeeded", reference)
    assert SandboxRefund.objects.count() == 1


def test_bill5_an_unreachable_provider_is_asked_again_by_tick(test_clock, monkeypatch):
    invoice = invoice_with_two_lines(test_clock)

    def unreachable(self, **kwargs):
        raise PaymentProviderError("sandbox: unreachable")

    with monkeypatch.context() as patched:
        patched.setattr(SandboxProvider, "refund", unreachable)
        note = issue_credit_note(invoice=invoice, actor=None, reason="Wrong line", positions=[1])
    refund = Refund.objects.get(credit_note=note)
    assert refund.status == "pending" and not SandboxRefund.objects.exists()
    assert refund.retry_at == test_clock.now() + dt.timedelta(minutes=10)
    test_clock.advance(dt.timedelta(minutes=10))
    refund.refresh_from_db()
    assert (refund.status, refund.retry_at) == ("succeeded", None)
    assert SandboxRefund.objects.get().idempotency_key == "refund-UK-00000002"


def test_bill5_a_refund_is_never_more_than_what_was_paid_less_earlier_refunds(test_clock):
    """A partial payment of 40.00 on a 60.00 invoice: the first line (30.00) is refunded, the
    second is refused (10.00 left) and nothing is issued for it."""
    invoice = invoice_with_two_lines(test_clock)
    invoice.payments.update(amount_minor=4000)
    issue_credit_note(invoice=invoice, actor=None, reason="Wrong line", positions=[1])
    with pytest.raises(ValidationError, match="more than what was paid") as refused:
        issue_credit_note(invoice=invoice, actor=None, reason="Wrong line", positions=[2])
    assert "£10.00" in str(refused.value) or "10.00 GBP" in str(refused.value)
    assert Invoice.objects.filter(kind="credit_note").count() == 1
    assert list(Refund.objects.values_list("amount_minor", flat=True)) == [3000]
    assert SandboxRefund.objects.count() == 1


def test_bill5_an_unpaid_invoice_is_credited_without_a_refund(test_clock):
    invoice = invoice_with_two_lines(test_clock, card="declined")
    issue_credit_note(invoice=invoice, actor=None, reason="Lines never delivered")
    invoice.refresh_from_db()
    assert invoice.status == "credited" and not Refund.objects.exists()


def test_the_sandbox_never_refunds_more_than_the_charge(test_clock):
    invoice = invoice_with_two_lines(test_clock)
    reference = invoice.payments.get().provider_reference
    provider = SandboxProvider()
    ask = {"charge_reference": reference, "currency": "GBP", "description": "x"}
    assert provider.refund(amount_minor=5000, idempotency_key="a", **ask).succeeded
    too_much = provider.refund(amount_minor=1001, idempotency_key="b", **ask)
    assert too_much.outcome == RefundOutcome.FAILED and "exceeds" in too_much.message
    assert provider.refund(amount_minor=1000, idempotency_key="c", **ask).succeeded
    assert provider.refund(amount_minor=5000, idempotency_key="a", **ask).succeeded  # same key
    assert SandboxRefund.objects.filter(outcome="succeeded").count() == 2
