"""BILL-8: late-payment interest and the fixed recovery fee.

Interest runs from the day after the due date until the day of payment, both
included, as simple interest on the amount due: for each day, the annual rate of
that day's half-year / 365. The annual rate is the market's reference rate fixed
for the half-year (``officeline.markets.rates``) plus the market's margin:

- fr: ECB main refinancing rate in force on 1 January / 1 July + 10 points
  (Code de commerce L441-10);
- uk: Bank of England base rate in force on 31 December / 30 June before the
  half-year + 8 points by default (Late Payment of Commercial Debts (Interest)
  Act 1998), the margin configurable with the market parameter
  ``late_interest_margin_bp``.

Nothing here uses a float: rates are basis points, amounts minor units, and the
interest is rounded once, at the end, with ``money.divide_half_up``. On top of the
interest comes the market's fixed recovery fee (fr EUR 40; uk GBP 40, 70 or 100
by size of the debt).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from officeline.accounts.models import market_parameter
from officeline.billing.money import Money, divide_half_up
from officeline.markets.choices import MarketCode
from officeline.markets.definitions import Market, get_market
from officeline.markets.rates import (
    fixing_date,
    half_year_end,
    percent,
    reference_rate_bp,
    reference_rate_name,
)

DAYS_IN_YEAR = 365
MARGIN_PARAMETER = "late_interest_margin_bp"
MAX_MARGIN_BP = 5_000  # a configured margin above 50 points is a typing error


class InterestError(ValueError):
    """Input that late-payment interest cannot be computed from; the message names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def margin_bp(market: str | MarketCode) -> int:
    """BILL-8: the points added to the reference rate (fr 1000 bp; uk 800 bp, configurable)."""
    definition = get_market(market)
    rule = definition.interest
    if not rule.margin_configurable:
        return rule.margin_bp
    value = market_parameter(definition.code.value, MARGIN_PARAMETER, rule.margin_bp)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_MARGIN_BP:
        raise InterestError(
            MARGIN_PARAMETER,
            f"{value!r} is not a margin in basis points between 0 and {MAX_MARGIN_BP}",
        )
    return value


def annual_rate_bp(market: str | MarketCode, day: dt.date) -> int:
    """BILL-8: the annual late-payment rate on ``day``: reference rate of its half-year + margin."""
    return reference_rate_bp(market, day) + margin_bp(market)


@dataclass(frozen=True)
class InterestPeriod:
    """Days of one half-year during which interest runs at one annual rate."""

    first_day: dt.date
    last_day: dt.date
    annual_rate_bp: int

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


def interest_periods(market: str | MarketCode, due: dt.date, paid: dt.date) -> list[InterestPeriod]:
    """BILL-8: the days interest runs (after ``due`` up to ``paid``), cut at each half-year."""
    if paid < due:
        raise InterestError("paid", f"{paid.isoformat()} is before the due date {due.isoformat()}")
    margin = margin_bp(market)
    periods = []
    start = due + dt.timedelta(days=1)
    while start <= paid:
        end = min(half_year_end(start), paid)
        periods.append(InterestPeriod(start, end, reference_rate_bp(market, start) + margin))
        start = end + dt.timedelta(days=1)
    return periods


def _check_amount(amount_minor: int) -> None:
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int):
        raise InterestError("amount", "an amount is a whole number of minor units")
    if amount_minor < 0:
        raise InterestError("amount", "cannot be negative")


def interest_on(amount_minor: int, periods: list[InterestPeriod]) -> int:
    """Simple interest over ``periods``, each day at its period's rate / 365, rounded once."""
    _check_amount(amount_minor)
    rate_days = sum(p.days * p.annual_rate_bp for p in periods)
    return divide_half_up(amount_minor * rate_days, 10_000 * DAYS_IN_YEAR)


def late_interest(market: str | MarketCode, amount_minor: int, due: dt.date, paid: dt.date) -> int:
    """BILL-8: interest in minor units on ``amount_minor`` due on ``due`` and paid on ``paid``.

    Simple interest for each day after the due date up to and including the day
    of payment, at the annual rate of that day's half-year, / 365; the sum is
    rounded once, half up, to the minor unit.
    """
    _check_amount(amount_minor)
    return interest_on(amount_minor, interest_periods(market, due, paid))


def recovery_fee(market: str | MarketCode, amount_minor: int) -> int:
    """BILL-8: the fixed recovery fee in minor units for a debt (fr 4000; uk 4000/7000/10000)."""
    _check_amount(amount_minor)
    return get_market(market).interest.fixed_recovery_fee(amount_minor)


def points(rate_bp: int, decimal_mark: str = ".") -> str:
    """A margin in percentage points: 1000 -> '10', 825 -> '8.25'."""
    return percent(rate_bp, decimal_mark).removesuffix(" %").removesuffix(f"{decimal_mark}00")


@dataclass(frozen=True)
class LatePaymentTerms:
    """BILL-8: what an invoice states about late payment on a given day.

    fr invoices must state the interest rate and the EUR 40 fixed compensation
    (Code de commerce L441-9); uk invoices state the same facts. ``lines()``
    gives the sentences in the active language.
    """

    market: Market
    day: dt.date
    fixing_date: dt.date
    reference_rate_bp: int
    margin_bp: int
    recovery_fees: tuple[tuple[int | None, int], ...]

    @property
    def annual_rate_bp(self) -> int:
        return self.reference_rate_bp + self.margin_bp

    def lines(self) -> list[str]:
        language = (get_language() or "en").split("-")[0]
        mark = "," if language == "fr" else "."
        currency = self.market.currency

        def money(minor: int) -> str:
            return Money(minor, currency).display(language)

        interest = _(
            "Late-payment interest: %(reference)s in force on %(fixing_date)s (%(reference_rate)s) "
            "plus %(margin)s points, that is %(rate)s a year, from the day after the due date "
            "until payment."
        ) % {
            "reference": reference_rate_name(self.market.code),
            "fixing_date": date_format(self.fixing_date, "j F Y"),
            "reference_rate": percent(self.reference_rate_bp, mark),
            "margin": points(self.margin_bp, mark),
            "rate": percent(self.annual_rate_bp, mark),
        }
        if len(self.recovery_fees) == 1:
            fees = money(self.recovery_fees[0][1])
        else:
            parts = []
            previous: int | None = None
            for below, amount in self.recovery_fees:
                if below is not None:
                    parts.append(
                        _("%(fee)s for a debt under %(limit)s")
                        % {"fee": money(amount), "limit": money(below)}
                    )
                elif previous is not None:
                    parts.append(
                        _("%(fee)s from %(limit)s")
                        % {"fee": money(amount), "limit": money(previous)}
                    )
                previous = below
            fees = ", ".join(parts)
        recovery = _("Fixed compensation for recovery costs: %(fees)s.") % {"fees": fees}
        return [interest, recovery]


def late_payment_terms(market: str | MarketCode, day: dt.date) -> LatePaymentTerms:
    """BILL-8: the late-payment facts an invoice issued on ``day`` must print."""
    definition = get_market(market)
    return LatePaymentTerms(
        market=definition,
        day=day,
        fixing_date=fixing_date(definition.code, day),
        reference_rate_bp=reference_rate_bp(definition.code, day),
        margin_bp=margin_bp(definition.code),
        recovery_fees=definition.interest.fixed_recovery_fees,
    )
