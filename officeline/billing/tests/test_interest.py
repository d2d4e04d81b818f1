"""BILL-8: late-payment interest, the fixed recovery fee and the late-interest command."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from officeline.accounts.tests.factories import OperatorMarketFactory
from officeline.billing.interest import (
    InterestError,
    annual_rate_bp,
    interest_periods,
    late_interest,
    late_payment_terms,
    margin_bp,
    recovery_fee,
)
from officeline.markets.models import ReferenceRate
from officeline.markets.rates import NoReferenceRate

D = dt.date
pytestmark = pytest.mark.usefixtures("reference_rates")


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_bill8_annual_rate_is_reference_plus_margin():
    """fr: ECB 2.15 % on 1 January 2026 + 10 points; uk: BoE 3.75 % on 31 December 2025 + 8."""
    assert annual_rate_bp("fr", D(2026, 2, 1)) == 215 + 1000
    assert annual_rate_bp("uk", D(2026, 2, 1)) == 375 + 800
    assert annual_rate_bp("fr", D(2025, 3, 1)) == 315 + 1000


def test_bill8_uk_margin_is_configurable_and_fr_is_not():
    OperatorMarketFactory(market="uk", parameters={"late_interest_margin_bp": 700})
    OperatorMarketFactory(market="fr", parameters={"late_interest_margin_bp": 700})
    assert margin_bp("uk") == 700
    assert annual_rate_bp("uk", D(2026, 2, 1)) == 1075
    assert margin_bp("fr") == 1000


@pytest.mark.parametrize("value", ["8", -1, 10_000, True, 7.5])
def test_a_bad_configured_margin_is_a_clear_error(value):
    OperatorMarketFactory(market="uk", parameters={"late_interest_margin_bp": value})
    with pytest.raises(InterestError, match="late_interest_margin_bp"):
        margin_bp("uk")


def test_bill8_interest_by_hand():
    """50 days (11 January to 1 March 2026) x 1200.00 x 12.15 % / 365 = 19.9726... -> 19.97."""
    exact = Fraction(120_000 * 50 * 1215, 10_000 * 365)  # in cents
    assert Fraction(199_725, 100) < exact < Fraction(199_727, 100)
    assert late_interest("fr", 120_000, D(2026, 1, 10), D(2026, 3, 1)) == 1997


def test_bill8_interest_runs_from_the_day_after_the_due_date_until_paid():
    assert late_interest("fr", 120_000, D(2026, 1, 10), D(2026, 1, 10)) == 0
    # One day: 1200.00 x 12.15 % / 365 = 0.3994... -> 0.40
    assert late_interest("fr", 120_000, D(2026, 1, 10), D(2026, 1, 11)) == 40


def test_bill8_a_period_across_a_half_year_takes_each_half_years_rate():
    """fr, 20 June to 10 July 2025: 10 days at 13.15 % (ECB 3.15 % on 1 January), 10 at 12.15 %."""
    periods = interest_periods("fr", D(2025, 6, 20), D(2025, 7, 10))
    assert [(p.first_day, p.last_day, p.days, p.annual_rate_bp) for p in periods] == [
        (D(2025, 6, 21), D(2025, 6, 30), 10, 1315),
        (D(2025, 7, 1), D(2025, 7, 10), 10, 1215),
    ]
    # 1000.00 x (10 x 13.15 % + 10 x 12.15 %) / 365 = 6.9315... -> 6.93
    assert late_interest("fr", 100_000, D(2025, 6, 20), D(2025, 7, 10)) == 693


def test_bill8_a_period_across_a_year_end_in_uk():
    """uk, 20 December 2025 to 9 January 2026: 11 days at 12.25 %, 9 days at 11.75 %."""
    periods = interest_periods("uk", D(2025, 12, 20), D(2026, 1, 9))
    assert [(p.days, p.annual_rate_bp) for p in periods] == [(11, 1225), (9, 1175)]
    # 5000.00 x (11 x 12.25 % + 9 x 11.75 %) / 365 = 32.945... -> 32.95
    assert late_interest("uk", 500_000, D(2025, 12, 20), D(2026, 1, 9)) == 3295


def test_bill8_interest_is_rounded_once_at_the_end():
    """1.00 EUR over the same two half-years: 0.36 + 0.33 cents, 0.69 in all -> 1 cent, not 0."""
    assert late_interest("fr", 100, D(2025, 6, 20), D(2025, 7, 10)) == 1


def test_bill8_interest_is_rounded_half_up():
    """uk at 10.00 % (BoE 3.75 % + a 6.25-point margin): 18.25 for one day is 0.5 cent -> 1."""
    OperatorMarketFactory(market="uk", parameters={"late_interest_margin_bp": 625})
    assert late_interest("uk", 1825, D(2026, 2, 1), D(2026, 2, 2)) == 1
    assert late_interest("uk", 1824, D(2026, 2, 1), D(2026, 2, 2)) == 0


def test_paid_before_due_and_bad_amounts_are_refused():
    with pytest.raises(InterestError, match="paid: 2026-01-09 is before the due date 2026-01-10"):
        late_interest("fr", 100, D(2026, 1, 10), D(2026, 1, 9))
    with pytest.raises(InterestError, match="amount: cannot be negative"):
        late_interest("fr", -1, D(2026, 1, 10), D(2026, 1, 11))
    with pytest.raises(InterestError, match="amount"):
        recovery_fee("uk", "100")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("market", "debt", "fee"),
    [
        ("uk", 0, 4_000),
        ("uk", 99_999, 4_000),  # GBP 999.99
        ("uk", 100_000, 7_000),  # GBP 1,000.00
        ("uk", 999_999, 7_000),  # GBP 9,999.99
        ("uk", 1_000_000, 10_000),  # GBP 10,000.00
        ("fr", 1, 4_000),
        ("fr", 100_000_000, 4_000),
    ],
)
def test_bill8_recovery_fee_bands(market, debt, fee):
    """BILL-8: fr EUR 40 flat; uk GBP 40 under 1,000, 70 under 10,000, 100 from 10,000."""
    assert recovery_fee(market, debt) == fee


def test_bill8_late_payment_terms_an_invoice_prints():
    terms = late_payment_terms("fr", D(2026, 2, 1))
    assert (terms.fixing_date, terms.reference_rate_bp, terms.annual_rate_bp) == (
        D(2026, 1, 1),
        215,
        1215,
    )
    with translation.override("fr"):
        interest, fee = terms.lines()
    assert "2,15 %" in interest and "12,15 %" in interest
    assert "BCE" in interest
    assert fee == "Indemnité forfaitaire pour frais de recouvrement : 40,00\xa0€."
    with translation.override("en"):
        interest, fee = terms.lines()
    assert "12.15 %" in interest and "ECB" in interest and "€40.00" in fee


def test_bill8_uk_terms_list_the_three_fixed_sums():
    with translation.override("en"):
        interest, fee = late_payment_terms("uk", D(2026, 8, 1)).lines()
    assert "Bank of England" in interest and "30 June 2026 (3.75 %) plus 8 points" in interest
    assert "£40.00 for a debt under £1,000.00" in fee
    assert "£70.00 for a debt under £10,000.00" in fee
    assert "£100.00 from £10,000.00" in fee


def test_bill8_late_interest_command_output():
    out = run(
        "late_interest",
        "--market",
        "fr",
        "--amount",
        "1200.00",
        "--due",
        "2026-01-10",
        "--paid",
        "2026-03-01",
    )
    assert out == ("rate 12.15 %\ninterest 19.97 EUR\nrecovery fee 40.00 EUR\ntotal 59.97 EUR\n")


def test_late_interest_command_across_a_half_year_prints_each_rate():
    out = run(
        "late_interest",
        "--market",
        "uk",
        "--amount",
        "5000",
        "--due",
        "2025-12-20",
        "--paid",
        "2026-01-09",
    )
    assert out.splitlines() == [
        "rate 12.25 % from 2025-12-21 to 2025-12-31 (11 days)",
        "rate 11.75 % from 2026-01-01 to 2026-01-09 (9 days)",
        "interest 32.95 GBP",
        "recovery fee 70.00 GBP",
        "total 102.95 GBP",
    ]


def test_late_interest_command_paid_on_the_due_date_owes_nothing():
    out = run(
        "late_interest", "--market", "fr", "--amount", "10", "--due", "2026-01-10", "--paid",
        "2026-01-10",
    )  # fmt: skip
    assert out.splitlines() == [
        "rate 12.15 %",
        "interest 0.00 EUR",
        "recovery fee 0.00 EUR",
        "total 0.00 EUR",
    ]


def base_args(**changes: str) -> list[str]:
    options = {"market": "fr", "amount": "1200.00", "due": "2026-01-10", "paid": "2026-03-01"}
    options.update(changes)
    args = ["late_interest"]
    for key, value in options.items():
        args += [f"--{key}", value]
    return args


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"market": "de"}, "--market: unknown market 'de'"),
        ({"amount": "12,00"}, "--amount: '12,00' is not an amount"),
        ({"amount": "-5.00"}, "--amount: '-5.00' cannot be negative"),
        ({"amount": "1.005"}, "--amount: '1.005' has more decimals than EUR has"),
        ({"due": "2026-02-30"}, "--due '2026-02-30' is not a date"),
        ({"paid": "yesterday"}, "--paid 'yesterday' is not a date"),
        ({"paid": "2026-01-09"}, "--paid 2026-01-09 is before --due 2026-01-10"),
    ],
)
def test_bad_late_interest_input_is_a_clear_error(changes, message):
    with pytest.raises(CommandError, match=message):
        run(*base_args(**changes))


def test_late_interest_command_without_a_reference_rate_says_what_to_do():
    ReferenceRate.objects.filter(market="fr").delete()
    with pytest.raises(
        CommandError, match=r"no reference rate for fr .*\(/console/reference-rates/\)"
    ):
        run(*base_args())
    with pytest.raises(NoReferenceRate):
        late_interest("fr", 100, D(2026, 1, 10), D(2026, 1, 11))
