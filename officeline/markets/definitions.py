"""The two markets Officeline ships, as data.

A market fixes currency, VAT rate, language, time zone, the public-holiday
calendar, emergency numbers, the dispute forum, the ADR scheme and the
late-payment interest rule (the rule book, BILL-8). Operator-specific details
(the ADR scheme's contact details, for instance) are operator settings in the
accounts app; what is here is what the law of the market fixes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from zoneinfo import ZoneInfo

import holidays

from officeline.markets.choices import MarketCode


class UnknownMarket(ValueError):
    """Raised for a market code that Officeline does not ship."""

    def __init__(self, code: object) -> None:
        known = ", ".join(m.value for m in MarketCode)
        super().__init__(f"unknown market {code!r}: expected one of {known}")
        self.code = code


class ReferenceFixing(StrEnum):
    """Which day's reference rate applies to a half-year of late-payment interest (BILL-8).

    The rate then stays fixed for the whole half-year (1 January - 30 June,
    1 July - 31 December), whatever the central bank does meanwhile.
    """

    # fr, Code de commerce L441-10: the rate in force on 1 January for the first
    # half-year and on 1 July for the second (BILL-8).
    HALF_YEAR_START = "half_year_start"
    # uk, Late Payment of Commercial Debts (Rate of Interest) (No. 3) Order 2002: the
    # Bank Rate in force at the close of business on 31 December before the first
    # half-year and on 30 June before the second. Our uk terms follow the 1998 Act.
    DAY_BEFORE_HALF_YEAR = "day_before_half_year"

    def fixing_date(self, day: dt.date) -> dt.date:
        """The day whose reference rate applies to the half-year containing ``day``."""
        start = dt.date(day.year, 1 if day.month <= 6 else 7, 1)
        if self is ReferenceFixing.HALF_YEAR_START:
            return start
        return start - dt.timedelta(days=1)


@dataclass(frozen=True)
class InterestRule:
    """Late-payment interest (BILL-8): a reference rate plus a margin, and fixed recovery fees.

    Rates are in basis points (1/100 of a percentage point) so that no float comes
    near money. ``fixed_recovery_fees`` is a list of (debt below, fee) in minor
    units, the last entry applying to any larger debt. The reference rates
    themselves are data the operator keeps up to date (``markets.ReferenceRate``).
    """

    reference_rate: str  # key of the published reference-rate series
    margin_bp: int
    margin_configurable: bool  # read with market_parameter("late_interest_margin_bp")
    fixed_recovery_fees: tuple[tuple[int | None, int], ...]
    fixing: ReferenceFixing
    legal_basis: str

    def fixed_recovery_fee(self, debt_minor: int) -> int:
        for below, fee in self.fixed_recovery_fees:
            if below is None or debt_minor < below:
                return fee
        return self.fixed_recovery_fees[-1][1]


@dataclass(frozen=True)
class Market:
    code: MarketCode
    name: str
    country: str  # ISO 3166-1 alpha-2
    currency: str  # ISO 4217
    currency_exponent: int
    vat_rate_bp: int  # standard VAT rate in basis points (2000 = 20 %)
    language: str
    time_zone: str
    emergency_numbers: tuple[str, ...]
    interest: InterestRule
    dispute_forum: str  # short description; letters render the full text
    regulator: str
    _holiday_factory: Callable[[list[int]], holidays.HolidayBase] = field(repr=False)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def public_holidays(self, years: list[int]) -> holidays.HolidayBase:
        return self._holiday_factory(years)

    def is_emergency_number(self, dialled: str) -> bool:
        """EMG-3: whether a dialled string is one of this market's emergency numbers."""
        return dialled in self.emergency_numbers


UK = Market(
    code=MarketCode.UK,
    name="United Kingdom",
    country="GB",
    currency="GBP",
    currency_exponent=2,
    vat_rate_bp=2000,
    language="en",
    time_zone="Europe/London",
    emergency_numbers=("999", "112"),
    interest=InterestRule(
        reference_rate="boe_base",
        margin_bp=800,
        margin_configurable=True,  # the rule book: configurable
        # Late Payment of Commercial Debts (Interest) Act 1998, s.5A (the rule book: configurable).
        fixed_recovery_fees=((100_000, 4_000), (1_000_000, 7_000), (None, 10_000)),
        fixing=ReferenceFixing.DAY_BEFORE_HALF_YEAR,
        legal_basis="Late Payment of Commercial Debts (Interest) Act 1998",
    ),
    dispute_forum="adr",
    regulator="Ofcom",
    # England and Wales share their bank holidays.
    _holiday_factory=lambda years: holidays.country_holidays("GB", subdiv="ENG", years=years),
)

FR = Market(
    code=MarketCode.FR,
    name="France",
    country="FR",
    currency="EUR",
    currency_exponent=2,
    vat_rate_bp=2000,
    language="fr",
    time_zone="Europe/Paris",
    emergency_numbers=("112", "15", "17", "18", "114", "115", "119", "191", "196", "197"),
    interest=InterestRule(
        reference_rate="ecb_mro",
        margin_bp=1000,
        margin_configurable=False,
        # Code de commerce L441-10 and D441-5: a flat EUR 40 whatever the debt.
        fixed_recovery_fees=((None, 4_000),),
        fixing=ReferenceFixing.HALF_YEAR_START,
        legal_basis="Code de commerce, L441-10 et D441-5",
    ),
    dispute_forum="tribunal_or_arbitration",
    regulator="Arcep",
    # Metropolitan France (no Alsace-Moselle extras, no overseas departments).
    _holiday_factory=lambda years: holidays.country_holidays("FR", years=years),
)

MARKETS: dict[str, Market] = {m.code.value: m for m in (UK, FR)}


def get_market(code: str | MarketCode) -> Market:
    """The market for a code ("uk", "fr"); raises UnknownMarket with a clear message."""
    key = code.value if isinstance(code, MarketCode) else str(code).strip().lower()
    try:
        return MARKETS[key]
    except KeyError:
        raise UnknownMarket(code) from None
