"""Markets as data: currency, VAT, language, time zone, emergency numbers, interest rule."""

from __future__ import annotations

import pytest

from officeline.markets.definitions import get_market


def test_uk_market_definition():
    uk = get_market("uk")
    assert (uk.currency, uk.vat_rate_bp, uk.language, uk.time_zone) == (
        "GBP",
        2000,
        "en",
        "Europe/London",
    )
    assert uk.emergency_numbers == ("999", "112")


def test_fr_market_definition():
    fr = get_market("FR")
    assert (fr.currency, fr.vat_rate_bp, fr.language, fr.time_zone) == (
        "EUR",
        2000,
        "fr",
        "Europe/Paris",
    )


@pytest.mark.parametrize(
    "number", ["112", "15", "17", "18", "114", "115", "119", "191", "196", "197"]
)
def test_emg3_fr_emergency_numbers(number):
    """EMG-3: every fr emergency number is recognised."""
    assert get_market("fr").is_emergency_number(number)


def test_emg3_uk_emergency_numbers():
    """EMG-3: 999 and 112 in the uk; 15 is not an emergency number there."""
    uk = get_market("uk")
    assert uk.is_emergency_number("999") and uk.is_emergency_number("112")
    assert not uk.is_emergency_number("15")


@pytest.mark.parametrize(
    ("market", "debt", "fee"),
    [
        ("uk", 99_999, 4_000),
        ("uk", 100_000, 7_000),
        ("uk", 999_999, 7_000),
        ("uk", 1_000_000, 10_000),
        ("fr", 1, 4_000),
        ("fr", 10_000_000, 4_000),
    ],
)
def test_bill8_fixed_recovery_fees(market, debt, fee):
    """BILL-8: fixed recovery fee by market and size of the debt (uk 40/70/100 GBP, fr EUR 40)."""
    assert get_market(market).interest.fixed_recovery_fee(debt) == fee
