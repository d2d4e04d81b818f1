"""The class of a dialled number per market: premium-rate, satellite, international (barred
by default on every line) and the normal classes."""

from __future__ import annotations

import pytest

from officeline.markets.numbering import DestinationClass as C
from officeline.markets.numbering import destination_class, routing_facts

SAMPLES = [
    # uk, Ofcom's plan: 09 premium rate; 0871-0873 regulated as premium rate; 0870 is not.
    ("uk", "09065551234", "+449065551234", C.PREMIUM),
    ("uk", "+449098790123", "+449098790123", C.PREMIUM),
    ("uk", "08712345678", "+448712345678", C.PREMIUM),
    ("uk", "08702345678", "+448702345678", C.NATIONAL),
    ("uk", "02079460123", "+442079460123", C.NATIONAL),
    ("uk", "442079460123", "+442079460123", C.NATIONAL),  # E.164 without "+", as lines dial
    ("uk", "07400123456", "+447400123456", C.MOBILE),
    ("uk", "0033140000000", "+33140000000", C.INTERNATIONAL),
    ("uk", "+33899123456", "+33899123456", C.INTERNATIONAL),  # fr premium, from uk: abroad
    ("uk", "+881631234567", "+881631234567", C.SATELLITE),
    ("uk", "00870773112345", "+870773112345", C.SATELLITE),
    ("uk", "+97912345678", "+97912345678", C.PREMIUM),  # ITU international premium rate
    ("uk", "999", "999", C.EMERGENCY),
    ("uk", "112", "112", C.EMERGENCY),
    # fr, Arcep's plan: 089 (08 9x) "numéros surtaxés".
    ("fr", "0899123456", "+33899123456", C.PREMIUM),
    ("fr", "0892123456", "+33892123456", C.PREMIUM),
    ("fr", "+33899123456", "+33899123456", C.PREMIUM),
    ("fr", "0140000000", "+33140000000", C.NATIONAL),
    ("fr", "0612345678", "+33612345678", C.MOBILE),
    ("fr", "+442079460123", "+442079460123", C.INTERNATIONAL),
    ("fr", "+8821234567890", "+8821234567890", C.SATELLITE),
    ("fr", "0912345678", "+33912345678", C.NATIONAL),  # a French 09 is not premium
    ("fr", "15", "15", C.EMERGENCY),
    ("fr", "999", "999", C.UNKNOWN),
]


@pytest.mark.parametrize(("market", "dialled", "e164", "expected"), SAMPLES)
def test_each_dialled_number_has_its_class_in_its_market(market, dialled, e164, expected):
    assert destination_class(dialled, market) == (e164, expected)


def test_the_routing_facts_name_each_market_s_premium_and_satellite_prefixes():
    facts = routing_facts()
    assert facts["uk"]["country_code"] == ["44"]
    assert facts["fr"]["country_code"] == ["33"]
    assert "449" in facts["uk"]["premium"] and "3389" in facts["fr"]["premium"]
    assert {"870", "881", "882", "883"} <= set(facts["fr"]["satellite"])
