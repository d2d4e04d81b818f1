"""The project's own SIP endpoints behind Kamailio and rtpengine: the echo test sends the audio
back, and the local trunk and gateway answer and print what they received."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from officeline.accounts.tests.factories import (
    BuildingFactory,
    CustomerFactory,
    OfficeManagerFactory,
)
from officeline.lines.models import Number
from officeline.lines.services import lines as services
from officeline.telephony.kamailio import KamailioConfig, KamailioProcess, free_port
from officeline.telephony.media.endpoint import (
    EndpointConfig,
    EndpointProcess,
    civic_address_of,
    headers_of,
)
from officeline.telephony.rtpengine import RtpengineConfig, RtpengineProcess, ng_command
from officeline.telephony.sipp import SIPP, run_scenario
from officeline.telephony.tests.fixtures import kamailio_config

pytestmark = [pytest.mark.sip, pytest.mark.django_db(transaction=True)]
PASSWORD = "desk-phone-secret-1"
PORT_MIN, PORT_MAX = 21200, 21399
ECHO_NUMBER = "+442079460999"


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
def endpoints(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, EndpointProcess]]:
    """The echo test, the trunk and the gateway, each on its own SIP port and RTP ports."""
    workdir = tmp_path_factory.mktemp("endpoints")
    started: dict[str, EndpointProcess] = {}
    try:
        for role, rtp_port in (("echo", 21400), ("trunk", 21500), ("gateway", 21600)):
            process = EndpointProcess(
                EndpointConfig(
                    role=role,
                    host="127.0.0.1",
                    port=free_port(),
                    rtp_port=rtp_port,
                    workdir=workdir,
                )
            )
            process.start()
            started[role] = process
        yield started
    finally:
        for process in started.values():
            process.stop()


def _uri(process: EndpointProcess) -> str:
    return f"sip:{process.config.host}:{process.config.port}"


@pytest.fixture(scope="module")
def kamailio(
    django_db_setup: None,
    tmp_path_factory: pytest.TempPathFactory,
    rtpengine: RtpengineConfig,
    endpoints: dict[str, EndpointProcess],
) -> Iterator[KamailioConfig]:
    config = kamailio_config(
        tmp_path_factory.mktemp("kamailio"),
        rtpengine_control=rtpengine.control,
        echo_test=_uri(endpoints["echo"]),
        echo_test_numbers=f"uk={ECHO_NUMBER},fr=+33199009999",
        carrier_trunk=_uri(endpoints["trunk"]),
        emergency_gateway=_uri(endpoints["gateway"]),
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


def _log(process: EndpointProcess) -> str:
    return Path(process.log_path).read_text(errors="replace")


def test_the_echo_test_number_sends_the_callers_audio_back_through_rtpengine(
    kamailio, rtpengine, endpoints, test_clock
):
    caller = _device("+442079460701")
    call = run_scenario(
        "call_media.xml",
        host="127.0.0.1",
        port=kamailio.listen_port,
        username=caller,
        password=PASSWORD,
        dial=ECHO_NUMBER.lstrip("+"),
        pause_ms=3000,
        media=True,
    )
    assert call.succeeded, call.output + _log(endpoints["echo"])
    call_id = re.search(r"Call-ID: (\S+)", call.messages)
    assert call_id
    assert f"call {call_id.group(1)}" in _log(endpoints["echo"])
    # rtpengine counted the audio both ways: from the phone to the echo, and back.
    stats = ng_command(rtpengine.ng_port, {"command": "query", "call-id": call_id.group(1)})
    assert stats is not None and b"6:result2:ok" in stats, stats
    # Each RTP stream: the far end's port and the packets rtpengine received from it.
    streams = {
        int(port): int(packets)
        for port, packets in re.findall(
            rb"8:endpointd6:family4:IPv47:address9:127\.0\.0\.14:porti(\d+)ee.*?"
            rb"5:statsd7:packetsi(\d+)e",
            stats,
            re.DOTALL,
        )
    }
    # The phone's port is known; the echo's is the other RTP (even) port.
    from_phone = streams.get(call.media_port or 0, 0)
    from_echo = [n for port, n in streams.items() if port != call.media_port and port % 2 == 0]
    assert from_phone > 10, streams
    assert from_echo and max(from_echo) > 10, streams


def test_an_external_call_reaches_the_local_trunk_with_the_lines_number(
    kamailio, endpoints, test_clock
):
    caller = _device("+442079460702")
    call = run_scenario(
        "call.xml",
        host="127.0.0.1",
        port=kamailio.listen_port,
        username=caller,
        password=PASSWORD,
        dial="442079460123",
    )
    assert call.succeeded, call.output
    log = _log(endpoints["trunk"])
    assert "INVITE sip:442079460123@" in log, log
    assert "P-Asserted-Identity: <sip:+442079460702@" in log, log


def test_an_emergency_call_reaches_the_local_gateway_with_the_location(
    kamailio, endpoints, test_clock
):
    caller = _device("+442079460703")
    call = run_scenario(
        "call.xml",
        host="127.0.0.1",
        port=kamailio.listen_port,
        username=caller,
        password=PASSWORD,
        dial="999",
    )
    assert call.succeeded, call.output
    log = _log(endpoints["gateway"])
    assert "INVITE sip:999@" in log, log
    assert "P-Asserted-Identity: <sip:+442079460703@" in log, log
    assert "Geolocation: <cid:" in log, log
    assert "Location: country=GB, A3=London" in log, log
    assert "Priority: emergency" in log, log


def test_headers_are_read_by_name_whatever_their_case():
    message = "INVITE sip:999@x SIP/2.0\r\nf: <sip:a@x>\r\ngeolocation: <cid:a@x>\r\n\r\nbody: no"
    assert headers_of(message, ("From", "Geolocation", "body")) == {
        "From": "<sip:a@x>",
        "Geolocation": "<cid:a@x>",
    }


def test_the_gateway_reads_the_civic_address_of_a_pidf_lo():
    body = "<ca:civicAddress><ca:country>FR</ca:country><ca:A3>Paris</ca:A3><ca:PC>75002</ca:PC>"
    assert civic_address_of(body) == "country=FR, A3=Paris, PC=75002"


def test_an_endpoint_stopped_during_a_call_hangs_up_and_exits_cleanly(tmp_path):
    """Stopping an endpoint (make run's Ctrl-C) during a call ends the call and the process
    exits 0: before, a call object deleted after pjsua2 had shut down aborted it."""
    echo = EndpointProcess(
        EndpointConfig(
            role="echo", host="127.0.0.1", port=free_port(), rtp_port=21700, workdir=tmp_path
        )
    )
    echo.start()
    phone = subprocess.Popen(
        [SIPP, f"127.0.0.1:{echo.config.port}", "-sn", "uac", "-m", "1", "-d", "10000",
         "-s", "echo", "-p", str(free_port()), "-timeout", "15"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 5
        while "call " not in _log(echo) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "call " in _log(echo), _log(echo)
        time.sleep(1.5)  # the endpoint looks over its calls once a second
        process = echo.process
        assert process is not None
        echo.stop()
        assert process.returncode == 0, _log(echo)
        assert " ended (" in _log(echo), _log(echo)
    finally:
        phone.kill()
        phone.wait()
