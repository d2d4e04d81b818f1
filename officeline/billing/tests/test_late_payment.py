"""BILL-8: late-payment interest and the fixed recovery fee charged to the account, walked with
the test clock on both markets: every amount to the cent, outside the scope of VAT."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from officeline import clock
from officeline.accounts.tests.factories import CustomerFactory
from officeline.billing.choices import ChargeKind, TerminationKind, ThirdPartySource
from officeline.billing.models import Invoice, LatePaymentCharge
from officeline.billing.money import Money
from officeline.billing.services.cards import replace_card
from officeline.billing.services.late_payment import late_payment_lines, record_late_payment
from officeline.billing.services.termination import terminate_by_operator
from officeline.billing.services.third_party import record_third_party_charge
from officeline.billing.tests.factories import (
    CARDS,
    PriceListFactory,
    assert_vat_adds_up,
    give_card,
    go_to,
    new_card,
    new_line,
    statement_text,
)
from officeline.markets.models import ReferenceRate
from officeline.notifications.models import OutboxMessage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_rates")]

LONDON = ZoneInfo("Europe/London")
PARIS = ZoneInfo("Europe/Paris")
# A monthly fee of 999.99: the invoice's total is 1,199.99 (20 % VAT), which puts a uk debt
# in the GBP 70 band of the recovery fee.
MONTHLY_FEE = 99_999
INVOICE_TOTAL = 119_999


@dataclass(frozen=True)
class Walk:
    """A market's dates: the line asked for, the first period start, the next two."""

    market: str
    tz: ZoneInfo
    requested: dt.datetime
    anchor: dt.date
    second: dt.date
    third: dt.date


UK = Walk("uk", LONDON, dt.datetime(2026, 1, 18, 10, tzinfo=LONDON),
          dt.date(2026, 1, 25), dt.date(2026, 2, 25), dt.date(2026, 3, 25))  # fmt: skip
FR = Walk("fr", PARIS, dt.datetime(2026, 1, 24, 9, tzinfo=PARIS),
          dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31))  # fmt: skip


def declined_customer(test_clock, walk: Walk, monthly_fee: int | None = None, card="declined"):
    """A customer whose card is declined (or ``card``), with one line billed from the anchor."""
    test_clock.set(walk.requested)
    if monthly_fee is not None:
        PriceListFactory(market=walk.market, monthly_fee_minor=monthly_fee)
    customer = CustomerFactory(market=walk.market)
    give_card(customer, card)
    new_line(customer)
    return customer


def at(walk: Walk, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=walk.tz)


def kinds_and_amounts(invoice: Invoice) -> list[tuple[str, int, int, int, str, int | None]]:
    return [
        (ln.kind, ln.net_minor, ln.vat_rate_bp, ln.vat_minor, ln.description, ln.days)
        for ln in invoice.lines.order_by("position")
    ]


@pytest.mark.parametrize(
    ("walk", "paid_on", "days", "interest", "recovery_fee", "text"),
    [
        # 1,199.99 x (3.75 % BoE on 31 December 2025 + 8 points) / 365 x 4 days (26 to 29
        # January) = 1.5452 -> 1.55; a debt of 1,000 or more: GBP 70.
        (
            UK,
            dt.date(2026, 1, 29),
            4,
            155,
            7000,
            "Late-payment interest · invoice UK-00000001 · 11.75 % a year on £1,199.99",
        ),
        # 1,199.99 x (2.15 % ECB on 1 January 2026 + 10 points) / 365 x 5 days (1 to 5
        # February) = 1.9972 -> 2.00; EUR 40 whatever the debt.
        (
            FR,
            dt.date(2026, 2, 5),
            5,
            200,
            4000,
            "Intérêts de retard · facture FR-00000001 · 12,15 % par an sur 1 199,99 €",
        ),
    ],
    ids=["uk", "fr"],
)
def test_bill8_an_invoice_paid_late_is_charged_interest_and_the_fee_on_the_next_invoice(
    test_clock, walk, paid_on, days, interest, recovery_fee, text
):
    """BILL-8: paid after its due date, an invoice owes interest from the due date to the day
    of payment and the market's fixed recovery fee, charged once on the next invoice, with no
    VAT on either; the VAT totals still add up."""
    customer = declined_customer(test_clock, walk, MONTHLY_FEE)
    go_to(test_clock, at(walk, walk.anchor, 0, 5))
    first = Invoice.objects.get(customer=customer)
    assert (first.total_minor, first.status, first.due_on) == (INVOICE_TOTAL, "unpaid", walk.anchor)
    test_clock.advance(at(walk, paid_on, 10) - clock.now(), step=dt.timedelta(hours=8))
    replace_card(customer=customer, card=new_card(CARDS["ok"]), provider="sandbox", actor=None)
    test_clock.advance(dt.timedelta(minutes=1))  # the next tick collects it
    first.refresh_from_db()
    assert first.status == "paid"
    late = LatePaymentCharge.objects.get()
    assert (late.invoice, late.debt_minor, late.due_on, late.until) == (
        first, INVOICE_TOTAL, walk.anchor, paid_on
    )  # fmt: skip
    paid_email = OutboxMessage.objects.filter(customer=customer).latest("pk").body_text
    assert ("after its due date" in paid_email) or ("après sa date d'échéance" in paid_email)

    go_to(test_clock, at(walk, walk.second, 0, 10))
    second = Invoice.objects.get(customer=customer, period_start=walk.second)
    number = first.number
    assert kinds_and_amounts(second) == [
        (ChargeKind.MONTHLY_FEE, MONTHLY_FEE, 2000, 20000, "", None),
        (ChargeKind.LATE_INTEREST, interest, 0, 0, number, days),
        (ChargeKind.RECOVERY_FEE, recovery_fee, 0, 0, number, None),
    ]
    assert (second.net_minor, second.vat_minor, second.total_minor) == (
        MONTHLY_FEE + interest + recovery_fee, 20000, INVOICE_TOTAL + interest + recovery_fee
    )  # fmt: skip
    assert_vat_adds_up(second)
    interest_line = second.lines.get(kind=ChargeKind.LATE_INTEREST)
    assert interest_line.annual_rate_bp == (1175 if walk.market == "uk" else 1215)
    assert interest_line.period_start == walk.anchor + dt.timedelta(days=1)
    assert interest_line.period_end == paid_on + dt.timedelta(days=1)
    assert text in " ".join(statement_text(second).split())
    late.refresh_from_db()
    assert late.invoice_line == second.lines.get(kind=ChargeKind.RECOVERY_FEE)

    # Charged once: the following invoice has the monthly fee only, and paying is not late.
    assert record_late_payment(invoice=first, paid_on=paid_on, now=clock.now()) == late
    go_to(test_clock, at(walk, walk.third, 0, 10))
    third = Invoice.objects.get(customer=customer, period_start=walk.third)
    assert [ln.kind for ln in third.lines.all()] == [ChargeKind.MONTHLY_FEE]
    assert LatePaymentCharge.objects.count() == 1


def test_bill8_an_invoice_paid_on_its_due_date_owes_nothing(test_clock):
    customer = declined_customer(test_clock, UK)
    go_to(test_clock, at(UK, UK.anchor, 0, 5))
    replace_card(customer=customer, card=new_card(CARDS["ok"]), provider="sandbox", actor=None)
    test_clock.advance(dt.timedelta(minutes=1))
    assert Invoice.objects.get(customer=customer).status == "paid"
    assert not LatePaymentCharge.objects.exists()


def test_bill8_an_invoice_paid_at_the_first_attempt_is_never_late(test_clock):
    """BILL-8: a final invoice issued just before midnight and collected at the first attempt
    just after it was paid as soon as we asked: no interest, no recovery fee."""
    customer = declined_customer(test_clock, UK, card="ok")
    line = customer.lines.get()
    go_to(test_clock, at(UK, dt.date(2026, 2, 3), 12))
    record_third_party_charge(
        phone_number=line.number.e164, service="118 118", amount=Money(450, "GBP"),
        occurred_at=clock.now(), source=ThirdPartySource.STAFF, actor=None,
    )  # fmt: skip
    go_to(test_clock, at(UK, dt.date(2026, 2, 3), 23, 58))
    terminate_by_operator(customer=customer, kind=TerminationKind.INSOLVENCY, actor=None)
    test_clock.advance(dt.timedelta(minutes=1))  # the final invoice, issued on 3 February
    final = Invoice.objects.get(customer=customer, run_key__startswith="final:")
    assert (final.issued_on, final.due_on, final.status) == (dt.date(2026, 2, 3),) * 2 + ("open",)
    test_clock.advance(dt.timedelta(minutes=2))  # collected on 4 February, at the first try
    final.refresh_from_db()
    assert (final.status, final.collection_attempts) == ("paid", 1)
    test_clock.advance(dt.timedelta(days=1))
    assert not LatePaymentCharge.objects.exists()
    assert Invoice.objects.filter(customer=customer).count() == 2


def test_bill8_interest_over_two_half_years_is_one_line_per_rate(test_clock):
    """BILL-8: days in each half-year at that half-year's rate, each line with its days."""
    customer = declined_customer(test_clock, FR)
    test_clock.advance(at(FR, dt.date(2026, 2, 3), 9) - clock.now(), step=dt.timedelta(hours=8))
    invoice = Invoice.objects.get(customer=customer)
    assert invoice.collection_attempts == 2
    ReferenceRate.objects.create(
        market="fr", effective_from=dt.date(2026, 6, 11), rate_bp=190, source="test"
    )
    late = record_late_payment(invoice=invoice, paid_on=dt.date(2026, 7, 10), now=clock.now())
    assert late is not None
    lines = late_payment_lines([late], "fr")
    # 30.00 x 12.15 % / 365 x 150 days (1 February to 30 June) = 1.4979 -> 1.50;
    # 30.00 x 11.90 % / 365 x 10 days (1 to 10 July) = 0.0978 -> 0.10.
    assert [(ln.kind, ln.net.minor if ln.net else ln.unit.minor, ln.days, ln.annual_rate_bp)
            for ln in lines] == [
        (ChargeKind.LATE_INTEREST, 150, 150, 1215),
        (ChargeKind.LATE_INTEREST, 10, 10, 1190),
        (ChargeKind.RECOVERY_FEE, 4000, None, None),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("walk", "ends_on", "expected"),
    [
        # Terminated on day 30 after 25 January: 24 February. 30.00 x 11.75 % / 365 x 30 days
        # (26 January to 24 February) = 0.2897 -> 0.29, and GBP 40.
        (UK, dt.date(2026, 2, 24), [("UK-00000001", 29, 30)]),
        # Day 30 after 31 January: 2 March. FR-00000001: 30 days (1 February to 2 March),
        # 30.00 x 12.15 % / 365 x 30 = 0.2996 -> 0.30; FR-00000002 of 28 February: 2 days,
        # 0.0200 -> 0.02; EUR 40 each.
        (FR, dt.date(2026, 3, 2), [("FR-00000001", 30, 30), ("FR-00000002", 2, 2)]),
    ],
    ids=["uk", "fr"],
)
def test_bill8_unpaid_at_termination_interest_up_to_the_final_invoice(
    test_clock, walk, ends_on, expected
):
    """BILL-8, LIFE-4: an invoice still unpaid when the service ends for non-payment owes interest
    up to the final invoice, which charges it with the recovery fee, without VAT."""
    customer = declined_customer(test_clock, walk)
    test_clock.advance(at(walk, ends_on, 12) - clock.now(), step=dt.timedelta(hours=8))
    final = Invoice.objects.get(customer=customer, run_key__startswith="final:")
    assert final.issued_on == ends_on
    lines = []
    for number, interest, days in expected:
        lines += [
            (ChargeKind.LATE_INTEREST, interest, 0, 0, number, days),
            (ChargeKind.RECOVERY_FEE, 4000, 0, 0, number, None),
        ]
    assert kinds_and_amounts(final) == lines
    assert final.vat_minor == 0
    assert final.total_minor == sum(interest + 4000 for _, interest, _ in expected)
    assert_vat_adds_up(final)
    # A payment after the final invoice adds nothing: the interest stopped there.
    test_clock.advance(dt.timedelta(days=3))
    replace_card(customer=customer, card=new_card(CARDS["ok"]), provider="sandbox", actor=None)
    test_clock.advance(dt.timedelta(minutes=1))
    assert LatePaymentCharge.objects.filter(customer=customer).count() == len(expected)
    assert not LatePaymentCharge.objects.filter(invoice_line__isnull=True).exists()
