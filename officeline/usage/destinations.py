"""What kind of destination a dialled number is, with the calling line's market."""

from __future__ import annotations

import phonenumbers

from officeline.markets.definitions import get_market
from officeline.usage.choices import DestinationType


def parse_dialled(dialled: str, market: str) -> phonenumbers.PhoneNumber | None:
    """The number a phone dialled: +E.164, 00 international, national with 0, or E.164 digits."""
    region = get_market(market).country if market else None
    digits = dialled.strip()
    candidates: list[tuple[str, str | None]] = []
    if digits.startswith("+"):
        candidates.append((digits, None))
    elif digits.startswith("00"):
        candidates.append(("+" + digits[2:], None))
    else:
        # Phones send E.164 without its "+" (how lines call each other) or a national number.
        candidates += [(digits, region), ("+" + digits, None)]
    parsed = []
    for text, text_region in candidates:
        try:
            parsed.append(phonenumbers.parse(text, text_region))
        except phonenumbers.NumberParseException:
            continue
    # A valid number first; else one of a possible length (ranges kept for drama, new ranges).
    for check in (phonenumbers.is_valid_number, phonenumbers.is_possible_number):
        for number in parsed:
            if check(number):
                return number
    return None


def classify(dialled: str, route: str, market: str) -> tuple[str, str]:
    """(the called number in E.164 where it is one, its destination type)."""
    if route == "emergency":
        return dialled, DestinationType.EMERGENCY
    number = parse_dialled(dialled, market)
    if route == "internal":
        e164 = "+" + dialled.lstrip("+")
        if number is not None:
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return e164, DestinationType.INTERNAL
    if market and dialled in get_market(market).emergency_numbers:
        return dialled, DestinationType.EMERGENCY
    if number is None:
        return dialled, DestinationType.UNKNOWN
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    home = phonenumbers.country_code_for_region(get_market(market).country) if market else None
    if number.country_code != home:
        return e164, DestinationType.INTERNATIONAL
    if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE:
        return e164, DestinationType.MOBILE
    return e164, DestinationType.NATIONAL
