"""What class of destination a dialled number is, for a line of a market: decided here only.

Usage rates call records with it (``usage.destinations``) and the SIP core bars calls with
it: the routing runs inside Kamailio without Django, so the facts it needs (the market's
country code, its premium-rate ranges, the international networks) are rendered into its
environment from ``routing_facts()`` by ``telephony.kamailio``, and a contract test checks
that the routing classifies every sample number as ``destination_class`` does.

The classes, on the number in E.164 (after the dialled form is read):
- premium-rate: the market's premium ranges (uk, Ofcom's numbering plan: 09 "premium rate
  services", and 0871, 0872, 0873, the service-charge ranges regulated as premium rate;
  fr, Arcep's plan: 089, the "numéros surtaxés" at the highest charges), and the ITU's
  international premium rate service (+979) from any market;
- satellite and international networks: country codes 870 (Inmarsat), 881 (global mobile
  satellite systems), 882 and 883 (international networks), charged at several pounds or
  euros a minute and a classic target of toll fraud;
- international: another country code than the market's;
- emergency, mobile and national otherwise (unknown for a number that is none).
"""

from __future__ import annotations

from enum import StrEnum

import phonenumbers

from officeline.markets.definitions import MARKETS, get_market

# Shared-cost country codes of no single country: satellite systems and international networks.
INTERNATIONAL_NETWORKS = ("870", "881", "882", "883")
# ITU's International Premium Rate Service: premium from every market.
INTERNATIONAL_PREMIUM = ("979",)
# Each market's premium-rate ranges, as national significant numbers (no trunk prefix 0).
PREMIUM_RANGES = {
    "uk": ("9", "871", "872", "873"),
    "fr": ("89",),
}


class DestinationClass(StrEnum):
    EMERGENCY = "emergency"
    NATIONAL = "national"
    MOBILE = "mobile"
    PREMIUM = "premium"
    INTERNATIONAL = "international"
    SATELLITE = "satellite"
    UNKNOWN = "unknown"


# The classes barred on every line unless the Office Manager opts the line in, and the
# opt-in each needs: satellite and international networks count as international.
BARRED_BY_DEFAULT = {
    DestinationClass.PREMIUM: "premium",
    DestinationClass.INTERNATIONAL: "international",
    DestinationClass.SATELLITE: "international",
}


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


def class_of_e164(digits: str, market: str) -> DestinationClass | None:
    """The barring class of a number in E.164 without its "+" (premium, satellite,
    international), or None for a number of the market's own country outside its premium
    ranges. The routing applies the same rule to the same facts (``routing_facts``)."""
    if digits.startswith(INTERNATIONAL_NETWORKS):
        return DestinationClass.SATELLITE
    if digits.startswith(INTERNATIONAL_PREMIUM):
        return DestinationClass.PREMIUM
    home = str(phonenumbers.country_code_for_region(get_market(market).country))
    if not digits.startswith(home):
        return DestinationClass.INTERNATIONAL
    if digits[len(home) :].startswith(PREMIUM_RANGES.get(market, ())):
        return DestinationClass.PREMIUM
    return None


def destination_class(dialled: str, market: str) -> tuple[str, DestinationClass]:
    """(the called number in E.164 where it is one, its class) for a line of ``market``."""
    if market and get_market(market).is_emergency_number(dialled):
        return dialled, DestinationClass.EMERGENCY
    number = parse_dialled(dialled, market)
    if number is None:
        return dialled, DestinationClass.UNKNOWN
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not market:  # no market, no home country: every number is another country's
        return e164, DestinationClass.INTERNATIONAL
    barred = class_of_e164(e164.lstrip("+"), market)
    if barred is not None:
        return e164, barred
    if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE:
        return e164, DestinationClass.MOBILE
    return e164, DestinationClass.NATIONAL


def routing_facts() -> dict[str, dict[str, list[str]]]:
    """What the SIP core needs to classify as ``class_of_e164`` does, per market: the
    country code, and the E.164 prefixes of each barred class."""
    facts = {}
    for code, market in MARKETS.items():
        home = str(phonenumbers.country_code_for_region(market.country))
        facts[code] = {
            "country_code": [home],
            "satellite": list(INTERNATIONAL_NETWORKS),
            "premium": [
                *INTERNATIONAL_PREMIUM,
                *(home + prefix for prefix in PREMIUM_RANGES.get(code, ())),
            ],
            "emergency": list(market.emergency_numbers),
        }
    return facts
