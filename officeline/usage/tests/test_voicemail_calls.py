"""Voicemail on the SIP side: a line that has no registered phone, is busy or does not answer
in time sends the call to the voicemail endpoint (pjsua2), which records the caller and keeps
the message on the line (PRIV-3 limits apply to it afterwards)."""

from __future__ import annotations

import array
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from officeline.lines.models import Line
from officeline.telephony.kamailio import KamailioConfig, KamailioProcess, free_port
from officeline.telephony.media.endpoint import EndpointConfig, EndpointProcess
from officeline.telephony.rtpengine import RtpengineConfig, RtpengineProcess
from officeline.telephony.sipp import Answerer, run_scenario
from officeline.telephony.tests.fixtures import kamailio_config
from officeline.telephony.tests.phones import PASSWORD, phone_line, register_phone
from officeline.usage.models import CallRecord, Voicemail
from officeline.usage.services.calls import record_calls

pytestmark = [pytest.mark.sip, pytest.mark.django_db(transaction=True)]
RING_SECONDS = 2


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("var")


@pytest.fixture(autouse=True)
def media_root(settings, var_dir: Path) -> Path:
    """The test reads the recordings where the voicemail endpoint keeps them."""
    settings.MEDIA_ROOT = var_dir / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="module")
def rtpengine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RtpengineConfig]:
    config = RtpengineConfig(
        interface="127.0.0.1",
        ng_port=free_port(),
        port_min=21800,
        port_max=21999,
        workdir=tmp_path_factory.mktemp("rtpengine"),
    )
    process = RtpengineProcess(config)
    process.start()
    yield config
    process.stop()


def _database_url() -> str:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return (
        f"postgres://{settings.get('USER') or 'postgres'}{password}@"
        f"{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}/{settings['NAME']}"
    )


@pytest.fixture(scope="module")
def voicemail_endpoint(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory, var_dir: Path
) -> Iterator[EndpointProcess]:
    """The voicemail endpoint, keeping messages in the test database and media root."""
    process = EndpointProcess(
        EndpointConfig(
            role="voicemail",
            host="127.0.0.1",
            port=free_port(),
            rtp_port=22000,
            workdir=tmp_path_factory.mktemp("voicemail"),
            max_seconds=8,
            environment={
                "DATABASE_URL": _database_url(),
                "OFFICELINE_VAR_DIR": str(var_dir),
                "OFFICELINE_DEPLOYMENT": "test",
            },
        )
    )
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def trunk_port() -> int:
    """The carrier trunk's address, where its incoming calls come from."""
    return free_port()


@pytest.fixture(scope="module")
def kamailio(
    django_db_setup: None,
    tmp_path_factory: pytest.TempPathFactory,
    rtpengine: RtpengineConfig,
    voicemail_endpoint: EndpointProcess,
    gateway_port: int,
    trunk_port: int,
) -> Iterator[KamailioConfig]:
    endpoint = voicemail_endpoint.config
    config = kamailio_config(
        tmp_path_factory.mktemp("kamailio"),
        rtpengine_control=rtpengine.control,
        emergency_gateway=f"sip:127.0.0.1:{gateway_port}",
        carrier_trunk=f"sip:127.0.0.1:{trunk_port}",
        voicemail=f"sip:{endpoint.host}:{endpoint.port}",
        voicemail_ring_seconds=RING_SECONDS,
    )
    process = KamailioProcess(config)
    process.start()
    yield config
    process.stop()


def _leave_message(kamailio: KamailioConfig, caller: str, dial: str, seconds: float):
    """A call with G.711 audio that talks for ``seconds`` once answered, then hangs up."""
    return run_scenario(
        "call_media.xml",
        host="127.0.0.1",
        port=kamailio.listen_port,
        username=caller,
        password=PASSWORD,
        dial=dial,
        pause_ms=int(seconds * 1000),
        media=True,
        timeout=30,
    )


def _message(line: Line, endpoint: EndpointProcess, wait: float = 10.0) -> Voicemail:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        message = Voicemail.objects.filter(line=line).first()
        if message is not None:
            return message
        time.sleep(0.2)
    raise AssertionError(Path(endpoint.log_path).read_text(errors="replace")[-3000:])


def _audio(message: Voicemail) -> tuple[float, int]:
    """The recording's length in seconds, and its loudest sample."""
    with message.audio.open("rb") as stored, wave.open(stored, "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        frames = wav.readframes(wav.getnframes())
        seconds = wav.getnframes() / wav.getframerate()
    samples = array.array("h", frames)
    return seconds, max((abs(s) for s in samples), default=0)


def test_a_call_to_a_line_with_no_phone_registered_leaves_a_message_of_the_right_length(
    kamailio, voicemail_endpoint, test_clock, media_root
):
    caller_line, caller = phone_line("+442079460801")
    line, _unregistered = phone_line("+442079460802")
    call = _leave_message(kamailio, caller, "442079460802", seconds=4)
    assert call.succeeded, call.output

    message = _message(line, voicemail_endpoint)
    assert message.customer == line.customer and message.caller == "+442079460801"
    assert message.received_at == test_clock.now() and message.listened_at is None
    seconds, loudest = _audio(message)
    assert 3.4 <= seconds <= 4.8, seconds
    assert message.duration_seconds == round(seconds)
    assert loudest > 1000  # the caller's voice, not silence
    assert (media_root / str(message.audio.name)).is_file()  # a file, not in the database

    record_calls()
    record = CallRecord.objects.get(line=caller_line)
    assert record.to_number == "+442079460802" and record.disposition == "voicemail"
    assert record.answered_at is not None and 3 <= record.duration_seconds <= 5


def test_a_busy_line_sends_the_call_to_voicemail(kamailio, voicemail_endpoint, test_clock):
    _, caller = phone_line("+442079460803")
    line, callee = phone_line("+442079460804")
    with Answerer(register_phone(kamailio, callee), scenario="uas_busy.xml") as phone:
        call = _leave_message(kamailio, caller, "442079460804", seconds=2)
        assert phone.result().succeeded
    assert call.succeeded, call.output
    seconds, _ = _audio(_message(line, voicemail_endpoint))
    assert 1.4 <= seconds <= 2.8, seconds


def test_a_line_not_answered_in_time_sends_the_call_to_voicemail(
    kamailio, voicemail_endpoint, test_clock
):
    _, caller = phone_line("+442079460805")
    line, callee = phone_line("+442079460806")
    started = time.monotonic()
    with Answerer(register_phone(kamailio, callee), scenario="uas_ring_cancel.xml") as phone:
        call = _leave_message(kamailio, caller, "442079460806", seconds=2)
        rang = phone.result()
    assert call.succeeded, call.output
    assert rang.succeeded and "CANCEL sip:" in rang.messages, rang.messages
    assert time.monotonic() - started >= RING_SECONDS + 2
    _message(line, voicemail_endpoint)


def test_a_call_from_the_carrier_trunk_to_a_line_with_no_phone_leaves_a_message(
    kamailio, voicemail_endpoint, trunk_port, test_clock
):
    line, _unregistered = phone_line("+442079460808")
    call = run_scenario(
        "trunk_call.xml",
        host="127.0.0.1",
        port=kamailio.listen_port,
        username="+33199001234",
        password="",
        dial="+442079460808",
        local_port=trunk_port,
        pause_ms=3000,
        media=True,
    )
    assert call.succeeded, call.output
    message = _message(line, voicemail_endpoint)
    assert message.caller == "+33199001234"
    seconds, _ = _audio(message)
    assert 2.4 <= seconds <= 3.8, seconds

    record_calls()
    record = CallRecord.objects.get(line=line)
    assert (record.direction, record.disposition) == ("inbound", "voicemail")


def test_an_emergency_call_never_goes_to_voicemail(
    kamailio, voicemail_endpoint, gateway_port, test_clock
):
    _, caller = phone_line("+442079460807")
    log = Path(voicemail_endpoint.log_path)
    seen = len(log.read_text(errors="replace"))
    # The emergency gateway is busy: the caller hears busy, voicemail takes nothing.
    with Answerer(gateway_port, scenario="uas_busy.xml") as gateway:
        call = run_scenario(
            "call_busy.xml",
            host="127.0.0.1",
            port=kamailio.listen_port,
            username=caller,
            password=PASSWORD,
            dial="999",
        )
        assert gateway.result().succeeded
    assert call.succeeded, call.output
    time.sleep(1)
    assert not Voicemail.objects.exists()
    assert "call " not in log.read_text(errors="replace")[seen:]
