"""Money: integer minor units with their currency. Rounding is decided here and nowhere else.

No float ever holds an amount. Amounts are parsed from text with Decimal only
to check and scale them, then kept as ``int`` minor units.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision, list_currencies


class MoneyError(ValueError):
    """An amount or currency that cannot be money; the message names the problem."""


def currency_exponent(currency: str) -> int:
    """Digits after the decimal point of a currency (EUR 2, JPY 0); unknown codes are refused."""
    return _exponent((currency or "").strip().upper())


@functools.lru_cache(maxsize=64)
def _exponent(code: str) -> int:
    if not re.fullmatch(r"[A-Z]{3}", code) or code not in list_currencies():
        raise MoneyError(f"unknown currency {code!r}: use an ISO 4217 code such as GBP or EUR")
    return int(get_currency_precision(code))


def divide_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest integer, halves away from zero."""
    if denominator <= 0:
        raise MoneyError("the divisor must be positive")
    sign = -1 if numerator < 0 else 1
    return sign * ((2 * abs(numerator) + denominator) // (2 * denominator))


@dataclass(frozen=True, order=True)
class Money:
    minor: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.minor, bool) or not isinstance(self.minor, int):
            raise MoneyError("money is a whole number of minor units")
        object.__setattr__(self, "currency", self.currency.upper())
        currency_exponent(self.currency)

    @classmethod
    def parse(cls, text: str, currency: str, *, allow_negative: bool = False) -> Money:
        """'25.00' EUR -> Money(2500, 'EUR'); more decimals than the currency has is an error."""
        exponent = currency_exponent(currency)
        raw = (text or "").strip()
        if not re.fullmatch(r"-?\d+(\.\d+)?", raw):
            raise MoneyError(f"{text!r} is not an amount (write it like 25.00)")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise MoneyError(f"{text!r} is not an amount") from None
        if value < 0 and not allow_negative:
            raise MoneyError(f"{text!r} cannot be negative")
        scaled = value.scaleb(exponent)
        if scaled != scaled.to_integral_value():
            raise MoneyError(f"{text!r} has more decimals than {currency.upper()} has ({exponent})")
        return cls(int(scaled), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise MoneyError(f"cannot mix {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def times_fraction(self, numerator: int, denominator: int) -> Money:
        """self x numerator / denominator, rounded half up to the minor unit (the only rounding)."""
        return Money(divide_half_up(self.minor * numerator, denominator), self.currency)

    def percent_bp(self, basis_points: int) -> Money:
        """A percentage given in basis points (2000 = 20 %), rounded half up."""
        return self.times_fraction(basis_points, 10_000)

    def plain(self) -> str:
        """'5.75 EUR': the amount with the currency's decimals and its code."""
        exponent = currency_exponent(self.currency)
        sign = "-" if self.minor < 0 else ""
        units, cents = divmod(abs(self.minor), 10**exponent)
        amount = f"{units}.{cents:0{exponent}d}" if exponent else str(units)
        return f"{sign}{amount} {self.currency}"

    def display(self, locale: str) -> str:
        """For people: '£5.75' in English, '5,75 €' in French (Babel)."""
        exponent = currency_exponent(self.currency)
        return str(
            format_currency(Decimal(self.minor).scaleb(-exponent), self.currency, locale=locale)
        )

    def __str__(self) -> str:
        return self.plain()
