"""Reference rates for late-payment interest (BILL-8): which day's rate, and its value.

Interest runs at a central bank's reference rate plus a margin, the reference
being fixed for each half-year (1 January - 30 June, 1 July - 31 December). Which
day fixes it is market data (``InterestRule.fixing`` in ``definitions.py``):

- fr: the ECB main refinancing rate in force on 1 January / 1 July of the
  half-year (Code de commerce L441-10);
- uk: the Bank of England Bank Rate in force on 31 December / 30 June before the
  half-year (Late Payment of Commercial Debts (Rate of Interest) (No. 3) Order 2002).

The rates themselves are rows of ``ReferenceRate`` that the operator keeps up to date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from officeline.markets.choices import MarketCode
from officeline.markets.definitions import get_market
from officeline.markets.models import ReferenceRate

# How people read each series' name (keys of InterestRule.reference_rate).
REFERENCE_RATE_NAMES: dict[str, Any] = {
    "ecb_mro": _("the ECB main refinancing operations rate"),
    "boe_base": _("the Bank of England base rate"),
}


def reference_rate_name(market: str | MarketCode) -> Any:
    """The name of a market's reference rate, in the active language."""
    return REFERENCE_RATE_NAMES[get_market(market).interest.reference_rate]


def percent(rate_bp: int, decimal_mark: str = ".") -> str:
    """Basis points as a percentage with two decimals: 1215 -> '12.15 %' (no float)."""
    sign = "-" if rate_bp < 0 else ""
    whole, hundredths = divmod(abs(rate_bp), 100)
    return f"{sign}{whole}{decimal_mark}{hundredths:02d} %"


def localized_percent(rate_bp: int) -> str:
    """``percent`` with the active language's decimal mark: '12,15 %' in French."""
    language = (get_language() or "en").split("-")[0]
    return percent(rate_bp, "," if language == "fr" else ".")


class NoReferenceRate(LookupError):
    """No reference rate is recorded for the day that fixes a half-year's rate."""

    def __init__(self, market: str, day: dt.date) -> None:
        super().__init__(
            f"no reference rate for {market} in force on {day.isoformat()}: "
            "add it in the console (/console/reference-rates/)"
        )
        self.market = market
        self.day = day


def half_year_start(day: dt.date) -> dt.date:
    """1 January or 1 July: the first day of the half-year containing ``day``."""
    return dt.date(day.year, 1 if day.month <= 6 else 7, 1)


def half_year_end(day: dt.date) -> dt.date:
    """30 June or 31 December: the last day of the half-year containing ``day``."""
    return dt.date(day.year, 6, 30) if day.month <= 6 else dt.date(day.year, 12, 31)


def fixing_date(market: str | MarketCode, day: dt.date) -> dt.date:
    """BILL-8: the day whose reference rate applies to the half-year containing ``day``.

    fr: 1 January / 1 July of that half-year; uk: 31 December / 30 June before it.
    """
    return get_market(market).interest.fixing.fixing_date(day)


def rate_in_force_bp(market: str | MarketCode, day: dt.date) -> int:
    """The reference rate recorded as in force on ``day`` (the latest change on or before it)."""
    code = get_market(market).code.value
    row = (
        ReferenceRate.objects.filter(market=code, effective_from__lte=day)
        .order_by("-effective_from")
        .values_list("rate_bp", flat=True)
        .first()
    )
    if row is None:
        raise NoReferenceRate(code, day)
    return row


def reference_rate_bp(market: str | MarketCode, day: dt.date) -> int:
    """BILL-8: the reference rate, in basis points, that applies on ``day`` (fixed per half-year)."""
    return rate_in_force_bp(market, fixing_date(market, day))
