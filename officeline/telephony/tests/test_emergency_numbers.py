"""EMG-3: every emergency number of each market reaches the emergency gateway, from an active
line, from a suspended one and from one whose emergency location awaits confirmation.

The numbers are those the rule names, checked against ``markets`` (the one place that
decides them, and the routing's only source), and dialled through a real Kamailio: a number
dropped from the market's list or from the routing's facts, or routed like any other call,
fails here.
"""

from __future__ import annotations

import itertools

import pytest

from officeline.lines.choices import LocationChange
from officeline.lines.services import lines as services
from officeline.markets.definitions import get_market
from officeline.telephony.sipp import Answerer, run_scenario
from officeline.telephony.tests.phones import PASSWORD, active_line

pytestmark = [pytest.mark.sip, pytest.mark.django_db(transaction=True)]

# EMG-3: the numbers the rule names for each market.
EMERGENCY_NUMBERS = {
    "uk": ("999", "112"),
    "fr": ("15", "17", "18", "112", "114", "115", "119", "191", "196", "197"),
}
LINE_STATES = ("active", "suspended", "location_unconfirmed")
FIRST_NUMBER = {"uk": 442079460400, "fr": 33140000400}
_next = itertools.count()


@pytest.fixture
def kamailio(module_kamailio):
    return module_kamailio


def _phone(market: str, state: str) -> str:
    """The SIP login of a softphone on a new line of ``market`` in ``state``."""
    line, device = active_line(f"+{FIRST_NUMBER[market] + next(_next)}", market)
    if state == "suspended":
        services.suspend_line(line=line, ground="non_payment", actor=None)
    elif state == "location_unconfirmed":
        services.mark_location_unconfirmed(
            line=line, reason=LocationChange.NUMBER_ADDED, actor=None
        )
    return device.sip_username


@pytest.mark.parametrize("state", LINE_STATES)
@pytest.mark.parametrize("market", ["uk", "fr"])
def test_emg3_every_emergency_number_of_the_market_reaches_the_gateway(
    kamailio, test_clock, gateway_port, market, state
):
    assert set(get_market(market).emergency_numbers) == set(EMERGENCY_NUMBERS[market])
    caller = _phone(market, state)
    for dialled in EMERGENCY_NUMBERS[market]:
        with Answerer(gateway_port) as gateway:
            call = run_scenario(
                "call.xml",
                host="127.0.0.1",
                port=kamailio.listen_port,
                username=caller,
                password=PASSWORD,
                dial=dialled,
            )
            received = gateway.result()
        assert call.succeeded, f"{market} {state} {dialled}: {call.output}"
        assert received.succeeded, f"{market} {state} {dialled}: {received.output}"
        request_line = received.messages[received.messages.index("INVITE sip:") :].split("\n")[0]
        assert f"sip:{dialled}@" in request_line, request_line
