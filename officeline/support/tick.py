"""Due work of the complaints code, run by ``tick``.

One handler reads the running deadlines that have passed (a partial index on
``due_at`` of running deadlines, so the cost is what is due, not what exists)
and, for each, under a row lock taken with SKIP LOCKED so two workers never
act twice:

- auto-close (CMP-8): the proposed resolution had no reply for 5 business days;
- resolve (CMP-6, CMP-12): 8 weeks unresolved is a breach, and the written
  notice of the right to ADR goes out unless the complaint is vexatious or
  outside the scheme's jurisdiction;
- any other promise (CMP-3, CMP-4, CMP-5, CMP-9): marked as a breach, visible
  on the staff queue.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from officeline.events.services import record_event
from officeline.support.choices import CloseReason, ComplaintState, DeadlineKind, LetterKind
from officeline.support.letters import send_letter
from officeline.support.models import Complaint, ComplaintDeadline

BATCH = 500


def due_deadlines(now: dt.datetime) -> int:
    done = 0
    while True:
        ids = list(
            ComplaintDeadline.objects.filter(
                due_at__lt=now,
                met_at__isnull=True,
                breached_at__isnull=True,
                cancelled_at__isnull=True,
            )
            .order_by("due_at")
            .values_list("id", flat=True)[:BATCH]
        )
        if not ids:
            return done
        for deadline_id in ids:
            done += _handle(deadline_id, now)
        if len(ids) < BATCH:
            return done


def _handle(deadline_id: int, now: dt.datetime) -> int:
    from officeline.support import services

    with transaction.atomic():
        item = (
            ComplaintDeadline.objects.select_for_update(skip_locked=True)
            .filter(
                pk=deadline_id,
                met_at__isnull=True,
                breached_at__isnull=True,
                cancelled_at__isnull=True,
            )
            .first()
        )
        if item is None:
            return 0  # another worker has it, or it was met meanwhile
        complaint = (
            Complaint.objects.select_for_update()
            .select_related("customer", "ticket")
            .get(pk=item.complaint_id)
        )
        if item.kind == DeadlineKind.AUTO_CLOSE:
            item.met_at = now
            item.save(update_fields=["met_at"])
            if complaint.state == ComplaintState.RESOLUTION_PROPOSED:
                services._close(complaint, "tick", CloseReason.AUTO_CLOSED, now)
            return 1
        item.breached_at = now
        item.save(update_fields=["breached_at"])
        record_event(
            action="support.deadline_breached",
            actor="tick",
            customer=complaint.customer,
            subject=complaint,
            data={
                "reference": complaint.ticket.reference,
                "deadline": item.kind,
                "due_at": item.due_at.isoformat(),
            },
        )
        if item.kind == DeadlineKind.RESOLVE:
            _adr_notice(complaint, now)
        services.refresh_next_deadline(complaint)
        return 1


def _adr_notice(complaint: Complaint, now: dt.datetime) -> None:
    """CMP-12: at 8 weeks unresolved, written notice of the right to ADR, unless vexatious
    or out of jurisdiction."""
    if complaint.adr_notice_at is not None or not complaint.is_open:
        return
    if complaint.vexatious or complaint.out_of_jurisdiction:
        record_event(
            action="support.adr_notice_withheld",
            actor="tick",
            customer=complaint.customer,
            subject=complaint,
            data={
                "vexatious": complaint.vexatious,
                "out_of_jurisdiction": complaint.out_of_jurisdiction,
            },
        )
        return
    complaint.adr_notice_at = now
    complaint.save(update_fields=["adr_notice_at"])
    record_event(
        action="support.adr_notice_sent",
        actor="tick",
        customer=complaint.customer,
        subject=complaint,
        data={"reference": complaint.ticket.reference},
        customer_visible=True,
    )
    send_letter(complaint, LetterKind.ADR_NOTICE, actor="tick")
