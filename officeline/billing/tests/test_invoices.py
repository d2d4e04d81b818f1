"""The invoice run walked through months with the test clock: every amount to the cent.

BILL-1 (monthly, in advance), BILL-2 (from the 7th day), BILL-3 (one anchor,
month ends, lines added later pro rata), BILL-5 (numbering, VAT per line, the
market's mentions), BILL-8 (dunning).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from officeline import clock
from officeline.accounts.tests.factories import BuildingFactory, CustomerFactory
from officeline.billing.models import (
    Invoice,
    InvoiceLine,
    InvoiceSequence,
    Payment,
    PaymentMethod,
)
from officeline.billing.payments.sandbox import SandboxProvider
from officeline.billing.services import documents
from officeline.billing.services.collection import dunning_steps
from officeline.billing.services.run import invoice_run
from officeline.billing.tests.factories import (
    LONDON,
    PARIS,
    PriceListFactory,
    give_card,
    go_to,
    new_line,
)
from officeline.lines.services import lines
from officeline.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def uk_customer(test_clock):
    test_clock.set(dt.datetime(2026, 1, 18, 10, 0, tzinfo=LONDON))
    customer = CustomerFactory(market="uk")
    give_card(customer)
    return customer


def test_bill2_bill1_first_invoice_on_the_7th_day_in_advance(test_clock, uk_customer):
    """BILL-2: billing starts on the 7th day after the request; BILL-1: the month, in advance."""
    new_line(uk_customer)
    go_to(test_clock, dt.datetime(2026, 1, 24, 23, 0, tzinfo=LONDON))
    assert not Invoice.objects.exists()
    go_to(test_clock, dt.datetime(2026, 1, 25, 0, 5, tzinfo=LONDON))
    invoice = Invoice.objects.get()
    assert invoice.number == "UK-00000001"
    assert (invoice.period_start, invoice.period_end) == (
        dt.date(2026, 1, 25),
        dt.date(2026, 2, 25),
    )
    assert (invoice.net_minor, invoice.vat_minor, invoice.total_minor) == (2500, 500, 3000)
    assert invoice.status == "paid"
    payment = Payment.objects.get(invoice=invoice)
    assert payment.amount_minor == 3000 and payment.outcome == "succeeded"
    assert OutboxMessage.objects.filter(customer=uk_customer, kind="billing").count() == 1


def test_bill3_anchor_on_the_31st_follows_month_ends(test_clock):
    """BILL-3: a period anchored on the 31st starts on the 28th in February, the 31st in March."""
    test_clock.set(dt.datetime(2026, 1, 24, 9, 0, tzinfo=PARIS))
    customer = CustomerFactory(market="fr")
    give_card(customer)
    new_line(customer)
    test_clock.advance(dt.timedelta(days=70), step=dt.timedelta(days=1))
    invoices = list(Invoice.objects.order_by("sequence"))
    assert [(i.period_start, i.period_end) for i in invoices] == [
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),
        (dt.date(2026, 2, 28), dt.date(2026, 3, 31)),
        (dt.date(2026, 3, 31), dt.date(2026, 4, 30)),
    ]
    assert [i.number for i in invoices] == ["FR-00000001", "FR-00000002", "FR-00000003"]
    assert all(i.total_minor == 3000 and i.currency == "EUR" for i in invoices)


def test_bill3_leap_february(test_clock):
    """BILL-3: in a leap year the period after 31 January starts on 29 February."""
    test_clock.set(dt.datetime(2028, 1, 24, 9, 0, tzinfo=LONDON))
    customer = CustomerFactory(market="uk")
    give_card(customer)
    new_line(customer)
    test_clock.advance(dt.timedelta(days=40), step=dt.timedelta(days=1))
    starts = list(Invoice.objects.order_by("sequence").values_list("period_start", flat=True))
    assert starts == [dt.date(2028, 1, 31), dt.date(2028, 2, 29)]


def test_bill3_line_added_mid_period_is_billed_pro_rata_then_with_the_account(
    test_clock, uk_customer
):
    """BILL-3: a later line is billed from its own start to the account's next period start,
    pro rata by calendar days, on its own invoice; then with the account."""
    new_line(uk_customer)  # billing starts 25 Jan: the anchor
    go_to(test_clock, dt.datetime(2026, 2, 3, 10, 0, tzinfo=LONDON))
    new_line(uk_customer)  # billing starts 10 Feb
    go_to(test_clock, dt.datetime(2026, 2, 10, 0, 1, tzinfo=LONDON))
    pro_rata = Invoice.objects.get(period_start=dt.date(2026, 2, 10))
    item = pro_rata.lines.get()
    # 15 of the 31 days from 25 Jan to 25 Feb: 25.00 x 15 / 31 = 12.0967... -> 12.10
    assert (item.kind, item.days, item.days_in_period) == ("pro_rata_fee", 15, 31)
    assert (pro_rata.net_minor, pro_rata.vat_minor, pro_rata.total_minor) == (1210, 242, 1452)
    assert pro_rata.period_end == dt.date(2026, 2, 25)
    go_to(test_clock, dt.datetime(2026, 2, 25, 0, 1, tzinfo=LONDON))
    february = Invoice.objects.get(period_start=dt.date(2026, 2, 25))
    assert february.lines.count() == 2 and february.total_minor == 6000
    assert [i.number for i in Invoice.objects.order_by("sequence")] == [
        "UK-00000001",
        "UK-00000002",
        "UK-00000003",
    ]


def test_bill5_vat_is_rounded_per_line_and_adds_up(test_clock, uk_customer):
    """BILL-5: each line's VAT is rounded once; the invoice's VAT and total are their sums."""
    PriceListFactory(market="uk", monthly_fee_minor=1999)
    for _ in range(3):
        new_line(uk_customer)
    go_to(test_clock, dt.datetime(2026, 1, 25, 1, 0, tzinfo=LONDON))
    invoice = Invoice.objects.get()
    items = list(invoice.lines.all())
    assert [i.vat_minor for i in items] == [400, 400, 400]  # 19.99 x 20 % = 3.998 -> 4.00
    assert invoice.vat_minor == sum(i.vat_minor for i in items) == 1200
    assert invoice.net_minor == 5997 and invoice.total_minor == 7197


def test_bill5_a_repeated_run_issues_nothing_twice_and_numbers_have_no_gap(
    test_clock, uk_customer, monkeypatch
):
    """BILL-5: the run is idempotent; a run that fails gives its numbers back."""
    other = CustomerFactory(market="uk")
    give_card(other)
    new_line(uk_customer)
    new_line(other)
    test_clock.set(dt.datetime(2026, 1, 25, 9, 0, tzinfo=LONDON))  # no tick has run

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    with monkeypatch.context() as patched:
        patched.setattr(InvoiceLine.objects, "bulk_create", broken)
        with pytest.raises(RuntimeError):
            invoice_run(now=clock.now())
    assert not Invoice.objects.exists()
    assert InvoiceSequence.objects.filter(market="uk", last_number__gt=0).count() == 0
    assert invoice_run(now=clock.now()) == 2
    assert invoice_run(now=clock.now()) == 0
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == [1, 2]


def test_bill5_invoice_pdf_carries_the_markets_mentions(test_clock):
    """BILL-5, BILL-8: a fr invoice names both parties' SIREN and VAT numbers, the due date,
    the late-payment rate and the EUR 40 indemnity, in French."""
    from officeline.accounts.tests.factories import OperatorMarketFactory

    OperatorMarketFactory(market="fr", vat_number="FR40123456789", company_number="123456789")
    test_clock.set(dt.datetime(2026, 3, 2, 9, 0, tzinfo=PARIS))
    customer = CustomerFactory(market="fr", vat_number="FR83404833048", company_number="404833048")
    give_card(customer)
    new_line(customer)
    test_clock.advance(dt.timedelta(days=7))
    invoice = Invoice.objects.get()
    pdf = PdfReader(io.BytesIO(documents.invoice_pdf(invoice)))
    # Babel separates amounts and symbols with no-break spaces.
    text = "".join(p.extract_text() for p in pdf.pages).replace("\u202f", " ").replace("\xa0", " ")
    for mention in (
        "Facture FR-00000001",
        "SIREN 123456789",
        "FR40123456789",
        "SIREN 404833048",
        "FR83404833048",
        "Date d'échéance",
        "12,15 %",  # the ECB rate in force on 1 January 2026 (2.15 %) plus 10 points (BILL-8)
        "40,00 €",
        "escompte",
        "30,00 €",
    ):
        assert mention in text, mention
    statement = PdfReader(io.BytesIO(documents.statement_pdf(invoice))).pages[0].extract_text()
    assert "Relevé détaillé" in statement


def test_bill8_declined_card_is_retried_with_warnings_then_lines_suspended(test_clock):
    """BILL-8: tries and warnings on days 0, 3 and 7 after the due date; suspension on day 14."""
    test_clock.set(dt.datetime(2026, 1, 18, 10, 0, tzinfo=LONDON))
    customer = CustomerFactory(market="uk")
    give_card(customer, "declined")
    line = new_line(customer)
    line.emergency_limitations_acknowledged_at = clock.now()
    line.location_confirmed_at = clock.now()
    line.save()
    lines.activate_line(line=line, actor=None)
    assert dunning_steps("uk") == [0, 3, 7, 14, 30]
    go_to(test_clock, dt.datetime(2026, 1, 25, 9, 0, tzinfo=LONDON))
    invoice = Invoice.objects.get()
    assert invoice.status == "unpaid"
    assert invoice.collect_at == dt.datetime(2026, 1, 28, tzinfo=LONDON)
    test_clock.advance(dt.timedelta(days=13), step=dt.timedelta(hours=6))
    assert Payment.objects.filter(invoice=invoice).count() == 3
    assert OutboxMessage.objects.filter(customer=customer, kind="billing").count() == 3
    line.refresh_from_db()
    assert line.status == "active"
    test_clock.advance(dt.timedelta(days=1))
    line.refresh_from_db()
    assert (line.status, line.suspension_ground) == ("suspended", "non_payment")
    assert Payment.objects.filter(invoice=invoice).count() == 4


def test_bill1_payment_is_idempotent_per_attempt(test_clock, uk_customer):
    """BILL-1: retrying a collection with the same attempt never charges twice."""
    from officeline.billing.sandbox_models import SandboxCharge

    new_line(uk_customer)
    go_to(test_clock, dt.datetime(2026, 1, 25, 9, 0, tzinfo=LONDON))
    invoice = Invoice.objects.get()
    card = PaymentMethod.objects.get(customer=uk_customer)
    key = Payment.objects.get(invoice=invoice).idempotency_key
    again = SandboxProvider().charge(
        token=card.token, amount_minor=3000, currency="GBP", idempotency_key=key, description="x"
    )
    assert again.succeeded and SandboxCharge.objects.filter(idempotency_key=key).count() == 1


def test_bill2_billing_starts_whether_or_not_the_line_is_used(test_clock, uk_customer):
    """BILL-2: a line never activated is billed from its billing start all the same."""
    line = new_line(uk_customer)
    assert line.status == "requested"
    go_to(test_clock, dt.datetime(2026, 1, 25, 9, 0, tzinfo=LONDON))
    assert Invoice.objects.get().lines.get().phone_number == line.number.e164


def test_number_sequences_are_per_market(test_clock):
    test_clock.set(dt.datetime(2026, 1, 18, 10, 0, tzinfo=LONDON))
    for market in ("uk", "fr"):
        customer = CustomerFactory(market=market, building=BuildingFactory(market=market))
        give_card(customer)
        new_line(customer)
    test_clock.advance(dt.timedelta(days=8))
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [
        "FR-00000001",
        "UK-00000001",
    ]
