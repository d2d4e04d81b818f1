"""The complaints code walked with the test clock, across weekends and public holidays."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from officeline.accounts.choices import PreferredFormat
from officeline.events.models import Event
from officeline.notifications.models import OutboxMessage
from officeline.support.choices import (
    CloseReason,
    ComplaintState,
    DeadlineKind,
    DeliveryStatus,
    LetterKind,
)
from officeline.support.models import Complaint, Letter
from officeline.support.services import complaints, tickets
from officeline.support.tests.factories import agent, complaint, director, manager, supervisor

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def due(c: Complaint, kind: str) -> str:
    """The stored deadline, read in the market's local time."""
    moment = c.deadlines.filter(kind=kind).order_by("-started_at", "-id").first().due_at
    return moment.astimezone(c.customer.market_definition.tz).isoformat()


def running(c: Complaint, kind: str) -> bool:
    return c.deadlines.filter(
        kind=kind, met_at__isnull=True, breached_at__isnull=True, cancelled_at__isnull=True
    ).exists()


def letters(c: Complaint) -> list[str]:
    return list(Letter.objects.filter(complaint=c).values_list("kind", flat=True))


def test_cmp3_cmp4_cmp5_cmp6_deadlines_over_christmas_uk(test_clock):
    """CMP-3, CMP-4, CMP-5, CMP-6: deadlines over christmas uk.

    Received on Christmas Eve: acknowledged and reviewed by Tuesday 29 December (25th, 26th->28th are
    bank holidays); first update by 5 January 2027 (1 January too); resolved by 18 February 2027."""
    test_clock.set(dt.datetime(2026, 12, 24, 16, 30, tzinfo=UTC))
    c = complaint(manager())
    assert due(c, DeadlineKind.ACKNOWLEDGE) == "2026-12-29T23:59:59.999999+00:00"
    assert due(c, DeadlineKind.REVIEW) == "2026-12-29T23:59:59.999999+00:00"
    assert due(c, DeadlineKind.UPDATE) == "2027-01-05T23:59:59.999999+00:00"
    assert due(c, DeadlineKind.RESOLVE) == "2027-02-18T23:59:59.999999+00:00"
    assert c.next_deadline_at.astimezone(UTC).isoformat() == "2026-12-29T23:59:59.999999+00:00"


def test_cmp3_received_on_saturday_is_acknowledged_by_monday(test_clock):
    """CMP-3: received on saturday is acknowledged by monday."""
    test_clock.set(dt.datetime(2026, 11, 28, 3, 0, tzinfo=UTC))
    assert due(complaint(manager()), DeadlineKind.ACKNOWLEDGE) == "2026-11-30T23:59:59.999999+00:00"


def test_cmp3_uk_easter(test_clock):
    """CMP-3: uk easter."""
    # Good Friday 3 April and Easter Monday 6 April 2026.
    test_clock.set(dt.datetime(2026, 4, 2, 14, 0, tzinfo=UTC))
    assert due(complaint(manager()), DeadlineKind.ACKNOWLEDGE) == "2026-04-07T23:59:59.999999+01:00"


def test_cmp3_uk_substitute_bank_holiday(test_clock):
    """CMP-3: uk substitute bank holiday."""
    # Christmas 2027 falls on a Saturday: the substitute days are Monday 27 and Tuesday 28.
    test_clock.set(dt.datetime(2027, 12, 24, 12, 0, tzinfo=UTC))
    assert due(complaint(manager()), DeadlineKind.ACKNOWLEDGE) == "2027-12-29T23:59:59.999999+00:00"


def test_cmp3_fr_ascension_and_whit_monday(test_clock):
    """CMP-3: fr ascension and whit monday."""
    test_clock.set(dt.datetime(2026, 5, 13, 9, 0, tzinfo=UTC))
    user = manager("fr")
    assert due(complaint(user), DeadlineKind.ACKNOWLEDGE) == "2026-05-15T23:59:59.999999+02:00"
    test_clock.set(dt.datetime(2026, 5, 22, 9, 0, tzinfo=UTC))
    assert (
        due(complaint(user, subject="Autre chose", category="billing"), DeadlineKind.ACKNOWLEDGE)
        == "2026-05-26T23:59:59.999999+02:00"
    )


def test_info4_ticket_at_any_hour_gets_an_immediate_receipt(test_clock):
    """INFO-4: raised on a Sunday at 3am, the receipt is written at once."""
    test_clock.set(dt.datetime(2026, 11, 29, 3, 0, tzinfo=UTC))
    user = manager()
    c = complaint(user)
    receipt = OutboxMessage.objects.get(kind="support.ticket_receipt")
    assert receipt.to == user.customer.email and c.ticket.reference in receipt.subject
    assert "complaints_code" in receipt.body_text and receipt.queued_at == test_clock.now()


def test_cmp3_a_missed_acknowledgement_is_a_breach_on_the_queue(test_clock):
    """CMP-3: a missed acknowledgement is a breach on the queue."""
    c = complaint(manager())  # Wednesday 25 November: acknowledge by Thursday 26th
    test_clock.advance(dt.timedelta(days=1, hours=13))  # Thursday 23:00 UTC: still in time
    assert not c.deadlines.filter(kind=DeadlineKind.ACKNOWLEDGE, breached_at__isnull=False).exists()
    test_clock.advance(dt.timedelta(hours=2))  # Friday 01:00
    breach = c.deadlines.get(kind=DeadlineKind.ACKNOWLEDGE)
    assert breach.breached_at is not None
    assert (
        Event.objects.filter(
            action="support.deadline_breached", data__deadline="acknowledge"
        ).count()
        == 1
    )
    test_clock.advance(dt.timedelta(hours=1))  # a second tick does nothing twice
    assert (
        Event.objects.filter(
            action="support.deadline_breached", data__deadline="acknowledge"
        ).count()
        == 1
    )


def test_cmp3_acknowledging_in_time_meets_the_deadline_and_writes(test_clock):
    """CMP-3: acknowledging in time meets the deadline and writes."""
    c = complaints.acknowledge(complaint=complaint(manager()), actor=agent())
    assert c.state == ComplaintState.ACKNOWLEDGED
    assert c.deadlines.get(kind=DeadlineKind.ACKNOWLEDGE).met_at == test_clock.now()
    assert letters(c) == [LetterKind.ACKNOWLEDGEMENT]


def test_cmp5_each_update_moves_the_next_one_five_business_days_on(test_clock):
    """CMP-5: each update moves the next one five business days on."""
    c = complaint(manager())
    staff = agent()
    complaints.acknowledge(complaint=c, actor=staff)
    assert due(c, DeadlineKind.UPDATE) == "2026-12-02T23:59:59.999999+00:00"
    test_clock.advance(dt.timedelta(days=2))  # Friday 27th
    complaints.send_update(
        complaint=c,
        actor=staff,
        progress="Traced",
        next_steps="Replace the router",
        timeframe="Next week",
    )
    assert due(c, DeadlineKind.UPDATE) == "2026-12-04T23:59:59.999999+00:00"
    test_clock.advance(dt.timedelta(days=10))  # no update for too long
    assert c.deadlines.filter(kind=DeadlineKind.UPDATE, breached_at__isnull=False).count() == 1


def test_cmp5_a_phone_update_recorded_by_staff_counts(test_clock):
    """CMP-5: a phone update recorded by staff counts."""
    c = complaint(manager())
    complaints.record_contact(
        complaint=c, actor=agent(), channel="phone", summary="Called, explained progress"
    )
    assert c.deadlines.filter(kind=DeadlineKind.UPDATE, met_at__isnull=False).exists()
    assert running(c, DeadlineKind.UPDATE)


def test_cmp2_resolved_at_first_contact_is_closed_with_its_outcome(test_clock):
    """CMP-2: resolved at first contact is closed with its outcome."""
    c = complaints.resolve_at_first_contact(
        complaint=complaint(manager()), actor=agent(), outcome="Reset the voicemail PIN."
    )
    assert (c.state, c.close_reason, c.outcome) == (
        ComplaintState.CLOSED,
        CloseReason.FIRST_CONTACT,
        "Reset the voicemail PIN.",
    )
    assert letters(c) == [LetterKind.OUTCOME]
    assert not c.deadlines.filter(
        met_at__isnull=True, breached_at__isnull=True, cancelled_at__isnull=True
    ).exists()


def test_cmp4_technical_complaints_go_to_engineering_with_a_5_business_day_target(test_clock):
    """CMP-4: technical complaints go to engineering with a 5 business day target."""
    c = complaint(manager())
    complaints.start_review(complaint=c, actor=agent())
    test_clock.advance(dt.timedelta(days=2))  # Friday 27 November
    c = complaints.refer_to_engineering(complaint=c, actor=agent(), carrier=True)
    assert c.state == ComplaintState.WITH_ENGINEERING
    assert due(c, DeadlineKind.ENGINEERING) == "2026-12-04T23:59:59.999999+00:00"


def test_cmp4_the_representative_can_refer_to_a_supervisor(test_clock):
    """CMP-4: the representative can refer to a supervisor."""
    c = complaint(manager())
    complaints.start_review(complaint=c, actor=agent())
    assert (
        complaints.refer_to_supervisor(complaint=c, actor=agent()).state
        == ComplaintState.WITH_SUPERVISOR
    )


def test_cmp8_no_reply_for_5_business_days_closes_as_resolved(test_clock):
    """CMP-8: no reply for 5 business days closes as resolved."""
    user = manager()
    c = complaint(user)
    complaints.acknowledge(complaint=c, actor=agent())
    c = complaints.propose_resolution(
        complaint=c, actor=agent(), resolution="We replaced the handset."
    )
    assert due(c, DeadlineKind.AUTO_CLOSE) == "2026-12-02T23:59:59.999999+00:00"
    test_clock.advance(dt.timedelta(days=7, hours=12))  # Wednesday 2 December, 22:00
    c.refresh_from_db()
    assert c.state == ComplaintState.RESOLUTION_PROPOSED
    test_clock.advance(dt.timedelta(hours=3))
    c.refresh_from_db()
    assert (c.state, c.close_reason) == (ComplaintState.CLOSED, CloseReason.AUTO_CLOSED)
    assert letters(c)[-1] == LetterKind.OUTCOME  # CMP-7: the outcome is always communicated


def test_cmp8_the_customer_confirms(test_clock):
    """CMP-8: the customer confirms."""
    user = manager()
    c = complaint(user)
    complaints.acknowledge(complaint=c, actor=agent())
    complaints.propose_resolution(complaint=c, actor=agent(), resolution="Refund of one month.")
    c = complaints.confirm_resolution(complaint=c, actor=user)
    assert (c.state, c.close_reason, c.outcome) == (
        ComplaintState.CLOSED,
        CloseReason.CONFIRMED,
        "Refund of one month.",
    )


def test_cmp9_unhappy_customer_escalates_and_the_director_decides_within_5_days(test_clock):
    """CMP-9: unhappy customer escalates and the director decides within 5 days."""
    user = manager()
    c = complaint(user)
    complaints.acknowledge(complaint=c, actor=agent())
    complaints.propose_resolution(complaint=c, actor=agent(), resolution="Nothing to do.")
    c = complaints.reject_resolution(complaint=c, actor=user, reason="The calls still drop.")
    assert c.state == ComplaintState.ESCALATED
    assert due(c, DeadlineKind.DIRECTOR) == "2026-11-30T23:59:59.999999+00:00"  # 5 calendar days
    with pytest.raises(PermissionDenied):
        complaints.director_decide(complaint=c, actor=supervisor(), decision="x")
    c = complaints.director_decide(
        complaint=c, actor=director(), decision="We will replace the line card."
    )
    assert c.deadlines.get(kind=DeadlineKind.DIRECTOR).met_at is not None
    assert letters(c)[-1] == LetterKind.DIRECTOR_DECISION


def test_cmp9_director_deadline_missed_is_a_breach(test_clock):
    """CMP-9: director deadline missed is a breach."""
    c = complaint(manager())
    complaints.escalate(complaint=c, actor=agent(), reason="cannot_resolve")
    test_clock.advance(dt.timedelta(days=6))
    assert c.deadlines.get(kind=DeadlineKind.DIRECTOR).breached_at is not None


def test_cmp10_repetition_is_detected_and_referred_straight_to_escalation(test_clock):
    """CMP-10: repetition is detected and referred straight to escalation."""
    user = manager()
    first = complaint(user, subject="No dial tone")
    complaints.resolve_at_first_contact(complaint=first, actor=agent(), outcome="Fixed")
    test_clock.advance(dt.timedelta(days=20))
    again = complaint(user, subject="No dial tone again")  # same category
    assert again.state == ComplaintState.ESCALATED and again.escalation_reason == "repetition"
    assert again.repeat_of == first
    other = complaint(manager(), subject="No dial tone")  # another customer: not a repetition
    assert other.state == ComplaintState.RECEIVED


def test_cmp10_significant_harm_can_go_straight_to_escalation(test_clock):
    """CMP-10: significant harm can go straight to escalation."""
    c = complaints.escalate(
        complaint=complaint(manager()), actor=agent(), reason="significant_harm"
    )
    assert c.state == ComplaintState.ESCALATED


def test_cmp11_deadlock_letter_on_request_states_the_right_to_adr(test_clock):
    """CMP-11: deadlock letter on request states the right to adr."""
    user = manager()
    c = complaints.request_deadlock_letter(complaint=complaint(user), actor=user)
    assert c.deadlock_letter_at == test_clock.now()
    assert letters(c)[-1] == LetterKind.DEADLOCK


def test_cmp11_refusal_needs_one_of_the_three_grounds(test_clock):
    """CMP-11: refusal needs one of the three grounds."""
    user = manager()
    c = complaint(user)
    with pytest.raises(ValidationError) as info:
        complaints.request_deadlock_letter(
            complaint=c, actor=supervisor(), refusal="we do not feel like it"
        )
    assert "refusal" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        complaints.request_deadlock_letter(complaint=c, actor=user, refusal="vexatious")
    c = complaints.request_deadlock_letter(
        complaint=c, actor=supervisor(), refusal="timely_resolution"
    )
    assert (c.deadlock_refusal, c.deadlock_letter_at) == ("timely_resolution", None)
    assert letters(c)[-1] == LetterKind.DEADLOCK_REFUSED


def test_cmp11_a_vexatious_complaint_is_refused_on_that_ground(test_clock):
    """CMP-11: a vexatious complaint is refused on that ground."""
    user = manager()
    c = complaints.record_ground(complaint=complaint(user), actor=supervisor(), vexatious=True)
    c = complaints.request_deadlock_letter(complaint=c, actor=user)
    assert c.deadlock_refusal == "vexatious" and c.deadlock_letter_at is None


def test_cmp12_deadlock_is_sent_without_being_asked(test_clock):
    """CMP-12: deadlock is sent without being asked."""
    c = complaints.declare_deadlock(complaint=complaint(manager()), actor=supervisor())
    assert letters(c) == [LetterKind.DEADLOCK]


def test_cmp12_adr_notice_at_8_weeks_unresolved_and_only_once(test_clock):
    """CMP-12: adr notice at 8 weeks unresolved and only once."""
    c = complaint(manager())
    complaints.acknowledge(complaint=c, actor=agent())
    test_clock.advance(dt.timedelta(weeks=8), step=dt.timedelta(days=1))  # 20 January 2027, 10:00
    c.refresh_from_db()
    assert c.adr_notice_at is None  # due at the end of that day
    test_clock.advance(dt.timedelta(days=1))
    c.refresh_from_db()
    assert c.adr_notice_at is not None and letters(c).count(LetterKind.ADR_NOTICE) == 1
    test_clock.advance(dt.timedelta(days=1))
    assert letters(c).count(LetterKind.ADR_NOTICE) == 1


@pytest.mark.parametrize("ground", ["vexatious", "out_of_jurisdiction"])
def test_cmp12_no_adr_notice_for_vexatious_or_out_of_jurisdiction(test_clock, ground):
    """CMP-12: no adr notice for vexatious or out of jurisdiction."""
    c = complaint(manager())
    complaints.record_ground(complaint=c, actor=supervisor(), **{ground: True})
    test_clock.advance(dt.timedelta(weeks=9), step=dt.timedelta(days=7))
    c.refresh_from_db()
    assert c.adr_notice_at is None and LetterKind.ADR_NOTICE not in letters(c)
    assert c.deadlines.get(kind=DeadlineKind.RESOLVE).breached_at is not None


def _letter_text(letter: Letter) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(BytesIO(bytes(letter.pdf))).pages
    )


def test_cmp13_adr_letter_names_the_scheme_for_ten_or_fewer_workers(test_clock):
    """CMP-13: adr letter names the scheme for ten or fewer workers."""
    c = complaints.declare_deadlock(
        complaint=complaint(manager(workers_count=10)), actor=supervisor()
    )
    text = _letter_text(Letter.objects.get(complaint=c))
    assert "Ombudsman Services" in text and "PO Box 730" in text


def test_cmp13_no_adr_for_more_than_ten_workers(test_clock):
    """CMP-13: no adr for more than ten workers."""
    c = complaints.declare_deadlock(
        complaint=complaint(manager(workers_count=11)), actor=supervisor()
    )
    text = _letter_text(Letter.objects.get(complaint=c))
    assert "ten or fewer employees" in text and "PO Box 730" not in text


def test_disp1_fr_micro_business_letters_name_the_tribunal_de_commerce(test_clock):
    """DISP-1: fr micro business letters name the tribunal de commerce."""
    c = complaints.declare_deadlock(
        complaint=complaint(manager("fr", workers_count=3)), actor=supervisor()
    )
    letter = Letter.objects.get(complaint=c)
    assert letter.language == "fr"
    assert "Tribunal de commerce de Paris" in _letter_text(letter)


def test_disp1_fr_other_businesses_go_to_jams_arbitration_after_60_days(test_clock):
    """DISP-1: fr other businesses go to jams arbitration after 60 days."""
    c = complaints.declare_deadlock(
        complaint=complaint(manager("fr", workers_count=40)), actor=supervisor()
    )
    text = _letter_text(Letter.objects.get(complaint=c))
    assert "JAMS" in text and "24 janvier 2027" in text


@pytest.mark.parametrize(
    ("fmt", "delivery"),
    [
        (PreferredFormat.EMAIL, DeliveryStatus.EMAILED),
        (PreferredFormat.LETTER, DeliveryStatus.TO_PRINT),
        (PreferredFormat.LARGE_PRINT, DeliveryStatus.TO_PRINT),
        (PreferredFormat.OTHER, DeliveryStatus.STAFF_TASK),
    ],
)
def test_cmp7_info3_outcomes_go_in_the_preferred_format(test_clock, fmt, delivery):
    """CMP-7, INFO-3: outcomes go in the preferred format."""
    user = manager(
        preferred_format=fmt, preferred_format_details="Braille" if fmt == "other" else ""
    )
    c = complaints.resolve_at_first_contact(
        complaint=complaint(user), actor=agent(), outcome="Done."
    )
    letter = Letter.objects.get(complaint=c, kind=LetterKind.OUTCOME)
    assert letter.delivery == delivery
    emailed = OutboxMessage.objects.filter(kind="support.letter.outcome").exists()
    assert emailed == (fmt == PreferredFormat.EMAIL)
    if fmt == PreferredFormat.OTHER:
        assert letter.staff_task == "Braille"


def test_info3_large_print_letters_use_bigger_type(test_clock):
    """INFO-3: large print letters use bigger type."""
    small = complaints.declare_deadlock(complaint=complaint(manager()), actor=supervisor())
    large = complaints.declare_deadlock(
        complaint=complaint(manager(preferred_format="large_print")), actor=supervisor()
    )
    from io import BytesIO

    from pypdf import PdfReader

    pages = [
        len(PdfReader(BytesIO(bytes(Letter.objects.get(complaint=c).pdf))).pages)
        for c in (small, large)
    ]
    assert pages[1] > pages[0]


def test_cmp1_staff_record_a_phone_complaint_by_an_authorised_representative(test_clock):
    """CMP-1: staff record a phone complaint by an authorised representative."""
    user = manager()
    ticket = tickets.raise_ticket(
        customer=user.customer,
        actor=agent(),
        subject="Line dead",
        description="Called by the carer.",
        category="technical",
        channel="phone",
        is_complaint=True,
        representative_name="Jo Carer",
        representative_authority="Power of attorney",
        representative_contact="+442079460777",
    )
    assert (
        ticket.complaint.state == ComplaintState.RECEIVED
        and ticket.representative_name == "Jo Carer"
    )
    with pytest.raises(ValidationError) as info:
        tickets.raise_ticket(
            customer=user.customer,
            actor=agent(),
            subject="x",
            description="y",
            category="technical",
            channel="phone",
            representative_name="Someone",
        )
    assert {"representative_authority", "representative_contact"} <= set(info.value.message_dict)
    with pytest.raises(ValidationError):
        tickets.raise_ticket(
            customer=user.customer,
            actor=user,
            subject="x",
            description="y",
            category="technical",
            channel="phone",
        )


def test_a_ticket_marked_as_a_complaint_later_keeps_its_first_receipt(test_clock):
    user = manager()
    ticket = tickets.raise_ticket(
        customer=user.customer,
        actor=user,
        subject="Invoice",
        description="Wrong amount",
        category="billing",
        channel="portal",
    )
    test_clock.advance(dt.timedelta(days=2))
    c = tickets.mark_as_complaint(ticket=ticket, actor=agent())
    assert c.received_at == ticket.raised_at
    assert due(c, DeadlineKind.ACKNOWLEDGE) == "2026-11-26T23:59:59.999999+00:00"
    with pytest.raises(ValidationError):
        tickets.mark_as_complaint(ticket=ticket, actor=agent())


def test_cmp14_the_timeline_holds_every_step_with_who_and_when(test_clock):
    """CMP-14: the timeline holds every step with who and when."""
    user = manager()
    staff = agent()
    c = complaint(user)
    complaints.acknowledge(complaint=c, actor=staff)
    complaints.record_contact(complaint=c, actor=staff, channel="phone", summary="Called back")
    complaints.propose_resolution(complaint=c, actor=staff, resolution="New handset")
    complaints.confirm_resolution(complaint=c, actor=user)
    events = Event.objects.filter(subject_type="support.complaint", subject_id=str(c.pk)).order_by(
        "id"
    )
    assert [e.action for e in events] == [
        "support.complaint_opened",
        "support.complaint_acknowledged",
        "support.complaint_contact",
        "support.complaint_resolution_proposed",
        "support.complaint_closed",
    ]
    assert [e.actor_label for e in events][1:4] == [staff.email] * 3
    assert all(e.occurred_at == test_clock.now() for e in events)


def test_actions_check_state_and_role(test_clock):
    user = manager()
    c = complaint(user)
    with pytest.raises(ValidationError) as info:
        complaints.confirm_resolution(complaint=c, actor=user)
    assert "state" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        complaints.acknowledge(complaint=c, actor=user)
    with pytest.raises(PermissionDenied):
        complaints.confirm_resolution(complaint=c, actor=manager())  # another customer
    with pytest.raises(ValidationError) as info:
        complaints.escalate(complaint=c, actor=agent(), reason="bored")
    assert "reason" in info.value.message_dict
