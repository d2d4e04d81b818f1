"""The complaints code: every step a named action.

Each action runs in one transaction, locks the complaint row first (so two
staff acting at once cannot both succeed where only one may), checks the
state and the actor's role, stores the deadlines the step starts, records an
event on the customer's timeline (CMP-14), and sends what the customer must
get, in their language and preferred format (CMP-7, INFO-3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.choices import StaffRole
from officeline.accounts.models import market_parameter
from officeline.errors import DomainError
from officeline.events.services import record_event
from officeline.markets.deadlines import deadline
from officeline.support.choices import (
    Category,
    Channel,
    CloseReason,
    ComplaintState,
    DeadlineKind,
    DeadlockRefusal,
    EscalationReason,
    LetterKind,
)
from officeline.support.models import Complaint, ComplaintDeadline, Ticket
from officeline.support.permissions import (
    AGENTS,
    HANDLERS,
    SUPERVISORS,
    is_staff,
    require_customer_or_staff,
    require_staff,
)
from officeline.support.services.letters import send_letter

if TYPE_CHECKING:
    from officeline.actors import Actor

S = ComplaintState
# CMP-10: a complaint on the same subject or category within this many days is a repetition.
DEFAULT_REPETITION_WINDOW_DAYS = 90


class ActionRefused(DomainError):
    """The complaints code refused the action (the complaint's state, a letter already sent,
    a missing text); the message says why."""

    default_code = "action_refused"


# ---------------------------------------------------------------------------- helpers


def _locked(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update()
        .select_related("customer", "ticket")
        .get(pk=complaint.pk)
    )


def _require_state(complaint: Complaint, allowed: Iterable[str], action: str) -> None:
    if complaint.state not in allowed:
        raise ActionRefused(
            _("Cannot %(action)s a complaint that is %(state)s.")
            % {"action": action, "state": complaint.get_state_display().lower()},
            code="complaint_state_forbids_action",
            field="state",
        )


def _outstanding(complaint: Complaint) -> Any:
    """Deadlines not yet met: running ones, and missed ones whose work is still to do."""
    return complaint.deadlines.filter(met_at__isnull=True, cancelled_at__isnull=True)


def _start(
    complaint: Complaint, kind: str, due_at: dt.datetime, now: dt.datetime
) -> ComplaintDeadline:
    """Store a deadline; an outstanding one of the same kind is replaced (e.g. the next update)."""
    _outstanding(complaint).filter(kind=kind).update(cancelled_at=now)
    return ComplaintDeadline.objects.create(
        complaint=complaint, kind=kind, due_at=due_at, started_at=now
    )


def _meet(complaint: Complaint, kinds: Iterable[str], now: dt.datetime) -> None:
    """The work is done: in time, or late if the deadline was already missed."""
    _outstanding(complaint).filter(kind__in=list(kinds)).update(met_at=now)


def _cancel_running(
    complaint: Complaint, now: dt.datetime, kinds: Iterable[str] | None = None
) -> None:
    qs = _outstanding(complaint)
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    qs.update(cancelled_at=now)


def _refresh_next_deadline(complaint: Complaint) -> None:
    """The earliest outstanding deadline (a missed one first), for the staff queue's order."""
    nxt = _outstanding(complaint).order_by("due_at").values_list("due_at", flat=True).first()
    Complaint.objects.filter(pk=complaint.pk).update(next_deadline_at=nxt)
    complaint.next_deadline_at = nxt


def _event(
    complaint: Complaint,
    action: str,
    actor: Actor | str,
    *,
    before: str | None = None,
    data: dict[str, Any] | None = None,
    visible: bool = True,
) -> None:
    record_event(
        action=f"support.{action}",
        actor=actor,
        customer=complaint.customer,
        subject=complaint,
        before={"state": before} if before else None,
        after={"state": complaint.state},
        data={"reference": complaint.ticket.reference, **(data or {})},
        customer_visible=visible,
    )


def _transition(complaint: Complaint, state: str) -> str:
    before = complaint.state
    complaint.state = state
    return before


# ---------------------------------------------------------------------------- opening


def open_complaint(*, ticket: Ticket, actor: Actor | str, now: dt.datetime) -> Complaint:
    """A ticket becomes a complaint: its clock starts at first receipt (CMP-3 to CMP-6)."""
    market = ticket.customer.market
    received = ticket.raised_at
    complaint = Complaint.objects.create(
        ticket=ticket,
        customer=ticket.customer,
        received_at=received,
        technical=ticket.category in (Category.TECHNICAL, Category.PORTING),
    )
    # CMP-3: acknowledge within 1 business day; CMP-4: reviewed within 1 business day;
    # CMP-5: keep informed every 5 business days; CMP-6: resolve within 8 weeks of first receipt.
    _start(complaint, DeadlineKind.ACKNOWLEDGE, deadline(market, received, business_days=1), now)
    _start(complaint, DeadlineKind.REVIEW, deadline(market, received, business_days=1), now)
    _start(complaint, DeadlineKind.UPDATE, deadline(market, received, business_days=5), now)
    _start(complaint, DeadlineKind.RESOLVE, deadline(market, received, weeks=8), now)
    _event(complaint, "complaint_opened", actor, data={"received_at": received.isoformat()})
    repeat = _earlier_same_complaint(complaint)
    if repeat is not None:
        # CMP-10: repetition is detected automatically and referred straight to escalation.
        complaint.repeat_of = repeat
        complaint.save(update_fields=["repeat_of"])
        _escalate(complaint, actor="system", reason=EscalationReason.REPETITION, now=now)
    _refresh_next_deadline(complaint)
    return complaint


def _earlier_same_complaint(complaint: Complaint) -> Complaint | None:
    """CMP-10: the same customer complained about the same subject or category recently."""
    window = int(
        market_parameter(
            complaint.customer.market,
            "support.repetition_window_days",
            DEFAULT_REPETITION_WINDOW_DAYS,
        )
    )
    since = complaint.received_at - dt.timedelta(days=window)
    subject = complaint.ticket.subject.strip().lower()
    earlier = (
        Complaint.objects.filter(customer=complaint.customer, received_at__gte=since)
        .exclude(pk=complaint.pk)
        .select_related("ticket")
        .order_by("-received_at")
    )
    for other in earlier:
        if (
            other.ticket.category == complaint.ticket.category
            or other.ticket.subject.strip().lower() == subject
        ):
            return other
    return None


# ---------------------------------------------------------------------------- handling


def acknowledge(
    *, complaint: Complaint, actor: Actor, channel: str = Channel.EMAIL, note: str = ""
) -> Complaint:
    """CMP-3: acknowledge the complaint (by phone or email); it counts as an update (CMP-5)."""
    require_staff(actor, HANDLERS)
    if channel not in (Channel.EMAIL, Channel.PHONE):
        raise ActionRefused(
            _("Acknowledge by phone or email."), code="acknowledge_channel_invalid", field="channel"
        )
    with transaction.atomic():
        c = _locked(complaint)
        _require_state(c, [S.RECEIVED], _("acknowledge"))
        now = clock.now()
        before = _transition(c, S.ACKNOWLEDGED)
        c.acknowledged_at = now
        c.save(update_fields=["state", "acknowledged_at"])
        _meet(c, [DeadlineKind.ACKNOWLEDGE], now)
        _update_sent(c, now)
        _event(
            c,
            "complaint_acknowledged",
            actor,
            before=before,
            data={"channel": channel, "note": note},
        )
        if channel == Channel.EMAIL:
            send_letter(complaint=c, kind=LetterKind.ACKNOWLEDGEMENT, actor=actor)
        _refresh_next_deadline(c)
    return c


def start_review(*, complaint: Complaint, actor: Actor) -> Complaint:
    """CMP-4: a representative reviews it within 1 business day."""
    require_staff(actor, AGENTS)
    with transaction.atomic():
        c = _locked(complaint)
        _require_state(c, [S.RECEIVED, S.ACKNOWLEDGED], _("review"))
        now = clock.now()
        before = _transition(c, S.IN_REVIEW)
        if c.acknowledged_at is None:
            c.acknowledged_at = now
            _meet(c, [DeadlineKind.ACKNOWLEDGE], now)
        c.save(update_fields=["state", "acknowledged_at"])
        _meet(c, [DeadlineKind.REVIEW], now)
        _event(c, "complaint_review_started", actor, before=before)
        _refresh_next_deadline(c)
    return c


def resolve_at_first_contact(*, complaint: Complaint, actor: Actor, outcome: str) -> Complaint:
    """CMP-2: resolved at first contact, closed with its outcome recorded (and sent, CMP-7)."""
    require_staff(actor, AGENTS)
    _require_text(outcome, "outcome")
    with transaction.atomic():
        c = _locked(complaint)
        _require_state(c, [S.RECEIVED, S.ACKNOWLEDGED, S.IN_REVIEW], _("resolve at first contact"))
        now = clock.now()
        before = _transition(c, S.CLOSED)
        c.acknowledged_at = c.acknowledged_at or now
        c.outcome, c.closed_at, c.close_reason = outcome.strip(), now, CloseReason.FIRST_CONTACT
        c.save(update_fields=["state", "acknowledged_at", "outcome", "closed_at", "close_reason"])
        _meet(c, DeadlineKind.promises(), now)
        _cancel_running(c, now)
        _event(
            c, "complaint_resolved_first_contact", actor, before=before, data={"outcome": c.outcome}
        )
        send_letter(complaint=c, kind=LetterKind.OUTCOME, actor=actor)
        _refresh_next_deadline(c)
    return c


def refer_to_supervisor(*, complaint: Complaint, actor: Actor, note: str = "") -> Complaint:
    """CMP-4: the representative cannot resolve it; it goes to a supervisor."""
    require_staff(actor, AGENTS)
    with transaction.atomic():
        c = _locked(complaint)
        _require_state(
            c, [S.ACKNOWLEDGED, S.IN_REVIEW, S.WITH_ENGINEERING], _("refer to a supervisor")
        )
        now = clock.now()
        before = _transition(c, S.WITH_SUPERVISOR)
        c.save(update_fields=["state"])
        _meet(c, [DeadlineKind.REVIEW, DeadlineKind.ENGINEERING], now)
        _event(c, "complaint_with_supervisor", actor, before=before, data={"note": note})
        _refresh_next_deadline(c)
    return c


def refer_to_engineering(
    *, complaint: Complaint, actor: Actor, carrier: bool = False, note: str = ""
) -> Complaint:
    """CMP-4: technical complaints go to engineering or the carrier, target 3 to 5 business days."""
    require_staff(actor, AGENTS)
    with transaction.atomic():
        c = _locked(complaint)
        _require_state(
            c, [S.ACKNOWLEDGED, S.IN_REVIEW, S.WITH_SUPERVISOR], _("refer to engineering")
        )
        now = clock.now()
        before = _transition(c, S.WITH_ENGINEERING)
        c.technical = True
        c.save(update_fields=["state", "technical"])
        _meet(c, [DeadlineKind.REVIEW], now)
        _start(c, DeadlineKind.ENGINEERING, deadline(c.customer.market, now, business_days=5), now)
        _event(
            c,
            "complaint_with_engineering",
            actor,
            before=before,
            data={"carrier": carrier, "note": note},
        )
        _refresh_next_deadline(c)
    return c


def send_update(
    *, complaint: Complaint, actor: Actor, progress: str, next_steps: str, timeframe: str
) -> Complaint:
    """CMP-5: progress, proposed actions and the expected timeframe; the next is due 5 business days on."""
    require_staff(actor, HANDLERS)
    for name, value in (
        ("progress", progress),
        ("next_steps", next_steps),
        ("timeframe", timeframe),
    ):
        _require_text(value, name)
    with transaction.atomic():
        c = _locked(complaint)
        _require_state(c, S.open_states(), _("send an update on"))
        now = clock.now()
        _update_sent(c, now)
        _event(
            c,
            "complaint_update_sent",
            actor,
            data={"progress": progress, "next_steps": next_steps, "timeframe": timeframe},
        )
        send_letter(
            complaint=c,
            kind=LetterKind.UPDATE,
            actor=actor,
            extra={"progress": progress, "next_steps": next_steps, "timeframe": timeframe},
        )
        _refresh_next_deadline(c)
    return c


def record_contact(
    *, complaint: Complaint, actor: Actor, channel: str, summary: str, is_update: bool = True
) -> Complaint:
    """CMP-14: a phone call or other contact goes on the timeline; an update by phone counts (CMP-5)."""
    require_staff(actor, HANDLERS)
    _require_text(summary, "summary")
    if channel not in Channel.values:
        raise ActionRefused(_("Unknown channel."), code="channel_unknown", field="channel")
    with transaction.atomic():
        c = _locked(complaint)
        now = clock.now()
        if is_update and c.is_open:
            _update_sent(c, now)
        _event(
            c,
            "complaint_contact",
            actor,
            data={"channel": channel, "summary": summary, "is_update": is_update},
        )
        _refresh_next_deadline(c)
    return c


def _update_sent(c: Complaint, now: dt.datetime) -> None:
    c.last_update_sent_at = now
    c.save(update_fields=["last_update_sent_at"])
    _meet(c, [DeadlineKind.UPDATE], now)
    if c.state != S.RESOLUTION_PROPOSED:
        _start(c, DeadlineKind.UPDATE, deadline(c.customer.market, now, business_days=5), now)


def propose_resolution(*, complaint: Complaint, actor: Actor, resolution: str) -> Complaint:
    """CMP-8: propose a resolution and ask the customer to confirm; silence for 5 business days closes it."""
    require_staff(actor, HANDLERS)
    _require_text(resolution, "resolution")
    with transaction.atomic():
        c = _locked(complaint)
        _require_state(
            c,
            [S.ACKNOWLEDGED, S.IN_REVIEW, S.WITH_SUPERVISOR, S.WITH_ENGINEERING, S.ESCALATED],
            _("propose a resolution for"),
        )
        if c.state == S.ESCALATED and not is_staff(actor, [StaffRole.DIRECTOR]):
            raise PermissionDenied(
                _("Only the Director of Customer Service decides an escalated complaint.")
            )
        _propose(c, actor, resolution, LetterKind.PROPOSED_RESOLUTION)
    return c


def _propose(c: Complaint, actor: Actor, resolution: str, letter: str) -> None:
    now = clock.now()
    before = _transition(c, S.RESOLUTION_PROPOSED)
    c.proposed_resolution, c.proposed_at = resolution.strip(), now
    c.save(update_fields=["state", "proposed_resolution", "proposed_at"])
    _meet(
        c,
        [DeadlineKind.REVIEW, DeadlineKind.ENGINEERING, DeadlineKind.UPDATE, DeadlineKind.DIRECTOR],
        now,
    )
    c.last_update_sent_at = now
    c.save(update_fields=["last_update_sent_at"])
    _start(c, DeadlineKind.AUTO_CLOSE, deadline(c.customer.market, now, business_days=5), now)
    _event(
        c,
        "complaint_resolution_proposed",
        actor,
        before=before,
        data={"resolution": c.proposed_resolution},
    )
    send_letter(complaint=c, kind=letter, actor=actor)
    _refresh_next_deadline(c)


def confirm_resolution(*, complaint: Complaint, actor: Actor) -> Complaint:
    """CMP-8: the customer confirms the proposed resolution; the complaint is closed."""
    require_customer_or_staff(actor, complaint.customer, AGENTS)
    with transaction.atomic():
        c = _locked(complaint)
        _require_state(c, [S.RESOLUTION_PROPOSED], _("confirm"))
        _close(c, actor, CloseReason.CONFIRMED, clock.now())
    return c


def reject_resolution(*, complaint: Complaint, actor: Actor, reason: str) -> Complaint:
    """The customer is not satisfied with the proposal: CMP-9, it goes to the Director."""
    require_customer_or_staff(actor, complaint.customer, AGENTS)
    _require_text(reason, "reason")
    with transaction.atomic():
        c = _locked(complaint)
        _require_state(c, [S.RESOLUTION_PROPOSED], _("reject the resolution of"))
        now = clock.now()
        _cancel_running(c, now, [DeadlineKind.AUTO_CLOSE])
        _event(c, "complaint_resolution_rejected", actor, data={"reason": reason})
        _escalate(c, actor=actor, reason=EscalationReason.CUSTOMER_UNHAPPY, now=now)
        _refresh_next_deadline(c)
    return c


def _close(c: Complaint, actor: Actor | str, reason: str, now: dt.datetime) -> None:
    before = _transition(c, S.CLOSED)
    c.outcome = c.outcome or c.proposed_resolution
    c.closed_at, c.close_reason = now, reason
    c.save(update_fields=["state", "outcome", "closed_at", "close_reason"])
    _meet(c, [DeadlineKind.RESOLVE, DeadlineKind.AUTO_CLOSE], now)
    _cancel_running(c, now)
    _event(
        c, "complaint_closed", actor, before=before, data={"reason": reason, "outcome": c.outcome}
    )
    # CMP-7: the outcome is always communicated.
    send_letter(complaint=c, kind=LetterKind.OUTCOME, actor=actor)
    _refresh_next_deadline(c)


def auto_close(*, complaint: Complaint, now: dt.datetime) -> None:
    """CMP-8: the proposed resolution had no reply for 5 business days (``tick``, row locked)."""
    _close(complaint, "tick", CloseReason.AUTO_CLOSED, now)


def escalate(*, complaint: Complaint, actor: Actor, reason: str, note: str = "") -> Complaint:
    """CMP-9 / CMP-10: to the Director of Customer Service, who decides within 5 days."""
    if reason not in EscalationReason.values:
        raise ActionRefused(
            _("Choose one of: %s") % ", ".join(EscalationReason.values),
            code="escalation_reason_unknown",
            field="reason",
        )
    if reason == EscalationReason.CUSTOMER_UNHAPPY:
        require_customer_or_staff(actor, complaint.customer, AGENTS)
    else:
        require_staff(actor, AGENTS)
    with transaction.atomic():
        c = _locked(complaint)
        _require_state(c, [s for s in S.open_states() if s != S.ESCALATED], _("escalate"))
        _escalate(c, actor=actor, reason=reason, now=clock.now(), note=note)
        _refresh_next_deadline(c)
    return c


def _escalate(
    c: Complaint, *, actor: Actor | str, reason: str, now: dt.datetime, note: str = ""
) -> None:
    before = _transition(c, S.ESCALATED)
    c.escalated_at, c.escalation_reason = now, reason
    c.save(update_fields=["state", "escalated_at", "escalation_reason"])
    _start(c, DeadlineKind.DIRECTOR, deadline(c.customer.market, now, days=5), now)
    _event(c, "complaint_escalated", actor, before=before, data={"reason": reason, "note": note})


def director_decide(*, complaint: Complaint, actor: Actor, decision: str) -> Complaint:
    """CMP-9: the Director's decision, sent to the customer, who confirms it or not (CMP-8)."""
    require_staff(actor, [StaffRole.DIRECTOR])
    _require_text(decision, "decision")
    with transaction.atomic():
        c = _locked(complaint)
        _require_state(c, [S.ESCALATED], _("decide"))
        _propose(c, actor, decision, LetterKind.DIRECTOR_DECISION)
    return c


def record_ground(
    *,
    complaint: Complaint,
    actor: Actor,
    vexatious: bool | None = None,
    out_of_jurisdiction: bool | None = None,
) -> Complaint:
    """Record that a complaint is vexatious or outside the ADR scheme's jurisdiction (CMP-11, CMP-12)."""
    require_staff(actor, SUPERVISORS)
    with transaction.atomic():
        c = _locked(complaint)
        changes = {}
        if vexatious is not None:
            changes["vexatious"] = vexatious
        if out_of_jurisdiction is not None:
            changes["out_of_jurisdiction"] = out_of_jurisdiction
        for name, value in changes.items():
            setattr(c, name, value)
        c.save(update_fields=list(changes))
        _event(c, "complaint_ground_recorded", actor, data=changes, visible=False)
    return c


def request_deadlock_letter(*, complaint: Complaint, actor: Actor, refusal: str = "") -> Complaint:
    """CMP-11: a deadlock letter on request, unless a refusal ground applies and is recorded.

    A vexatious or out-of-jurisdiction complaint is refused on that ground;
    staff may record the ground that it will be resolved in a timely manner.
    """
    require_customer_or_staff(actor, complaint.customer, SUPERVISORS)
    if refusal and refusal not in DeadlockRefusal.values:
        raise ActionRefused(
            _("Choose one of: %s") % ", ".join(DeadlockRefusal.values),
            code="deadlock_refusal_unknown",
            field="refusal",
        )
    if refusal and not is_staff(actor, SUPERVISORS):
        raise PermissionDenied(_("Only a supervisor or the Director can refuse a deadlock letter."))
    with transaction.atomic():
        c = _locked(complaint)
        if c.deadlock_letter_at is not None:
            raise ActionRefused(
                _("A deadlock letter was already sent."),
                code="deadlock_letter_already_sent",
                field="complaint",
            )
        ground = refusal or (
            DeadlockRefusal.VEXATIOUS
            if c.vexatious
            else DeadlockRefusal.OUT_OF_JURISDICTION
            if c.out_of_jurisdiction
            else ""
        )
        if ground:
            c.deadlock_refusal = ground
            c.save(update_fields=["deadlock_refusal"])
            _event(c, "deadlock_letter_refused", actor, data={"ground": ground})
            send_letter(complaint=c, kind=LetterKind.DEADLOCK_REFUSED, actor=actor)
        else:
            _send_deadlock(c, actor, requested=True)
    return c


def declare_deadlock(*, complaint: Complaint, actor: Actor) -> Complaint:
    """CMP-12 (D): on deadlock the letter, with the right to ADR, goes without being asked."""
    require_staff(actor, SUPERVISORS)
    with transaction.atomic():
        c = _locked(complaint)
        _require_state(c, S.open_states(), _("declare deadlock on"))
        if c.deadlock_letter_at is not None:
            raise ActionRefused(
                _("A deadlock letter was already sent."),
                code="deadlock_letter_already_sent",
                field="complaint",
            )
        _send_deadlock(c, actor, requested=False)
    return c


def _send_deadlock(c: Complaint, actor: Actor, *, requested: bool) -> None:
    c.deadlock_letter_at = clock.now()
    c.save(update_fields=["deadlock_letter_at"])
    _event(c, "deadlock_letter_sent", actor, data={"requested": requested})
    send_letter(complaint=c, kind=LetterKind.DEADLOCK, actor=actor)


def _require_text(value: str, field: str) -> None:
    if not (value or "").strip():
        raise ActionRefused(_("This field is required."), code="text_required", field=field)
