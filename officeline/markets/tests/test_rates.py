"""BILL-8: reference rates for late-payment interest, fixed per half-year."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from officeline.markets.definitions import ReferenceFixing, get_market
from officeline.markets.models import ReferenceRate
from officeline.markets.rate_history import BOE_BANK_RATE, ECB_MRO, rows
from officeline.markets.rates import (
    NoReferenceRate,
    fixing_date,
    percent,
    rate_in_force_bp,
    reference_rate_bp,
)

D = dt.date


@pytest.mark.parametrize(
    ("market", "day", "fixing"),
    [
        ("fr", D(2026, 1, 1), D(2026, 1, 1)),
        ("fr", D(2026, 6, 30), D(2026, 1, 1)),
        ("fr", D(2026, 7, 1), D(2026, 7, 1)),
        ("fr", D(2026, 12, 31), D(2026, 7, 1)),
        ("uk", D(2026, 1, 1), D(2025, 12, 31)),
        ("uk", D(2026, 6, 30), D(2025, 12, 31)),
        ("uk", D(2026, 7, 1), D(2026, 6, 30)),
        ("uk", D(2026, 12, 31), D(2026, 6, 30)),
    ],
)
def test_bill8_fixing_date_of_each_half_year(market, day, fixing):
    """BILL-8: fr fixes on 1 January / 1 July; uk on 31 December / 30 June before the half-year."""
    assert fixing_date(market, day) == fixing


def test_bill8_the_fixing_rule_is_market_data():
    assert get_market("fr").interest.fixing is ReferenceFixing.HALF_YEAR_START
    assert get_market("uk").interest.fixing is ReferenceFixing.DAY_BEFORE_HALF_YEAR


@pytest.mark.parametrize(
    ("market", "day", "rate_bp"),
    [
        ("fr", D(2022, 3, 1), 0),  # 0.00 % on 1 January 2022
        ("fr", D(2023, 3, 1), 250),  # 2.50 % since 21 December 2022
        ("fr", D(2024, 5, 31), 450),
        ("fr", D(2024, 7, 1), 425),  # cut on 12 June 2024
        ("fr", D(2025, 3, 1), 315),
        ("fr", D(2025, 9, 1), 215),  # 2.15 % since 11 June 2025
        ("fr", D(2026, 3, 1), 215),
        ("uk", D(2022, 3, 1), 25),  # 0.25 % since 16 December 2021
        ("uk", D(2023, 1, 15), 350),
        ("uk", D(2025, 9, 1), 425),  # in force on 30 June 2025
        ("uk", D(2026, 3, 1), 375),  # in force on 31 December 2025 (cut on 18 December)
    ],
)
def test_bill8_reference_rates_of_the_published_history(reference_rates, market, day, rate_bp):
    assert reference_rate_bp(market, day) == rate_bp


def test_bill8_a_change_between_fixings_waits_for_the_next_half_year(reference_rates):
    """A change on 18 December 2025 applies from 1 January 2026 only, not to December."""
    assert rate_in_force_bp("uk", D(2025, 12, 20)) == 375
    assert reference_rate_bp("uk", D(2025, 12, 20)) == 425  # fixed on 30 June 2025
    assert reference_rate_bp("uk", D(2026, 1, 5)) == 375


def test_bill8_a_change_on_1_january_counts_in_fr_but_not_in_uk(reference_rates):
    """fr takes the rate in force on 1 January; uk the one at the close of 31 December."""
    for market in ("fr", "uk"):
        ReferenceRate.objects.create(
            market=market, effective_from=D(2027, 1, 1), rate_bp=100, source="test"
        )
    assert reference_rate_bp("fr", D(2027, 2, 1)) == 100
    assert reference_rate_bp("uk", D(2027, 2, 1)) == 375
    assert reference_rate_bp("uk", D(2027, 7, 1)) == 100  # in force on 30 June 2027


def test_bill8_no_rate_recorded_is_a_clear_error(reference_rates):
    with pytest.raises(NoReferenceRate, match="no reference rate for fr in force on 2015-07-01"):
        reference_rate_bp("fr", D(2015, 9, 1))


@pytest.mark.django_db
def test_the_data_migration_loads_the_published_history_once_and_keeps_corrections():
    """ECB MRO 2.15 % from 11 June 2025 and BoE Bank Rate 3.75 % from 18 December 2025."""
    migration = importlib.import_module("officeline.markets.migrations.0003_reference_rate_history")
    ReferenceRate.objects.all().delete()
    ReferenceRate.objects.create(
        market="fr", effective_from=D(2025, 6, 11), rate_bp=216, source="operator"
    )
    migration.load_history(apps, None)
    migration.load_history(apps, None)
    assert ReferenceRate.objects.count() == len(rows())
    assert ReferenceRate.objects.get(market="fr", effective_from=D(2025, 6, 11)).rate_bp == 216
    latest = ReferenceRate.objects.filter(market="uk").last()
    assert latest is not None
    assert (latest.effective_from, latest.rate_bp) == (D(2025, 12, 18), 375)
    assert ReferenceRate.objects.filter(market="fr").first().rate_bp == 0


def test_the_history_is_oldest_first_and_starts_before_2022():
    for series in (ECB_MRO, BOE_BANK_RATE):
        days = [day for day, _ in series]
        assert days == sorted(days) and len(set(days)) == len(days)
        assert days[0] < D(2021, 12, 31) and all(bp >= 0 for _, bp in series)
    assert (D(2025, 8, 7), 400) in BOE_BANK_RATE


def test_percent_never_uses_a_float():
    assert percent(1215) == "12.15 %"
    assert percent(5) == "0.05 %"
    assert percent(-50, ",") == "-0,50 %"
