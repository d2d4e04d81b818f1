"""Folding the SIP core's call events into call records (PRIV-2), without a SIP stack."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from officeline.accounts.tests.factories import BuildingFactory, CustomerFactory
from officeline.lines.models import Line, Number
from officeline.telephony.intake import replay_spool
from officeline.telephony.models import CallEvent
from officeline.usage.destinations import classify
from officeline.usage.models import CallRecord
from officeline.usage.services.calls import disposition_for, record_calls, whole_seconds

T0 = 1_795_600_000_000_000  # microseconds since the epoch, Kamailio's time


def _line() -> Line:
    customer = CustomerFactory()
    number = Number.objects.create(e164="+442079460401", market="uk", building=BuildingFactory())
    return Line.objects.create(
        customer=customer,
        number=number,
        status="active",
        activation_requested_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
    )


def _event(call_id: str, kind: str, at_us: int, line: Line | None = None, **extra) -> dict:
    return {
        "event_id": uuid.uuid4().hex,
        "call_id": call_id,
        "kind": kind,
        "at_us": at_us,
        "line_id": line.pk if line else None,
        "market": "uk" if line else "",
        "caller": line.number.e164 if line else "",
        "dialled": extra.pop("dialled", ""),
        "route": extra.pop("route", ""),
        "code": extra.pop("code", None),
        "reason": extra.pop("reason", ""),
    }


@pytest.mark.django_db
def test_priv2_events_in_any_order_make_one_record_with_sip_times():
    line = _line()
    events = [
        _event("c1", "end", T0 + 65_400_000),
        _event("c1", "answer", T0 + 5_000_000, code=200),
        _event("c1", "answer", T0 + 5_100_000, code=200),  # a retransmitted 200
        _event("c1", "start", T0, line, dialled="07911123456", route="external"),
    ]
    CallEvent.objects.bulk_create([CallEvent(**e) for e in events[:2]])
    assert record_calls() == 0  # no start yet: the events wait
    CallEvent.objects.bulk_create([CallEvent(**e) for e in events[2:]])
    assert record_calls() == 1
    record = CallRecord.objects.get()
    assert record.customer == line.customer and record.line == line
    assert (record.to_number, record.destination_type) == ("+447911123456", "mobile")
    assert record.started_at == dt.datetime.fromtimestamp(T0 / 1_000_000, dt.UTC)
    assert record.answered_at == record.started_at + dt.timedelta(seconds=5)
    assert record.duration_seconds == 60  # 60.4 s, to the nearest second
    assert record.disposition == "answered"
    assert not CallEvent.objects.exists()


@pytest.mark.django_db
def test_priv2_an_unanswered_attempt_keeps_its_code(tmp_path):
    line = _line()
    CallEvent.objects.bulk_create(
        [
            CallEvent(**_event("c2", "start", T0, line, dialled="0033144556677", route="external")),
            CallEvent(**_event("c2", "fail", T0 + 30_000_000, code=408, reason="Request Timeout")),
        ]
    )
    record_calls()
    record = CallRecord.objects.get()
    assert (record.disposition, record.sip_code, record.duration_seconds) == ("no_answer", 408, 0)
    assert record.destination_type == "international"


@pytest.mark.django_db
def test_priv2_spooled_events_are_replayed_once(tmp_path):
    line = _line()
    spool = tmp_path / "events-1234.jsonl"
    lines = [
        _event("c3", "start", T0, line, dialled="999", route="emergency"),
        _event("c3", "answer", T0 + 1_000_000, code=200),
        _event("c3", "end", T0 + 3_000_000),
    ]
    spool.write_text("\n".join(json.dumps(e) for e in lines) + '\n{"cut short')
    assert replay_spool(directory=tmp_path) == 3
    assert replay_spool(directory=tmp_path) == 0  # the taken file is read again, nothing is doubled
    assert CallEvent.objects.count() == 3
    assert not list(tmp_path.iterdir())
    record_calls(spool_dir=tmp_path)
    record = CallRecord.objects.get()
    assert (record.destination_type, record.duration_seconds) == ("emergency", 2)


def test_dispositions_and_durations():
    assert disposition_for(answered=True, code=None) == "answered"
    assert disposition_for(answered=False, code=486) == "busy"
    assert disposition_for(answered=False, code=600) == "busy"
    assert disposition_for(answered=False, code=487) == "no_answer"
    assert disposition_for(answered=False, code=403) == "refused"
    assert disposition_for(answered=False, code=503) == "failed"
    assert disposition_for(answered=False, code=None) == ""
    assert whole_seconds(dt.timedelta(seconds=1, milliseconds=500)) == 2
    assert whole_seconds(dt.timedelta(milliseconds=1499)) == 1


@pytest.mark.parametrize(
    ("dialled", "route", "market", "expected"),
    [
        ("02079460000", "external", "uk", ("+442079460000", "national")),
        ("07911123456", "external", "uk", ("+447911123456", "mobile")),
        ("0612345678", "external", "fr", ("+33612345678", "mobile")),
        ("0144556677", "external", "fr", ("+33144556677", "national")),
        ("+14155550123", "external", "fr", ("+14155550123", "international")),
        ("33144556677", "external", "uk", ("+33144556677", "international")),
        ("112", "emergency", "fr", ("112", "emergency")),
        ("999", "external", "uk", ("999", "emergency")),
        ("442079460202", "internal", "uk", ("+442079460202", "internal")),
        ("abc", "external", "uk", ("abc", "unknown")),
    ],
)
def test_destination_types_with_the_lines_market(dialled, route, market, expected):
    assert classify(dialled, route, market) == expected


@pytest.mark.django_db
def test_priv2_a_call_answered_by_voicemail_shows_it_even_folded_in_two_ticks():
    line = _line()
    start = _event("v1", "start", T0, line, dialled="+442079460402", route="internal")
    divert = _event("v1", "divert", T0 + 25_000_000, code=408, reason="Request Timeout")
    CallEvent.objects.bulk_create([CallEvent(**start), CallEvent(**divert)])
    assert record_calls() == 1
    record = CallRecord.objects.get(call_id="v1")
    assert record.disposition == "voicemail" and record.answered_at is None  # on its way

    answer = _event("v1", "answer", T0 + 25_100_000, code=200)
    end = _event("v1", "end", T0 + 45_100_000)
    CallEvent.objects.bulk_create([CallEvent(**answer), CallEvent(**end)])
    record_calls()
    record.refresh_from_db()
    assert record.disposition == "voicemail" and record.duration_seconds == 20
    assert record.sip_code is None


@pytest.mark.django_db
def test_priv2_a_caller_who_hangs_up_before_voicemail_answers_is_no_answer():
    line = _line()
    events = [
        _event("v2", "start", T0, line, dialled="+442079460402", route="internal"),
        _event("v2", "divert", T0 + 1_000_000, code=486, reason="Busy Here"),
        _event("v2", "fail", T0 + 1_500_000, code=487, reason="Request Terminated"),
    ]
    CallEvent.objects.bulk_create([CallEvent(**e) for e in events])
    record_calls()
    record = CallRecord.objects.get(call_id="v2")
    assert (record.disposition, record.sip_code) == ("no_answer", 487)
