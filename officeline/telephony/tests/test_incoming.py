"""Calls from the carrier trunk to our numbers: trusted by the trunk's address, ringing the line's devices."""

from __future__ import annotations

import pytest

from officeline.accounts.tests.factories import (
    BuildingFactory,
    CustomerFactory,
    OfficeManagerFactory,
)
from officeline.lines import services
from officeline.lines.models import Line, Number
from officeline.telephony.kamailio import KamailioProcess, free_port
from officeline.telephony.models import CallEvent
from officeline.telephony.sipp import Answerer, run_scenario
from officeline.telephony.tests.conftest import kamailio_config
from officeline.telephony.tests.raw_sip import RawSip, status
from officeline.usage.models import CallRecord
from officeline.usage.services import record_calls

pytestmark = [pytest.mark.sip, pytest.mark.django_db(transaction=True)]
PASSWORD = "desk-phone-secret-1"


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


def _line(e164: str) -> tuple[Line, str]:
    manager = OfficeManagerFactory(customer=CustomerFactory())
    number = Number.objects.create(e164=e164, market="uk", building=BuildingFactory())
    line = services.request_line(customer=manager.customer, number=number, actor=manager)
    services.acknowledge_emergency_limitations(line=line, actor=manager)
    line = services.activate_line(line=line, actor=manager)
    device, _ = services.add_device(line=line, kind="softphone", actor=manager, password=PASSWORD)
    return line, device.sip_username


def test_a_call_from_the_trunk_to_our_number_rings_the_line(kamailio, trunk_port, test_clock):
    line, username = _line("+442079460701")
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
    _line("+442079460702")
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
