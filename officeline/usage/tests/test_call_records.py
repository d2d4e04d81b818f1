"""Call records from real calls through Kamailio, with SIPp phones (PRIV-2 traffic data)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from officeline import clock
from officeline.lines.services import lines as services
from officeline.telephony.kamailio import KamailioProcess, free_port
from officeline.telephony.models import CallEvent
from officeline.telephony.sipp import Answerer, run_scenario
from officeline.telephony.tests.fixtures import kamailio_config
from officeline.telephony.tests.phones import PASSWORD, phone_line, register_phone
from officeline.telephony.tests.raw_sip import RawSip, status
from officeline.usage.models import CallRecord
from officeline.usage.services.calls import record_calls

pytestmark = [pytest.mark.sip, pytest.mark.django_db(transaction=True)]


def _call(kamailio, username: str, dial: str, scenario: str = "call.xml", **kwargs):
    return run_scenario(
        scenario,
        host="127.0.0.1",
        port=kamailio.listen_port,
        username=username,
        password=PASSWORD,
        dial=dial,
        **kwargs,
    )


def test_priv2_an_answered_internal_call_is_recorded_with_its_duration(module_kamailio, test_clock):
    caller_line, caller = phone_line("+442079460301")
    _, callee = phone_line("+442079460302")
    callee_port = register_phone(module_kamailio, callee)
    with Answerer(callee_port) as phone:
        call = _call(module_kamailio, caller, "442079460302", pause_ms=2000)
        assert phone.result().succeeded
    assert call.succeeded, call.output

    assert record_calls() == 1
    record = CallRecord.objects.get()
    assert record.line == caller_line and record.customer == caller_line.customer
    assert (record.direction, record.from_number, record.to_number) == (
        "outbound",
        "+442079460301",
        "+442079460302",
    )
    assert record.destination_type == "internal"
    assert record.disposition == "answered" and record.sip_code is None
    assert record.answered_at is not None and record.ended_at is not None
    assert record.started_at <= record.answered_at < record.ended_at
    assert record.duration_seconds == 2
    # Times are Kamailio's, not the (frozen) test clock's.
    assert record.started_at != clock.now()
    assert not CallEvent.objects.exists()
    assert record_calls() == 0


def test_priv2_a_busy_callee_gives_a_record_with_its_disposition(module_kamailio, test_clock):
    _, caller = phone_line("+442079460303")
    _, callee = phone_line("+442079460304")
    callee_port = register_phone(module_kamailio, callee)
    with Answerer(callee_port, scenario="uas_busy.xml") as phone:
        call = _call(module_kamailio, caller, "442079460304", scenario="call_busy.xml")
        assert phone.result().succeeded
    assert call.succeeded, call.output

    record_calls()
    record = CallRecord.objects.get()
    assert (record.disposition, record.sip_code, record.sip_reason) == ("busy", 486, "Busy Here")
    assert record.answered_at is None and record.duration_seconds == 0
    assert record.ended_at is not None and record.ended_at >= record.started_at


def test_priv2_a_refused_attempt_is_recorded_with_the_sip_code(module_kamailio, test_clock):
    line, caller = phone_line("+442079460305")
    services.suspend_line(line=line, ground="breach", actor=None)
    call = _call(module_kamailio, caller, "02079460306", scenario="call_refused.xml")
    assert call.succeeded, call.output

    record_calls()
    record = CallRecord.objects.get()
    assert (record.disposition, record.sip_code, record.sip_reason) == (
        "refused",
        403,
        "Line suspended",
    )
    assert (record.to_number, record.destination_type) == ("+442079460306", "national")


def test_priv2_an_emergency_call_is_recorded_as_emergency(
    module_kamailio, test_clock, gateway_port
):
    _, caller = phone_line("+442079460307")
    with Answerer(gateway_port) as gateway:
        call = _call(module_kamailio, caller, "999")
        assert gateway.result().succeeded
    assert call.succeeded, call.output

    record_calls()
    record = CallRecord.objects.get()
    assert (record.to_number, record.destination_type, record.disposition) == (
        "999",
        "emergency",
        "answered",
    )


def test_priv2_no_record_is_lost_while_the_database_does_not_answer(tmp_path, test_clock):
    """Kamailio spools the call events it cannot write; the fold replays them."""
    config = kamailio_config(tmp_path, cdr_db_url=f"postgres://nobody@127.0.0.1:{free_port()}/x")
    if config.db_url.startswith("sqlite"):
        config = kamailio_config(tmp_path, cdr_db_url=f"sqlite:///{tmp_path}/missing/x.sqlite3")
    process = KamailioProcess(config)
    process.start()
    try:
        _, caller = phone_line("+442079460308")
        _, callee = phone_line("+442079460309")
        callee_port = register_phone(config, callee)
        with Answerer(callee_port) as phone:
            call = _call(config, caller, "442079460309")
            assert phone.result().succeeded
        assert call.succeeded, call.output
    finally:
        process.stop()
    assert not CallEvent.objects.exists()
    assert list(config.spool_dir.glob("*.jsonl"))

    assert record_calls(spool_dir=config.spool_dir) == 1
    record = CallRecord.objects.get()
    assert record.disposition == "answered" and record.ended_at is not None
    # The spool is read twice before it is removed; the second reading records nothing new.
    assert record_calls(spool_dir=config.spool_dir) == 1
    assert CallRecord.objects.count() == 1
    assert not list(config.spool_dir.iterdir())


def _answered(timeout: float = 10.0) -> None:
    """Wait until the routing has written a call's answer."""
    deadline = time.monotonic() + timeout
    while not CallEvent.objects.filter(kind="answer").exists():
        assert time.monotonic() < deadline, "the call was not answered"
        time.sleep(0.1)


def test_priv2_a_call_keeps_its_record_when_kamailio_restarts_during_it(tmp_path, test_clock):
    """Restarted in the middle of a call, Kamailio still writes the call's end from its BYE."""
    process = KamailioProcess(kamailio_config(tmp_path))
    process.start()
    try:
        caller_line, caller = phone_line("+442079460310")
        _, callee = phone_line("+442079460311")
        callee_port = register_phone(process.config, callee)
        with Answerer(callee_port) as phone, ThreadPoolExecutor(1) as phones:
            call = phones.submit(_call, process.config, caller, "442079460311", pause_ms=5000)
            _answered()
            process.stop()
            assert not CallEvent.objects.filter(kind="end").exists()  # hung up after the restart
            process.start()
            assert call.result().succeeded, call.result().output
            assert phone.result().succeeded
    finally:
        process.stop()

    assert record_calls() == 1
    record = CallRecord.objects.get()
    assert record.line == caller_line and record.to_number == "+442079460311"
    assert record.disposition == "answered" and record.sip_code is None
    assert record.answered_at is not None and record.ended_at is not None
    assert record.started_at <= record.answered_at < record.ended_at
    assert record.duration_seconds == 5


def test_a_forged_bye_does_not_end_a_real_call(module_kamailio, test_clock):
    """An answered call (its own BYE along our signed route ends it), then a BYE from
    elsewhere with its Call-ID: refused, and the call's events and record stay as they were."""
    _, caller = phone_line("+442079460601")
    _, callee = phone_line("+442079460602")
    callee_port = register_phone(module_kamailio, callee)
    with Answerer(callee_port) as phone:
        call = run_scenario(
            "call.xml",
            host="127.0.0.1",
            port=module_kamailio.listen_port,
            username=caller,
            password=PASSWORD,
            dial="442079460602",
            pause_ms=1500,
        )
        answered = phone.result()
    assert call.succeeded, call.output
    assert answered.succeeded, answered.output
    call_id = CallEvent.objects.get(kind="start").call_id
    assert list(
        CallEvent.objects.filter(call_id=call_id).values_list("kind", flat=True).order_by("at_us")
    ) == [
        "start",
        "answer",
        "end",
    ]
    record_calls()
    before = CallRecord.objects.get(call_id=call_id)
    assert before.duration_seconds >= 1
    events = set(CallEvent.objects.values_list("event_id", flat=True))

    here = f"127.0.0.1:{module_kamailio.listen_port}"
    with RawSip(module_kamailio.listen_port) as attacker:
        for headers in ("", f"Route: <sip:{here};lr>\r\n"):
            answer = attacker.ask(
                attacker.request(
                    "BYE",
                    f"sip:{callee}@127.0.0.1:{callee_port}",
                    call_id=call_id,
                    to_tag="forged",
                    cseq=9,
                    headers=headers,
                ),
                timeout=0.5,
            )
            assert status(answer) == 403, answer
    assert set(CallEvent.objects.values_list("event_id", flat=True)) == events
    record_calls()
    after = CallRecord.objects.get(call_id=call_id)
    assert (after.duration_seconds, after.disposition) == (
        before.duration_seconds,
        before.disposition,
    )
