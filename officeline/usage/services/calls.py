"""Writes of the usage app: call records folded from the SIP core's call events."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import IntegrityError, transaction

from officeline.events.services import record_event
from officeline.lines.models import Line
from officeline.telephony.intake import replay_spool
from officeline.telephony.models import CallEvent, CallEventKind
from officeline.usage.choices import Direction, Disposition
from officeline.usage.destinations import classify
from officeline.usage.models import CallRecord

BATCH = 1000
BUSY = {486, 600}
NO_ANSWER = {408, 480, 487}


def _at(at_us: int) -> dt.datetime:
    """Kamailio's time of a SIP message (microseconds since the epoch) as an aware UTC time."""
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=at_us)


def disposition_for(*, answered: bool, code: int | None, voicemail: bool = False) -> str:
    """How an attempt ended, from whether it was answered (by voicemail) and its final SIP code.

    A call sent to voicemail shows it while it is still going on, so that a later fold
    of its answer still knows where it went.
    """
    if answered:
        return Disposition.VOICEMAIL if voicemail else Disposition.ANSWERED
    if code is None:
        return Disposition.VOICEMAIL if voicemail else Disposition.IN_PROGRESS
    if code in BUSY:
        return Disposition.BUSY
    if code in NO_ANSWER:
        return Disposition.NO_ANSWER
    if 400 <= code < 500 or code >= 600:
        return Disposition.REFUSED
    return Disposition.FAILED


def whole_seconds(delta: dt.timedelta) -> int:
    """A duration to the nearest second, halves up (one rule, as for money)."""
    micro = Decimal(delta // dt.timedelta(microseconds=1))
    return max(0, int((micro / Decimal(1_000_000)).quantize(Decimal(1), ROUND_HALF_UP)))


def _apply(record: CallRecord, events: list[CallEvent], lines: dict[int, Line]) -> None:
    """Apply events in any order: each sets what it knows, the earliest time wins."""
    voicemail = record.disposition == Disposition.VOICEMAIL
    for event in sorted(events, key=lambda e: (e.at_us, e.pk or 0)):
        at = _at(event.at_us)
        if event.kind == CallEventKind.START:
            line = lines.get(event.line_id) if event.line_id else None
            record.line = line
            record.customer_id = line.customer_id if line else None
            # A call from the carrier to one of our numbers: the line is the callee's.
            record.direction = Direction.INBOUND if event.route == "inbound" else Direction.OUTBOUND
            record.from_number = event.caller
            record.to_number, record.destination_type = classify(
                event.dialled, event.route, event.market
            )
            record.started_at = min(record.started_at or at, at)
        elif event.kind == CallEventKind.ANSWER:
            record.answered_at = min(record.answered_at or at, at)
        elif event.kind == CallEventKind.FAIL:
            if record.sip_code is None or (record.ended_at and at < record.ended_at):
                record.sip_code, record.sip_reason = event.code, event.reason
            record.ended_at = min(record.ended_at or at, at)
        elif event.kind == CallEventKind.END:
            record.ended_at = min(record.ended_at or at, at)
        elif event.kind == CallEventKind.DIVERT:
            voicemail = True  # the line's own answer (busy, no answer) is not the call's end
    if record.answered_at is not None and record.sip_code is not None and record.sip_code >= 300:
        record.sip_code, record.sip_reason = None, ""  # a late failure of an answered call
    record.disposition = disposition_for(
        answered=record.answered_at is not None, code=record.sip_code, voicemail=voicemail
    )
    record.duration_seconds = (
        whole_seconds(record.ended_at - record.answered_at)
        if record.answered_at and record.ended_at
        else 0
    )


def _fold_batch(after_id: int) -> tuple[int, int, int]:
    """One batch of events in one transaction: (events read, records changed, last id)."""
    with transaction.atomic():
        events = list(
            CallEvent.objects.select_for_update(skip_locked=True)
            .filter(id__gt=after_id)
            .order_by("id")[:BATCH]
        )
        if not events:
            return 0, 0, after_id
        by_call: dict[str, list[CallEvent]] = defaultdict(list)
        for event in events:
            by_call[event.call_id].append(event)
        records = {
            r.call_id: r
            for r in CallRecord.objects.select_for_update().filter(call_id__in=list(by_call))
        }
        line_ids = {e.line_id for e in events if e.kind == CallEventKind.START and e.line_id}
        lines = {line.pk: line for line in Line.objects.filter(pk__in=line_ids)}
        done: list[int] = []
        changed = 0
        for call_id, call_events in by_call.items():
            record = records.get(call_id)
            if record is None:
                if not any(e.kind == CallEventKind.START for e in call_events):
                    continue  # its start is still in a spool: wait for it
                record = CallRecord(call_id=call_id)
            _apply(record, call_events, lines)
            if record.pk is None:
                try:
                    with transaction.atomic():
                        record.save()
                except IntegrityError:  # another worker created it: fold these next time
                    continue
            else:
                record.save()
            changed += 1
            done += [e.pk for e in call_events]
        CallEvent.objects.filter(pk__in=done).delete()
        if changed:
            record_event(action="usage.calls_recorded", data={"records": changed})
        return len(events), changed, events[-1].pk


def record_calls(*, spool_dir: Path | None = None) -> int:
    """Fold the SIP core's call events into call records; return how many records changed.

    Replays the events Kamailio spooled while the database did not answer first. Events
    of a call whose start has not arrived yet wait for it. Running twice, or in two
    workers at once, records nothing twice.
    """
    if spool_dir is not None:
        replay_spool(directory=spool_dir)
    total = last = 0
    while True:
        read, changed, last = _fold_batch(last)
        total += changed
        if read < BATCH:
            return total
