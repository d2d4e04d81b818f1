"""Money in minor units, the billing schedule (BILL-2, BILL-3) and port compensation (PORT-2)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from officeline.billing.money import Money, MoneyError, divide_half_up
from officeline.billing.porting import porting_compensation
from officeline.billing.schedule import (
    billing_start,
    next_period_start,
    period_starts,
    pro_rata_days,
)

D = dt.date


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_money_parses_and_prints_exactly():
    assert Money.parse("25.00", "eur") == Money(2500, "EUR")
    assert Money.parse("1000", "JPY").plain() == "1000 JPY"
    assert (Money(1999, "GBP") + Money(1, "GBP")).plain() == "20.00 GBP"
    assert Money(-5, "EUR").plain() == "-0.05 EUR"


@pytest.mark.parametrize(
    ("text", "currency", "problem"),
    [
        ("25.001", "EUR", "more decimals"),
        ("-1", "EUR", "negative"),
        ("1e3", "EUR", "not an amount"),
        ("5", "EURO", "unknown currency"),
        ("5", "", "unknown currency"),
    ],
)
def test_bad_money_is_refused_with_the_reason(text, currency, problem):
    with pytest.raises(MoneyError, match=problem):
        Money.parse(text, currency)


def test_currencies_do_not_mix():
    with pytest.raises(MoneyError, match="cannot mix"):
        Money(1, "GBP") + Money(1, "EUR")


def test_money_refuses_floats():
    with pytest.raises(MoneyError):
        Money(1.5, "GBP")  # type: ignore[arg-type]


def test_rounding_is_half_up_in_one_place():
    assert divide_half_up(5, 2) == 3 and divide_half_up(-5, 2) == -3 and divide_half_up(4, 3) == 1
    assert Money(1005, "GBP").percent_bp(2000) == Money(201, "GBP")  # 20 % of 10.05 = 2.01


def test_money_displays_per_language():
    assert Money(575, "EUR").display("fr") == "5,75\xa0€"
    assert Money(575, "GBP").display("en") == "£5.75"


def test_bill2_billing_starts_on_the_7th_day_after_the_activation_request():
    """BILL-2: used or not, billing starts 7 days after the request."""
    assert billing_start(D(2026, 1, 24)) == D(2026, 1, 31)
    assert billing_start(D(2026, 12, 28)) == D(2027, 1, 4)


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        (D(2026, 1, 31), ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]),
        (D(2028, 1, 30), ["2028-01-30", "2028-02-29", "2028-03-30", "2028-04-30"]),
        (D(2026, 1, 25), ["2026-01-25", "2026-02-25", "2026-03-25", "2026-04-25"]),
        (D(2026, 12, 29), ["2026-12-29", "2027-01-29", "2027-02-28", "2027-03-29"]),
    ],
)
def test_bill3_periods_keep_the_anchor_day_or_the_months_last_day(anchor, expected):
    """BILL-3: in a month without the anchor's day the period starts on its last day."""
    assert [d.isoformat() for d in period_starts(anchor, 4)] == expected


def test_bill3_lines_added_later_are_pro_rata_to_the_next_period_start():
    """BILL-3: from the line's own start to the account's next period start, by calendar days."""
    anchor = D(2026, 1, 31)
    assert next_period_start(anchor, D(2026, 2, 10)) == D(2026, 2, 28)
    assert pro_rata_days(start=D(2026, 2, 10), anchor=anchor) == (18, 28)
    assert pro_rata_days(start=D(2026, 3, 31), anchor=anchor) == (30, 30)


@pytest.mark.parametrize(
    ("fee", "currency", "due", "completed", "expected"),
    [
        ("25.00", "EUR", D(2026, 3, 2), D(2026, 3, 9), "5.75 EUR"),
        ("25.00", "EUR", D(2026, 3, 2), D(2026, 3, 2), "0.00 EUR"),
        ("25.00", "EUR", D(2026, 3, 2), D(2026, 2, 27), "0.00 EUR"),
        ("18.50", "GBP", D(2026, 1, 1), D(2026, 1, 2), "0.61 GBP"),  # 18.50 x 12 / 365 = 0.6082...
        (
            "30.00",
            "GBP",
            D(2026, 1, 1),
            D(2026, 12, 31),
            "359.01 GBP",
        ),  # 3000 x 12 x 364 / 365 = 35901.4
    ],
)
def test_port2_compensation_is_fee_times_12_over_365_times_days_late(
    fee, currency, due, completed, expected
):
    """PORT-2: monthly fee x 12 / 365 x calendar days late, rounded to the minor unit."""
    assert (
        porting_compensation(
            monthly_fee=Money.parse(fee, currency), due=due, completed=completed
        ).plain()
        == expected
    )


def test_porting_compensation_command_contract():
    out = run(
        "porting_compensation",
        "--monthly-fee",
        "25.00",
        "--currency",
        "EUR",
        "--due",
        "2026-03-02",
        "--completed",
        "2026-03-09",
    )
    assert out == "5.75 EUR\n"


def test_billing_schedule_command_contract():
    out = run(
        "billing_schedule",
        "--market",
        "fr",
        "--activation-requested",
        "2026-01-24",
        "--periods",
        "3",
    )
    assert out.splitlines() == ["2026-01-31", "2026-02-28", "2026-03-31"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [
                "porting_compensation",
                "--monthly-fee",
                "-1",
                "--currency",
                "EUR",
                "--due",
                "2026-03-02",
                "--completed",
                "2026-03-09",
            ],
            "negative",
        ),
        (
            [
                "porting_compensation",
                "--monthly-fee",
                "25",
                "--currency",
                "ABC",
                "--due",
                "2026-03-02",
                "--completed",
                "2026-03-09",
            ],
            "unknown currency",
        ),
        (
            [
                "porting_compensation",
                "--monthly-fee",
                "25",
                "--currency",
                "EUR",
                "--due",
                "2026-13-02",
                "--completed",
                "2026-03-09",
            ],
            "not a date",
        ),
        (
            ["billing_schedule", "--market", "de", "--activation-requested", "2026-01-24"],
            "unknown market",
        ),
        (
            [
                "billing_schedule",
                "--market",
                "uk",
                "--activation-requested",
                "2026-01-24",
                "--periods",
                "0",
            ],
            "between 1",
        ),
    ],
)
def test_bad_cli_input_is_a_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_commands_are_spelt_with_hyphens_on_the_command_line():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "officeline",
            "porting-compensation",
            "--monthly-fee",
            "25.00",
            "--currency",
            "EUR",
            "--due",
            "2026-03-02",
            "--completed",
            "2026-03-09",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (proc.returncode, proc.stdout) == (0, "5.75 EUR\n")
