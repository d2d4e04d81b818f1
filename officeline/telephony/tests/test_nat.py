"""Phones behind NAT: a coworking building's router stands between the phone and us.

The phone's headers name its private address (10.0.0.5:5999) while its packets come from
the router's; the SIPp phones here listen on loopback and write the private address in
their Via and Contact, so only what is sent back to the source address reaches them.
"""

from __future__ import annotations

import pytest

from officeline.telephony.kamailio import free_port
from officeline.telephony.sipp import Answerer, run_scenario
from officeline.telephony.tests.phones import PASSWORD, phone_line

pytestmark = [pytest.mark.sip, pytest.mark.django_db(transaction=True)]


def test_a_phone_behind_nat_registers_and_is_called_and_hung_up_on_where_it_really_is(
    module_kamailio, test_clock
):
    """The REGISTER's answers reach the phone (rport); the call reaches it at the address its
    REGISTER came from; the caller's BYE reaches it although its answer named the private
    address."""
    _, caller = phone_line("+442079460301")
    _, callee = phone_line("+442079460302")
    callee_port = free_port()
    registered = run_scenario(
        "register_nat.xml",
        host="127.0.0.1",
        port=module_kamailio.listen_port,
        username=callee,
        password=PASSWORD,
        local_port=callee_port,
    )
    assert registered.succeeded, registered.output
    with Answerer(callee_port, scenario="uas_answer_nat.xml") as phone:
        call = run_scenario(
            "call.xml",
            host="127.0.0.1",
            port=module_kamailio.listen_port,
            username=caller,
            password=PASSWORD,
            dial="442079460302",
        )
        answered = phone.result()
    assert call.succeeded, call.output
    assert answered.succeeded, answered.output
    assert "BYE sip:10.0.0.5:5999" in answered.messages
