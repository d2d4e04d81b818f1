"""Third-party charges (BILL-10): passed on at cost plus the price list's service fee."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from officeline.accounts.tests.factories import CustomerFactory
from officeline.billing.carriers import SandboxCarrierFeed
from officeline.billing.choices import ChargeKind, TerminationKind, ThirdPartySource
from officeline.billing.models import Invoice, PriceList, ThirdPartyCharge
from officeline.billing.money import Money
from officeline.billing.services.termination import terminate_by_operator
from officeline.billing.services.third_party import record_third_party_charge
from officeline.billing.tests.factories import (
    assert_vat_adds_up,
    give_card,
    go_to,
    new_line,
    statement_text,
)
from officeline.events.models import Event

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def fr_line(test_clock):
    """A fr line billed from 31 January (anchor on the 31st), 20 % VAT, a 10 % service fee."""
    test_clock.set(dt.datetime(2026, 1, 24, 9, 0, tzinfo=PARIS))
    customer = CustomerFactory(market="fr")
    give_card(customer)
    line = new_line(customer)
    go_to(test_clock, dt.datetime(2026, 2, 2, 9, 0, tzinfo=PARIS))
    assert PriceList.objects.get(market="fr").third_party_fee_bp == 1000
    return line


def test_bill10_carrier_charges_on_the_next_invoice_at_cost_plus_the_fee(test_clock, fr_line):
    carrier = SandboxCarrierFeed()
    at = dt.datetime(2026, 2, 3, 14, 20, tzinfo=PARIS)
    carrier.report(
        reference="OP-1",
        phone_number=fr_line.number.e164,
        service="118 712",
        description="Renseignements",
        amount_minor=449,
        currency="EUR",
        occurred_at=at,
    )
    carrier.report(
        reference="OP-2",
        phone_number=fr_line.number.e164,
        service="Jeu 3680",
        amount_minor=80,
        currency="EUR",
        occurred_at=at + dt.timedelta(days=2),
    )
    # Not one of our numbers: left with the carrier, not recorded, and logged by reference.
    carrier.report(reference="OP-3", phone_number="+33199009999", service="118 712",
                   amount_minor=100, currency="EUR", occurred_at=at)  # fmt: skip
    go_to(test_clock, dt.datetime(2026, 2, 10, 9, 0, tzinfo=PARIS))
    assert ThirdPartyCharge.objects.count() == 2
    go_to(test_clock, dt.datetime(2026, 2, 11, 9, 0, tzinfo=PARIS))  # reported once, kept once
    assert ThirdPartyCharge.objects.count() == 2
    assert Event.objects.filter(action="billing.third_party_charge_recorded").count() == 2

    go_to(test_clock, dt.datetime(2026, 2, 28, 0, 10, tzinfo=PARIS))
    invoice = Invoice.objects.get(period_start=dt.date(2026, 2, 28))
    lines = list(invoice.lines.order_by("position"))
    assert [(ln.kind, ln.unit_minor, ln.net_minor, ln.vat_minor, ln.description, ln.fee_bp)
            for ln in lines] == [
        (ChargeKind.MONTHLY_FEE, 2500, 2500, 500, "", None),
        (ChargeKind.THIRD_PARTY, 449, 449, 90, "118 712: Renseignements", None),  # 89.8
        (ChargeKind.THIRD_PARTY, 80, 80, 16, "Jeu 3680", None),
        # 10 % of 5.29 is 0.529, rounded half up once: 0.53.
        (ChargeKind.THIRD_PARTY_FEE, 529, 53, 11, "", 1000),  # VAT 10.6
    ]  # fmt: skip
    assert (invoice.net_minor, invoice.vat_minor, invoice.total_minor) == (3082, 617, 3699)
    assert_vat_adds_up(invoice)
    assert set(ThirdPartyCharge.objects.values_list("invoice_line__invoice", flat=True)) == {
        invoice.pk
    }
    text = " ".join(statement_text(invoice).split())
    assert "118 712: Renseignements · 3 février 2026" in text
    assert "Frais de service sur les services de tiers · 10 % de 5,29" in text
    # Billed once: the next invoice has the fee only.
    go_to(test_clock, dt.datetime(2026, 3, 31, 0, 10, tzinfo=PARIS))
    march = Invoice.objects.get(period_start=dt.date(2026, 3, 31))
    assert [ln.kind for ln in march.lines.all()] == [ChargeKind.MONTHLY_FEE]


def test_bill10_staff_record_a_charge_from_the_carriers_statement(test_clock, fr_line):
    out = io.StringIO()
    call_command(
        "third_party_charge", number=fr_line.number.e164, service="118 218", amount="3.00",
        at="2026-02-01T10:00:00+01:00", reference="STMT-7", stdout=out,
    )  # fmt: skip
    assert out.getvalue().startswith(f"recorded 3.00 EUR for {fr_line.number.e164}")
    call_command(
        "third_party_charge", number=fr_line.number.e164, service="118 218", amount="3.00",
        at="2026-02-01T10:00:00+01:00", reference="STMT-7", stdout=out,
    )  # fmt: skip
    assert "already recorded" in out.getvalue()
    charge = ThirdPartyCharge.objects.get()
    assert (charge.source, charge.cost_minor, charge.customer) == (
        ThirdPartySource.STAFF,
        300,
        fr_line.customer,
    )
    for kwargs, problem in (
        ({"amount": "-1.00"}, "--amount: '-1.00' cannot be negative"),
        ({"amount": "0"}, "--amount: A third-party charge is an amount above zero"),
        ({"amount": "1.005"}, "--amount: '1.005' has more decimals"),
        ({"at": "yesterday"}, "--at: 'yesterday' is not a date"),
        ({"at": "2027-01-01T10:00:00+01:00"}, "--at: A charge cannot be in the future"),
        ({"at": "2025-01-01T10:00:00+01:00"}, "--number: no line had the number"),
        ({"service": "  "}, "--service: Name the third party"),
    ):
        args = {"number": fr_line.number.e164, "service": "118 218", "amount": "2.00",
                "at": "2026-02-01T11:00:00+01:00", **kwargs}  # fmt: skip
        with pytest.raises(CommandError, match=problem.replace("(", r"\(")):
            call_command("third_party_charge", **args)
    assert ThirdPartyCharge.objects.count() == 1


def test_bill10_a_charge_in_another_currency_is_refused(test_clock, fr_line):
    with pytest.raises(ValidationError, match="billed in EUR"):
        record_third_party_charge(
            phone_number=fr_line.number.e164,
            service="118 712",
            amount=Money(100, "GBP"),
            occurred_at=test_clock.now(),
            source=ThirdPartySource.CARRIER,
            actor="carrier",
        )
    assert not ThirdPartyCharge.objects.exists()


def test_bill10_a_charge_reported_after_the_final_invoice_is_billed_on_a_further_invoice(
    test_clock, fr_line
):
    """BILL-10: a third party's charge for a call made before the service ended, reported by
    the carrier after the final invoice, is billed at once on a further invoice, once."""
    customer = fr_line.customer
    terminate_by_operator(customer=customer, kind=TerminationKind.INSOLVENCY, actor=None)
    test_clock.advance(dt.timedelta(hours=1))
    customer.refresh_from_db()
    assert customer.status == "terminated"
    before = Invoice.objects.filter(customer=customer).count()
    SandboxCarrierFeed().report(
        reference="OP-LATE", phone_number=fr_line.number.e164, service="118 712",
        amount_minor=449, currency="EUR", occurred_at=dt.datetime(2026, 2, 1, 20, tzinfo=PARIS),
    )  # fmt: skip
    go_to(test_clock, dt.datetime(2026, 2, 5, 9, 0, tzinfo=PARIS))
    further = Invoice.objects.filter(customer=customer).latest("sequence")
    assert Invoice.objects.filter(customer=customer).count() == before + 1
    assert further.run_key.startswith("after-final:") and further.issued_on == dt.date(2026, 2, 5)
    assert [(ln.kind, ln.net_minor, ln.vat_minor) for ln in further.lines.order_by("position")] == [
        (ChargeKind.THIRD_PARTY, 449, 90),
        (ChargeKind.THIRD_PARTY_FEE, 45, 9),  # 10 % of 4.49, rounded half up once
    ]
    assert (further.net_minor, further.vat_minor, further.total_minor) == (494, 99, 593)
    assert_vat_adds_up(further)
    test_clock.advance(dt.timedelta(days=1))  # collected like any invoice, billed once
    further.refresh_from_db()
    assert further.status == "paid"
    assert Invoice.objects.filter(customer=customer).count() == before + 1
