"""Due work of the complaints code, run by ``tick``.

The handler reads the running deadlines that have passed through a partial
index on ``due_at`` of running deadlines, so its cost is what is due, not what
exists. It takes them in batches under row locks with SKIP LOCKED, so two
workers never act on one deadline, and marks each done in the same transaction:

- auto-close (CMP-8): the proposed resolution had no reply for 5 business days;
- resolve (CMP-6, CMP-12): 8 weeks unresolved is a breach, and the written
  notice of the right to ADR goes out unless the complaint is vexatious or
  outside the scheme's jurisdiction;
- every other promise (CMP-3, CMP-4, CMP-5, CMP-9): marked as a breach. The
  work stays outstanding, so the complaint's next deadline does not move.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from officeline.events.models import Event
from officeline.events.services import build_event, record_event
from officeline.support.choices import ComplaintState, DeadlineKind, LetterKind
from officeline.support.models import Complaint, ComplaintDeadline
from officeline.support.services import complaints
from officeline.support.services.letters import send_letter

BATCH = 500
ACTIONS = {DeadlineKind.AUTO_CLOSE, DeadlineKind.RESOLVE}


def due_deadlines(now: dt.datetime) -> int:
    done = 0
    while True:
        with transaction.atomic():
            batch = list(
                ComplaintDeadline.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(
                    due_at__lt=now,
                    met_at__isnull=True,
                    breached_at__isnull=True,
                    cancelled_at__isnull=True,
                )
                .select_related("complaint__customer", "complaint__ticket")
                .order_by("due_at")[:BATCH]
            )
            if not batch:
                return done
            breaches = [d for d in batch if d.kind not in ACTIONS]
            ComplaintDeadline.objects.filter(pk__in=[d.pk for d in breaches]).update(
                breached_at=now
            )
            Event.objects.bulk_create([_breach_event(d, now) for d in breaches])
            for item in batch:
                if item.kind in ACTIONS:
                    _act(item, now)
            done += len(batch)
        if len(batch) < BATCH:
            return done


def _breach_event(item: ComplaintDeadline, now: dt.datetime) -> Event:
    complaint = item.complaint
    return build_event(
        action="support.deadline_breached",
        actor="tick",
        at=now,
        customer=complaint.customer,
        subject=complaint,
        data={
            "reference": complaint.ticket.reference,
            "deadline": item.kind,
            "due_at": item.due_at.isoformat(),
        },
    )


def _act(item: ComplaintDeadline, now: dt.datetime) -> None:
    complaint = (
        Complaint.objects.select_for_update()
        .select_related("customer", "ticket")
        .get(pk=item.complaint_id)
    )
    if item.kind == DeadlineKind.AUTO_CLOSE:
        ComplaintDeadline.objects.filter(pk=item.pk).update(met_at=now)
        if complaint.state == ComplaintState.RESOLUTION_PROPOSED:
            complaints.auto_close(complaint=complaint, now=now)
        return
    ComplaintDeadline.objects.filter(pk=item.pk).update(breached_at=now)
    Event.objects.bulk_create([_breach_event(item, now)])
    _adr_notice(complaint, now)


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
    send_letter(complaint=complaint, kind=LetterKind.ADR_NOTICE, actor="tick")
