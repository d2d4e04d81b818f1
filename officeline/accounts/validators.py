"""Checks of what a business tells us about itself, in one place.

Each function takes the raw input and the market, and returns the normalised
value or raises ``ValidationError`` with a message that names the problem (in
the active language). Forms, the API and the services all use these.
"""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.eu import vat as eu_vat
from stdnum.fr import siren
from stdnum.gb import vat as gb_vat

from officeline.markets.definitions import get_market

# Companies House: 8 digits, or a two-letter prefix (SC, NI, OC, SO, LP...) and 6 digits.
COMPANIES_HOUSE = re.compile(r"^(?:\d{8}|[A-Z]{2}\d{6})$")
UK_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")
FR_POSTCODE = re.compile(r"^\d{5}$")


def _text(value: object) -> str:
    return "" if value is None else str(value)


def company_number(value: object, market: str) -> str:
    """uk: Companies House format; fr: a SIREN with a valid check digit."""
    compact = re.sub(r"[\s.-]", "", _text(value)).upper()
    if not compact:
        raise ValidationError(_("Enter the company number."), code="required")
    if market == "fr":
        try:
            return str(siren.validate(compact))
        except stdnum_errors.ValidationError:
            raise ValidationError(
                _("This is not a valid SIREN: it has 9 digits and a check digit."), code="invalid"
            ) from None
    if compact.isdigit() and len(compact) < 8:
        compact = compact.zfill(8)
    if not COMPANIES_HOUSE.match(compact):
        raise ValidationError(
            _("This is not a Companies House number: 8 digits, or 2 letters and 6 digits."),
            code="invalid",
        )
    return compact


def vat_number(value: object, market: str) -> str:
    """An EU or UK VAT number with a valid check; empty is allowed (optional field)."""
    compact = re.sub(r"[\s.-]", "", _text(value)).upper()
    if not compact:
        return ""
    try:
        if market == "uk" or compact.startswith("GB"):
            return "GB" + str(gb_vat.validate(compact.removeprefix("GB")))
        return str(eu_vat.validate(compact))
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("This VAT number is not valid (check the country prefix and the digits)."),
            code="invalid",
        ) from None


def phone_number(value: object, market: str) -> str:
    """A dialable number, returned in E.164; national numbers are read in the market's country."""
    try:
        parsed = phonenumbers.parse(_text(value), get_market(market).country)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("Enter a phone number, e.g. +44 20 7946 0123."), code="invalid"
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(_("This phone number does not exist."), code="invalid")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def postcode(value: object, market: str) -> str:
    compact = " ".join(_text(value).upper().split())
    if market == "fr":
        if not FR_POSTCODE.match(compact):
            raise ValidationError(_("A French postcode has 5 digits."), code="invalid")
        return compact
    if not UK_POSTCODE.match(compact):
        raise ValidationError(_("This is not a UK postcode (e.g. EC2A 4NE)."), code="invalid")
    if " " not in compact:
        compact = f"{compact[:-3]} {compact[-3:]}"
    return compact


def workers_count(value: object) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        raise ValidationError(_("Enter a whole number."), code="invalid") from None
    if number < 1:
        raise ValidationError(
            _("A business has at least one person working for it."), code="invalid"
        )
    if number > 100_000:
        raise ValidationError(
            _("Enter the number of people working for the business."), code="invalid"
        )
    return number
