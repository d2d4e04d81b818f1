"""Media through rtpengine: the SDP each phone sees names rtpengine, and RTP flows through it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from officeline.accounts.tests.factories import (
    BuildingFactory,
    CustomerFactory,
    OfficeManagerFactory,
)
from officeline.lines.models import Number
from officeline.lines.services import lines as services
from officeline.telephony.kamailio import KamailioConfig, KamailioProcess, free_port
from officeline.telephony.rtpengine import RtpengineConfig, RtpengineProcess, ng_command
from officeline.telephony.sipp import Answerer, run_scenario
from officeline.telephony.tests.fixtures import kamailio_config

pytestmark = [pytest.mark.sip, pytest.mark.django_db(transaction=True)]
PASSWORD = "desk-phone-secret-1"
PORT_MIN, PORT_MAX = 21000, 21199


@pytest.fixture(scope="module")
def rtpengine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RtpengineConfig]:
    config = RtpengineConfig(
        interface="127.0.0.1",
        ng_port=free_port(),
        port_min=PORT_MIN,
        port_max=PORT_MAX,
        workdir=tmp_path_factory.mktemp("rtpengine"),
    )
    process = RtpengineProcess(config)
    process.start()
    yield config
    process.stop()


@pytest.fixture(scope="module")
def kamailio(
    django_db_setup: None,
    tmp_path_factory: pytest.TempPathFactory,
    rtpengine: RtpengineConfig,
    gateway_port: int,
) -> Iterator[KamailioConfig]:
    config = kamailio_config(
        tmp_path_factory.mktemp("kamailio"),
        rtpengine_control=rtpengine.control,
        emergency_gateway=f"sip:127.0.0.1:{gateway_port}",
    )
    process = KamailioProcess(config)
    process.start()
    yield config
    process.stop()


def _device(e164: str) -> str:
    manager = OfficeManagerFactory(customer=CustomerFactory())
    number = Number.objects.create(e164=e164, market="uk", building=BuildingFactory())
    line = services.request_line(customer=manager.customer, number=number, actor=manager)
    services.acknowledge_emergency_limitations(line=line, actor=manager)
    line = services.activate_line(line=line, actor=manager)
    device, _ = services.add_device(line=line, kind="softphone", actor=manager, password=PASSWORD)
    return device.sip_username


def _sdp_ports(messages: str, first_line: str) -> list[int]:
    """The m=audio ports of the SDP bodies of the messages starting with ``first_line``."""
    ports = []
    for block in re.split(r"\n(?=(?:INVITE|ACK|BYE|SIP/2\.0) )", messages):
        if block.startswith(first_line):
            ports += [int(p) for p in re.findall(r"m=audio (\d+) ", block)]
    return ports


def test_sdp_names_rtpengine_and_media_flows_through_it(kamailio, rtpengine, test_clock):
    caller, callee = _device("+442079460601"), _device("+442079460602")
    callee_port = free_port()
    registered = run_scenario(
        "register.xml",
        host="127.0.0.1",
        port=kamailio.listen_port,
        username=callee,
        password=PASSWORD,
        local_port=callee_port,
    )
    assert registered.succeeded, registered.output
    with Answerer(callee_port, echo_media=True) as phone:
        call = run_scenario(
            "call_media.xml",
            host="127.0.0.1",
            port=kamailio.listen_port,
            username=caller,
            password=PASSWORD,
            dial="442079460602",
            pause_ms=1500,
            media=True,
        )
        answered = phone.result()
    assert call.succeeded, call.output
    assert answered.succeeded, answered.output

    # The callee is offered rtpengine's port, not the caller's; the caller gets rtpengine's answer.
    offered = _sdp_ports(answered.messages, "INVITE ")
    answers = _sdp_ports(call.messages, "SIP/2.0 200")
    assert offered and all(PORT_MIN <= p <= PORT_MAX for p in offered), offered
    assert answers and all(PORT_MIN <= p <= PORT_MAX for p in answers), answers
    # rtpengine relayed the audio: it keeps an ended call's counters for a while, so ask it.
    call_id = re.search(r"Call-ID: (\S+)", call.messages)
    assert call_id
    stats = ng_command(rtpengine.ng_port, {"command": "query", "call-id": call_id.group(1)})
    assert stats is not None and b"6:result2:ok" in stats, stats
    packets = [int(n) for n in re.findall(rb"7:packetsi(\d+)e", stats)]
    assert packets and max(packets) > 10, stats[:2000]


def test_emg3_an_emergency_call_carries_rtpengines_sdp_beside_the_location(
    kamailio, rtpengine, gateway_port, test_clock
):
    """The multipart body of an emergency INVITE holds the SDP as rtpengine rewrote it."""
    caller = _device("+442079460603")
    with Answerer(gateway_port) as gateway:
        call = run_scenario(
            "call.xml",
            host="127.0.0.1",
            port=kamailio.listen_port,
            username=caller,
            password=PASSWORD,
            dial="999",
        )
        received = gateway.result()
    assert call.succeeded, call.output
    assert received.succeeded, received.output
    assert "Content-Type: application/pidf+xml" in received.messages
    offered = _sdp_ports(received.messages, "INVITE ")
    assert offered and all(PORT_MIN <= p <= PORT_MAX for p in offered), offered
