"""What kind of destination a dialled number is, with the calling line's market.

The class of a number is decided once, in ``markets.numbering`` (which the SIP core's
barring follows too); a call record keeps the destination types that rating knows.
"""

from __future__ import annotations

import phonenumbers

from officeline.markets.definitions import get_market
from officeline.markets.numbering import DestinationClass, destination_class, parse_dialled
from officeline.usage.choices import DestinationType

# The record's type for each class of number. Rating prices national, mobile and
# international calls; a premium-rate number of the market is a national call to it, a
# satellite or international network an international one.
RECORDED_AS = {
    DestinationClass.EMERGENCY: DestinationType.EMERGENCY,
    DestinationClass.NATIONAL: DestinationType.NATIONAL,
    DestinationClass.MOBILE: DestinationType.MOBILE,
    DestinationClass.PREMIUM: DestinationType.NATIONAL,
    DestinationClass.INTERNATIONAL: DestinationType.INTERNATIONAL,
    DestinationClass.SATELLITE: DestinationType.INTERNATIONAL,
    DestinationClass.UNKNOWN: DestinationType.UNKNOWN,
}


def classify(dialled: str, route: str, market: str) -> tuple[str, str]:
    """(the called number in E.164 where it is one, its destination type)."""
    if route == "emergency":
        return dialled, DestinationType.EMERGENCY
    if route == "internal":
        number = parse_dialled(dialled, market)
        e164 = "+" + dialled.lstrip("+")
        if number is not None:
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return e164, DestinationType.INTERNAL
    e164, kind = destination_class(dialled, market)
    if kind == DestinationClass.PREMIUM and not e164.startswith("+" + _home(market)):
        # The ITU's international premium rate service (+979).
        return e164, DestinationType.INTERNATIONAL
    return e164, RECORDED_AS[kind]


def _home(market: str) -> str:
    return str(phonenumbers.country_code_for_region(get_market(market).country)) if market else ""
