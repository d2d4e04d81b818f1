"""Calls from the carrier trunk to our numbers: trusted by the trunk's address, ringing the line's devices."""

from __future__ import annotations

import pytest

from officeline.telephony.kamailio import KamailioProcess, free_port
from officeline.telephony.models import CallEvent
from officeline.telephony.sipp import Answerer, run_scenario
from officeline.telephony.tests.fixtures import kamailio_config
from officeline.telephony.tests.phones import PASSWORD, phone_line
from officeline.telephony.tests.raw_sip import RawSip, status
from officeline.usage.models import CallRecord
from officeline.usage.services.calls import record_calls

pytestmark = [pytest.mark.sip, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def trunk_port() -> int:
    """The carrier trunk's address: where external calls go and incoming calls come from."""
    return free_port()


@pytest.fixture(scope="module")
def kamailio(django_db_setup, tmp_path_factory, trunk_port):
    config = kamailio_config(
        tmp_path_factory.mktemp("kamailio"), carrier_trunk=f"sip:127.0.0.1:{trunk_port}"
    )
    process = KamailioProcess(config)
    process.start()
    yield config
    process.stop()


def test_a_call_from_the_trunk_to_our_number_rings_thephone_line(kamailio, trunk_port, test_clock):
    line, username = phone_line("+442079460701")
    phone_port = free_port()
    registered = run_scenario(
        "register.xml",
        host="127.0.0.1",
        port=kamailio.listen_port,
        username=username,
        password=PASSWORD,
        local_port=phone_port,
    )
    assert registered.succeeded, registered.output
    with Answerer(phone_port) as phone:
        call = run_scenario(
            "trunk_call.xml",
            host="127.0.0.1",
            port=kamailio.listen_port,
            username="+33199001234",
            password="",
            dial="+442079460701",
            local_port=trunk_port,
        )
        answered = phone.result()
    assert call.succeeded, call.output
    assert answered.succeeded, answered.output

    record_calls()
    record = CallRecord.objects.get()
    assert (record.direction, record.line, record.from_number, record.to_number) == (
        "inbound",
        line,
        "+33199001234",
        "+442079460701",
    )
    assert record.disposition == "answered"


def test_a_call_to_our_number_from_elsewhere_must_authenticate(kamailio, test_clock):
    """Only the trunk's address is trusted: anyone else is challenged and refused without credentials."""
    phone_line("+442079460702")
    with RawSip(kamailio.listen_port) as stranger:
        answer = stranger.ask(stranger.request("INVITE", "sip:+442079460702@officeline.test"))
    assert status(answer) == 407, answer
    assert not CallEvent.objects.exists()


def test_a_call_from_the_trunk_to_a_number_that_is_not_ours_gets_404(
    kamailio, trunk_port, test_clock
):
    call = run_scenario(
        "trunk_call.xml",
        host="127.0.0.1",
        port=kamailio.listen_port,
        username="+33199001234",
        password="",
        dial="+442079469998",
        local_port=trunk_port,
        timeout=5,
    )
    assert not call.succeeded
    assert "404 Not Found" in call.messages
    assert not CallEvent.objects.exists()
