"""Tickets and the complaints code: every step a named action.

Each action runs in one transaction, locks the complaint row first (so two
staff acting at once cannot both succeed where only one may), checks the
state and the actor's role, stores the deadlines the step starts, records an
event on the customer's timeline (CMP-14), and sends what the customer must
get, in their language and preferred format (CMP-7, INFO-3).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.choices import CustomerRole, StaffRole
from officeline.accounts.models import Customer, market_parameter
from officeline.events.services import record_event
from officeline.markets.deadlines import deadline
from officeline.notifications.services import queue_email
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
from officeline.support.letters import send_letter
from officeline.support.models import Complaint, ComplaintDeadline, Ticket

S = ComplaintState
AGENTS = (StaffRole.AGENT, StaffRole.SUPERVISOR, StaffRole.DIRECTOR)
SUPERVISORS = (StaffRole.SUPERVISOR, StaffRole.DIRECTOR)
HANDLERS = (*AGENTS, StaffRole.ENGINEER)
# CMP-10: a complaint on the same subject or category within this many days is a repetition.
DEFAULT_REPETITION_WINDOW_DAYS = 90


class ActionRefused(ValidationError):
    """The action is not allowed in the complaint's state; the message says why."""


# ---------------------------------------------------------------------------- helpers


def _is_staff(actor: Any, roles: Iterable[str] = ()) -> bool:
    roles = tuple(roles) or tuple(StaffRole.values)
    return bool(
        actor
        and getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.staff_role in roles
    )


def _require_staff(actor: Any, roles: Iterable[str]) -> None:
    if not _is_staff(actor, roles):
        raise PermissionDenied(_("This action needs one of the roles: %s") % ", ".join(roles))


def _require_customer_or_staff(actor: Any, customer: Customer, staff_roles: Iterable[str]) -> None:
    if _is_staff(actor, staff_roles):
        return
    if actor and getattr(actor, "customer_id", None) == customer.pk:
        return
    raise PermissionDenied(_("This complaint belongs to another customer."))


def _locked(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update()
        .select_related("customer", "ticket")
        .get(pk=complaint.pk)
    )


def _require_state(complaint: Complaint, allowed: Iterable[str], action: str) -> None:
    if complaint.state not in allowed:
        raise ActionRefused(
            {
                "state": [
                    _("Cannot %(action)s a complaint that is %(state)s.")
                    % {"action": action, "state": complaint.get_state_display().lower()}
                ]
            }
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


def refresh_next_deadline(complaint: Complaint) -> None:
    """The earliest outstanding deadline (a missed one first), for the staff queue's order."""
    nxt = _outstanding(complaint).order_by("due_at").values_list("due_at", flat=True).first()
    Complaint.objects.filter(pk=complaint.pk).update(next_deadline_at=nxt)
    complaint.next_deadline_at = nxt


def _event(
    complaint: Complaint,
    action: str,
    actor: Any,
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


# ---------------------------------------------------------------------------- tickets


def raise_ticket(
    *,
    customer: Customer,
    actor: Any,
    subject: str,
    description: str,
    category: str,
    channel: str,
    is_complaint: bool = False,
    representative_name: str = "",
    representative_authority: str = "",
    representative_contact: str = "",
) -> Ticket:
    """INFO-4: a ticket can be raised at any hour and gets an immediate receipt.

    Staff record phone contacts as tickets (CMP-1), including complaints made by
    an authorised representative for a customer with a disability.
    """
    _require_customer_or_staff(actor, customer, HANDLERS)
    errors: dict[str, list[str]] = {}
    if not subject.strip():
        errors["subject"] = [_("Give a short subject.")]
    elif len(subject) > 200:
        errors["subject"] = [_("Keep the subject under 200 characters.")]
    if not description.strip():
        errors["description"] = [_("Tell us what happened.")]
    if category not in Category.values:
        errors["category"] = [_("Choose one of: %s") % ", ".join(Category.values)]
    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    if channel == Channel.PHONE and not _is_staff(actor):
        errors["channel"] = [_("Only staff record phone contacts.")]
    if representative_name and not representative_authority.strip():
        errors["representative_authority"] = [_("Say what authorises the representative to act.")]
    if representative_name and not representative_contact.strip():
        errors["representative_contact"] = [_("Say how to reach the representative.")]
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    with transaction.atomic():
        ticket = Ticket.objects.create(
            customer=customer,
            reference=_new_reference(),
            subject=subject.strip(),
            description=description.strip(),
            category=category,
            channel=channel,
            raised_at=now,
            raised_by=actor if getattr(actor, "pk", None) else None,
            representative_name=representative_name.strip(),
            representative_authority=representative_authority.strip(),
            representative_contact=representative_contact.strip(),
        )
        record_event(
            action="support.ticket_raised",
            actor=actor,
            customer=customer,
            subject=ticket,
            data={"reference": ticket.reference, "channel": channel, "subject": ticket.subject},
            customer_visible=True,
        )
        complaint = _open_complaint(ticket, actor, now) if is_complaint else None
        queue_email(
            to=customer.email,
            template="support/email/receipt",
            context={
                "ticket": ticket,
                "complaint": complaint,
                "customer": customer,
                "complaints_code_url": f"{settings.BASE_URL}/documents/{customer.market}/complaints_code/",
            },
            language=customer.language,
            kind="support.ticket_receipt",
            customer=customer,
        )
    return ticket


def _new_reference() -> str:
    return "T-" + secrets.token_hex(4).upper()


def mark_as_complaint(*, ticket: Ticket, actor: Any) -> Complaint:
    """A ticket can become a complaint later; its clock starts at first receipt."""
    _require_customer_or_staff(actor, ticket.customer, HANDLERS)
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if Complaint.objects.filter(ticket=locked).exists():
            raise ActionRefused({"ticket": [_("This ticket is already a complaint.")]})
        return _open_complaint(locked, actor, clock.now())


def _open_complaint(ticket: Ticket, actor: Any, now: dt.datetime) -> Complaint:
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
    refresh_next_deadline(complaint)
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
    *, complaint: Complaint, actor: Any, channel: str = Channel.EMAIL, note: str = ""
) -> Complaint:
    """CMP-3: acknowledge the complaint (by phone or email); it counts as an update (CMP-5)."""
    _require_staff(actor, HANDLERS)
    if channel not in (Channel.EMAIL, Channel.PHONE):
        raise ValidationError({"channel": [_("Acknowledge by phone or email.")]})
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
            send_letter(c, LetterKind.ACKNOWLEDGEMENT, actor=actor)
        refresh_next_deadline(c)
    return c


def start_review(*, complaint: Complaint, actor: Any) -> Complaint:
    """CMP-4: a representative reviews it within 1 business day."""
    _require_staff(actor, AGENTS)
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
        refresh_next_deadline(c)
    return c


def resolve_at_first_contact(*, complaint: Complaint, actor: Any, outcome: str) -> Complaint:
    """CMP-2: resolved at first contact, closed with its outcome recorded (and sent, CMP-7)."""
    _require_staff(actor, AGENTS)
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
        send_letter(c, LetterKind.OUTCOME, actor=actor)
        refresh_next_deadline(c)
    return c


def refer_to_supervisor(*, complaint: Complaint, actor: Any, note: str = "") -> Complaint:
    """CMP-4: the representative cannot resolve it; it goes to a supervisor."""
    _require_staff(actor, AGENTS)
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
        refresh_next_deadline(c)
    return c


def refer_to_engineering(
    *, complaint: Complaint, actor: Any, carrier: bool = False, note: str = ""
) -> Complaint:
    """CMP-4: technical complaints go to engineering or the carrier, target 3 to 5 business days."""
    _require_staff(actor, AGENTS)
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
        refresh_next_deadline(c)
    return c


def send_update(
    *, complaint: Complaint, actor: Any, progress: str, next_steps: str, timeframe: str
) -> Complaint:
    """CMP-5: progress, proposed actions and the expected timeframe; the next is due 5 business days on."""
    _require_staff(actor, HANDLERS)
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
            c,
            LetterKind.UPDATE,
            actor=actor,
            extra={"progress": progress, "next_steps": next_steps, "timeframe": timeframe},
        )
        refresh_next_deadline(c)
    return c


def record_contact(
    *, complaint: Complaint, actor: Any, channel: str, summary: str, is_update: bool = True
) -> Complaint:
    """CMP-14: a phone call or other contact goes on the timeline; an update by phone counts (CMP-5)."""
    _require_staff(actor, HANDLERS)
    _require_text(summary, "summary")
    if channel not in Channel.values:
        raise ValidationError({"channel": [_("Unknown channel.")]})
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
        refresh_next_deadline(c)
    return c


def _update_sent(c: Complaint, now: dt.datetime) -> None:
    c.last_update_sent_at = now
    c.save(update_fields=["last_update_sent_at"])
    _meet(c, [DeadlineKind.UPDATE], now)
    if c.state != S.RESOLUTION_PROPOSED:
        _start(c, DeadlineKind.UPDATE, deadline(c.customer.market, now, business_days=5), now)


def propose_resolution(*, complaint: Complaint, actor: Any, resolution: str) -> Complaint:
    """CMP-8: propose a resolution and ask the customer to confirm; silence for 5 business days closes it."""
    _require_staff(actor, HANDLERS)
    _require_text(resolution, "resolution")
    with transaction.atomic():
        c = _locked(complaint)
        _require_state(
            c,
            [S.ACKNOWLEDGED, S.IN_REVIEW, S.WITH_SUPERVISOR, S.WITH_ENGINEERING, S.ESCALATED],
            _("propose a resolution for"),
        )
        if c.state == S.ESCALATED and not _is_staff(actor, [StaffRole.DIRECTOR]):
            raise PermissionDenied(
                _("Only the Director of Customer Service decides an escalated complaint.")
            )
        _propose(c, actor, resolution, LetterKind.PROPOSED_RESOLUTION)
    return c


def _propose(c: Complaint, actor: Any, resolution: str, letter: str) -> None:
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
    send_letter(c, letter, actor=actor)
    refresh_next_deadline(c)


def confirm_resolution(*, complaint: Complaint, actor: Any) -> Complaint:
    """CMP-8: the customer confirms the proposed resolution; the complaint is closed."""
    _require_customer_or_staff(actor, complaint.customer, AGENTS)
    with transaction.atomic():
        c = _locked(complaint)
        _require_state(c, [S.RESOLUTION_PROPOSED], _("confirm"))
        _close(c, actor, CloseReason.CONFIRMED, clock.now())
    return c


def reject_resolution(*, complaint: Complaint, actor: Any, reason: str) -> Complaint:
    """The customer is not satisfied with the proposal: CMP-9, it goes to the Director."""
    _require_customer_or_staff(actor, complaint.customer, AGENTS)
    _require_text(reason, "reason")
    with transaction.atomic():
        c = _locked(complaint)
        _require_state(c, [S.RESOLUTION_PROPOSED], _("reject the resolution of"))
        now = clock.now()
        _cancel_running(c, now, [DeadlineKind.AUTO_CLOSE])
        _event(c, "complaint_resolution_rejected", actor, data={"reason": reason})
        _escalate(c, actor=actor, reason=EscalationReason.CUSTOMER_UNHAPPY, now=now)
        refresh_next_deadline(c)
    return c


def _close(c: Complaint, actor: Any, reason: str, now: dt.datetime) -> None:
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
    send_letter(c, LetterKind.OUTCOME, actor=actor)
    refresh_next_deadline(c)


def escalate(*, complaint: Complaint, actor: Any, reason: str, note: str = "") -> Complaint:
    """CMP-9 / CMP-10: to the Director of Customer Service, who decides within 5 days."""
    if reason not in EscalationReason.values:
        raise ValidationError(
            {"reason": [_("Choose one of: %s") % ", ".join(EscalationReason.values)]}
        )
    if reason == EscalationReason.CUSTOMER_UNHAPPY:
        _require_customer_or_staff(actor, complaint.customer, AGENTS)
    else:
        _require_staff(actor, AGENTS)
    with transaction.atomic():
        c = _locked(complaint)
        _require_state(c, [s for s in S.open_states() if s != S.ESCALATED], _("escalate"))
        _escalate(c, actor=actor, reason=reason, now=clock.now(), note=note)
        refresh_next_deadline(c)
    return c


def _escalate(c: Complaint, *, actor: Any, reason: str, now: dt.datetime, note: str = "") -> None:
    before = _transition(c, S.ESCALATED)
    c.escalated_at, c.escalation_reason = now, reason
    c.save(update_fields=["state", "escalated_at", "escalation_reason"])
    _start(c, DeadlineKind.DIRECTOR, deadline(c.customer.market, now, days=5), now)
    _event(c, "complaint_escalated", actor, before=before, data={"reason": reason, "note": note})


def director_decide(*, complaint: Complaint, actor: Any, decision: str) -> Complaint:
    """CMP-9: the Director's decision, sent to the customer, who confirms it or not (CMP-8)."""
    _require_staff(actor, [StaffRole.DIRECTOR])
    _require_text(decision, "decision")
    with transaction.atomic():
        c = _locked(complaint)
        _require_state(c, [S.ESCALATED], _("decide"))
        _propose(c, actor, decision, LetterKind.DIRECTOR_DECISION)
    return c


def record_ground(
    *,
    complaint: Complaint,
    actor: Any,
    vexatious: bool | None = None,
    out_of_jurisdiction: bool | None = None,
) -> Complaint:
    """Record that a complaint is vexatious or outside the ADR scheme's jurisdiction (CMP-11, CMP-12)."""
    _require_staff(actor, SUPERVISORS)
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


def request_deadlock_letter(*, complaint: Complaint, actor: Any, refusal: str = "") -> Complaint:
    """CMP-11: a deadlock letter on request, unless a refusal ground applies and is recorded.

    A vexatious or out-of-jurisdiction complaint is refused on that ground;
    staff may record the ground that it will be resolved in a timely manner.
    """
    _require_customer_or_staff(actor, complaint.customer, SUPERVISORS)
    if refusal and refusal not in DeadlockRefusal.values:
        raise ValidationError(
            {"refusal": [_("Choose one of: %s") % ", ".join(DeadlockRefusal.values)]}
        )
    if refusal and not _is_staff(actor, SUPERVISORS):
        raise PermissionDenied(_("Only a supervisor or the Director can refuse a deadlock letter."))
    with transaction.atomic():
        c = _locked(complaint)
        if c.deadlock_letter_at is not None:
            raise ActionRefused({"complaint": [_("A deadlock letter was already sent.")]})
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
            send_letter(c, LetterKind.DEADLOCK_REFUSED, actor=actor)
        else:
            _send_deadlock(c, actor, requested=True)
    return c


def declare_deadlock(*, complaint: Complaint, actor: Any) -> Complaint:
    """CMP-12 (D): on deadlock the letter, with the right to ADR, goes without being asked."""
    _require_staff(actor, SUPERVISORS)
    with transaction.atomic():
        c = _locked(complaint)
        _require_state(c, S.open_states(), _("declare deadlock on"))
        if c.deadlock_letter_at is not None:
            raise ActionRefused({"complaint": [_("A deadlock letter was already sent.")]})
        _send_deadlock(c, actor, requested=False)
    return c


def _send_deadlock(c: Complaint, actor: Any, *, requested: bool) -> None:
    c.deadlock_letter_at = clock.now()
    c.save(update_fields=["deadlock_letter_at"])
    _event(c, "deadlock_letter_sent", actor, data={"requested": requested})
    send_letter(c, LetterKind.DEADLOCK, actor=actor)


def _require_text(value: str, field: str) -> None:
    if not (value or "").strip():
        raise ValidationError({field: [_("This field is required.")]})


def is_customer_person(actor: Any) -> bool:
    return (
        bool(getattr(actor, "customer_id", None))
        and getattr(actor, "customer_role", "") in CustomerRole.values
    )
