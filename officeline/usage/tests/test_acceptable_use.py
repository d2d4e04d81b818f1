"""Acceptable use: the signals (AUP-1), the prohibited-use patterns (AUP-3), the review case (AUP-2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from officeline import clock
from officeline.accounts.choices import StaffRole
from officeline.accounts.tests.factories import (
    OfficeManagerFactory,
    OperatorMarketFactory,
    staff_with_totp,
)
from officeline.events.models import Event
from officeline.notifications.models import OutboxMessage
from officeline.usage import acceptable_use as rules
from officeline.usage import line_plans
from officeline.usage.acceptable_use import DEFAULTS, DayUse, PeriodUse
from officeline.usage.choices import CaseKind, CaseStatus, UseSignal
from officeline.usage.models import CallRecord, UseReviewCase
from officeline.usage.services import reviews
from officeline.usage.tests.factories import (
    DEADLINES,
    LONDON,
    add_calls,
    call_record,
    open_review_case,
    review_setup,
    tick_at,
)

DAY = dt.date(2026, 11, 25)


def t(**overrides: int) -> rules.Thresholds:
    values = {k.removeprefix("aup_"): v for k, v in DEFAULTS.items()}
    return rules.Thresholds(**{**values, **overrides})


def period(**fields: int) -> PeriodUse:
    values = {"answered": 0, "short": 0, "seconds": 0, "destinations": 0, **fields}
    return PeriodUse(first_day=DAY, last_day=DAY, **values)


def row(at: dt.datetime, *, to="+441632960001", seconds=60, answered=True, **fields):
    """A call record as the review reads it (``values()``)."""
    return {
        "line_id": 1,
        "direction": "outbound",
        "to_number": to,
        "destination_type": "national",
        "started_at": at,
        "answered_at": at if answered else None,
        "ended_at": at + dt.timedelta(seconds=seconds),
        "duration_seconds": seconds if answered else 0,
        "disposition": "answered" if answered else "no_answer",
        **fields,
    }


def day_use(rows) -> DayUse:
    uses = rules.day_uses(rows, tz=LONDON, short_seconds=10, now=AT + dt.timedelta(days=1))
    return uses[(1, DAY)] if uses else DayUse(day=DAY)


AT = dt.datetime(2026, 11, 25, 9, 0, tzinfo=LONDON)


# --- each signal fires above its threshold, never at it --------------------------------


def test_aup1_short_calls_above_the_share_with_enough_answeredadd_calls():
    """AUP-1: no continuous conversation: more than 50 % of at least 100 answered calls short."""
    th = t()
    assert rules.short_calls_signal(period(answered=100, short=50), th) is None  # at 50 %
    signal = rules.short_calls_signal(period(answered=100, short=51), th)
    assert signal is not None and signal.rule == "AUP-1" and signal.code == UseSignal.SHORT_CALLS
    assert (signal.value, signal.threshold) == (51, 50)
    assert rules.short_calls_signal(period(answered=99, short=99), th) is None  # too few calls


def test_aup1_5000_minutes_or_more_in_the_service_period():
    """AUP-1: 5,000 or more minutes per line in a monthly service period (configurable)."""
    th = t()
    assert rules.minutes_signal(period(seconds=5000 * 60 - 1), th) is None
    signal = rules.minutes_signal(period(seconds=5000 * 60), th)
    assert signal is not None and (signal.value, signal.threshold, signal.rule) == (
        5000,
        5000,
        "AUP-1",
    )


def test_aup1_excessive_destinations_and_calls_per_day():
    th = t(destinations_per_period=10, calls_per_day=10)
    assert rules.destinations_signal(period(destinations=10), th) is None
    assert rules.destinations_signal(period(destinations=11), th).rule == "AUP-1"
    ten = [row(AT + dt.timedelta(minutes=i)) for i in range(10)]
    assert rules.calls_per_day_signal(day_use(ten), th) is None
    eleven = day_use([*ten, row(AT + dt.timedelta(minutes=30))])
    assert rules.calls_per_day_signal(eleven, th).value == 11


def _dialler(calls: int, *, answered_every: int = 0) -> DayUse:
    return day_use(
        [
            row(
                AT + dt.timedelta(seconds=50 * i),
                to=f"+4416329{60000 + i}",
                answered=bool(answered_every) and i % answered_every == 0,
            )
            for i in range(calls)
        ]
    )


def test_aup3_auto_dialling_many_unanswered_calls_to_sequential_numbers_in_an_hour():
    """AUP-3: more than 60 calls in an hour, most unanswered, to different (sequential) numbers."""
    th = t()
    assert rules.auto_dialling_signal(_dialler(60), th) is None  # at the rate
    signal = rules.auto_dialling_signal(_dialler(61), th)
    assert signal is not None and signal.rule == "AUP-3" and signal.value == 61
    assert signal.detail["sequential"] == 60
    # Answered, real conversations at that rate are not a dialler's.
    assert rules.auto_dialling_signal(_dialler(61, answered_every=1), th) is None


def test_aup3_trunking_more_calls_at_once_than_an_office_line_carries():
    """AUP-3: more than 4 calls in conversation at the same time on one line."""
    th = t()
    four = [row(AT, to=f"+44163296000{i}", seconds=600) for i in range(4)]
    assert rules.trunking_signal(day_use(four), th) is None
    # One more, while the others go on; a call that ended before does not add up.
    five = [*four, row(AT + dt.timedelta(minutes=5), direction="inbound", to="+442079460000")]
    assert rules.trunking_signal(day_use(five), th).value == 5
    after = [*four, row(AT + dt.timedelta(minutes=11))]
    assert rules.trunking_signal(day_use(after), th) is None


def test_aup1_aup3_an_emergency_call_never_counts():
    th = t(calls_per_day=1, simultaneous_calls=1)
    emergency = [
        row(AT, to="999", destination_type="emergency", seconds=600),
        row(AT, to="112", destination_type="emergency", seconds=600),
    ]
    use = day_use([row(AT), *emergency])
    assert (use.calls, use.seconds, len(use.destinations)) == (1, 60, 1)
    assert rules.day_signals(use, th) == []


# --- the daily review and the case (database) -----------------------------------------


@pytest.mark.django_db
def test_aup2_a_signal_opens_one_case_per_line_with_evidence_email_and_deadline_uk(test_clock):
    """AUP-1 above the threshold opens an AUP-2 case: evidence, a notice by email, the deadline
    14 calendar days after the day it opened (end of that day, London); a second tick and a
    second signal open nothing more."""
    line, _manager, tz = review_setup(test_clock, "uk")
    tick_at(test_clock, dt.datetime(2026, 11, 25, 9, 0, tzinfo=tz))  # the review starts
    add_calls(line, dt.datetime(2026, 11, 25, 9, 0, tzinfo=tz), 5)  # at the threshold
    add_calls(line, dt.datetime(2026, 11, 25, 10, 0, tzinfo=tz), 3, destination_type="emergency")
    assert tick_at(test_clock, dt.datetime(2026, 11, 26, 9, 0, tzinfo=tz)) == {
        "usage.use_review": 0
    }
    add_calls(line, dt.datetime(2026, 11, 26, 9, 0, tzinfo=tz), 6)  # above it
    assert tick_at(test_clock, dt.datetime(2026, 11, 27, 9, 0, tzinfo=tz))["usage.use_review"] == 1
    case = UseReviewCase.objects.get()
    assert case.kind == CaseKind.ABNORMAL_USE and case.status == CaseStatus.OPEN
    assert [(s["code"], s["rule"], s["value"], s["threshold"]) for s in case.signals] == [
        ("calls_per_day", "AUP-1", 6, 5)
    ]
    assert (case.first_day, case.last_day) == (dt.date(2026, 11, 26), dt.date(2026, 11, 26))
    assert len(case.sample_calls) == 6
    assert case.respond_by == dt.datetime(2026, 12, 11, 23, 59, 59, 999999, tzinfo=tz)
    email = OutboxMessage.objects.get(customer=line.customer, kind="accounts.notice_to_customer")
    assert line.number.e164 in email.subject and "6 calls in one day" in email.body_text
    assert "Dec. 11, 2026" in email.body_text
    # The same day again, and the next day's signal: no second case, no second email.
    add_calls(line, dt.datetime(2026, 11, 27, 9, 0, tzinfo=tz), 7)
    assert tick_at(test_clock, dt.datetime(2026, 11, 27, 18, 0, tzinfo=tz))["usage.use_review"] == 0
    assert tick_at(test_clock, dt.datetime(2026, 11, 28, 9, 0, tzinfo=tz))["usage.use_review"] == 0
    case.refresh_from_db()
    assert UseReviewCase.objects.count() == 1 and len(case.signals) == 2
    assert case.last_day == dt.date(2026, 11, 27)
    assert OutboxMessage.objects.filter(customer=line.customer).count() == 1
    assert Event.objects.filter(action="usage.use_reviewed", data__market="uk").count() == 4


@pytest.mark.django_db
def test_aup2_aup3_french_notice_and_the_paris_deadline(test_clock):
    """AUP-3 patterns open a case of the prohibited-use kind; the customer's notice is French."""
    line, _manager, tz = review_setup(test_clock, "fr", calls_per_day=1000)
    tick_at(test_clock, dt.datetime(2026, 11, 25, 9, 0, tzinfo=tz))
    CallRecord.objects.bulk_create(
        [
            call_record(line, dt.datetime(2026, 11, 25, 14, 0, tzinfo=tz) + dt.timedelta(seconds=i),
                  to=f"+3319900{i:04d}", seconds=1800)
            for i in range(5)
        ]
    )  # fmt: skip
    tick_at(test_clock, dt.datetime(2026, 11, 26, 9, 0, tzinfo=tz))
    case = UseReviewCase.objects.get()
    assert case.kind == CaseKind.PROHIBITED_USE
    assert [(s["code"], s["rule"]) for s in case.signals] == [("trunking", "AUP-3")]
    assert case.respond_by == dt.datetime(2026, 12, 10, 23, 59, 59, 999999, tzinfo=tz)
    email = OutboxMessage.objects.get(customer=line.customer)
    assert email.language == "fr"
    assert email.subject.endswith(f"Examen de l'utilisation de votre ligne {line.number.e164}")
    assert "10 décembre 2026" in email.body_text and "appels en même temps" in email.body_text


@pytest.mark.django_db
def test_aup2_answered_but_still_abnormal_goes_for_decision(test_clock):
    case, manager, tz = open_review_case(test_clock)
    reviews.respond_to_case(case=case, actor=manager, text="We will stop.", now=clock.now())
    add_calls(case.line, dt.datetime(2026, 12, 3, 9, 0, tzinfo=tz), 6)  # again above 5 a day
    tick_at(test_clock, dt.datetime(2026, 12, 11, 0, 5, tzinfo=tz), only=DEADLINES)
    case.refresh_from_db()
    assert case.status == CaseStatus.FOR_DECISION
    assert case.decision_reason == "the use did not return to normal"


@pytest.mark.django_db
def test_aup2_only_deciders_close_a_case_and_a_note_is_needed(test_clock):
    case, _manager, _tz = open_review_case(test_clock)
    agent = staff_with_totp(staff_role=StaffRole.AGENT)
    with pytest.raises(PermissionDenied):
        reviews.close_as_remedied(case=case, actor=agent, note="ok", now=clock.now())
    director = staff_with_totp(staff_role=StaffRole.DIRECTOR)
    with pytest.raises(ValidationError) as error:
        reviews.close_as_remedied(case=case, actor=director, note=" ", now=clock.now())
    assert "note" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        reviews.respond_to_case(case=case, actor=director, text="Hello", now=clock.now())
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.response == ""
    reviews.close_as_remedied(case=case, actor=director, note="A one-off event", now=clock.now())
    case.refresh_from_db()
    assert case.status == CaseStatus.REMEDIED and case.closed_by == director
    assert OutboxMessage.objects.filter(customer=case.customer).count() == 2


@pytest.mark.django_db
def test_aup1_minutes_parameter_and_the_console_case_page_in_french(test_clock, client):
    """The 5,000 minutes are a market parameter; the staff case page exists in French and links
    to the termination with the case's days (AUP-4)."""
    OperatorMarketFactory(market="uk", parameters={"aup_monthly_minutes": 30})
    assert rules.thresholds("uk").monthly_minutes == 30
    line, _manager, tz = review_setup(test_clock, "uk", calls_per_day=1000)
    tick_at(test_clock, dt.datetime(2026, 11, 25, 9, 0, tzinfo=tz))
    add_calls(line, dt.datetime(2026, 11, 25, 9, 0, tzinfo=tz), 1, seconds=30 * 60)
    tick_at(test_clock, dt.datetime(2026, 11, 26, 9, 0, tzinfo=tz))
    case = UseReviewCase.objects.get()
    assert [(s["code"], s["value"]) for s in case.signals] == [("minutes", 30)]
    client.force_login(staff_with_totp(staff_role=StaffRole.SUPERVISOR, language="fr"))
    page = client.get(f"/fr/console/acceptable-use/{case.pk}/").content.decode()
    assert "anormal à partir de 30" in page and "Clore comme corrigé" in page
    # The minutes count from the start of the service period (the calendar month before billing).
    assert "abnormal_periods=2026-11-01%20to%202026-11-25" in page
    listing = client.get("/fr/console/acceptable-use/").content.decode()
    assert line.number.e164 in listing


@pytest.mark.django_db
def test_aup2_a_member_reads_the_review_but_only_the_office_manager_answers(test_clock, client):
    case, _manager, _tz = open_review_case(test_clock)
    member = OfficeManagerFactory(customer=case.customer, customer_role="member")
    client.force_login(member)
    url = f"/acceptable-use/{case.pk}/"
    page = client.get(url).content.decode()
    assert "6 calls in one day" in page and "The Office Manager of your business" in page
    response = client.post(url, {"response": "Hello"})
    assert response.status_code == 400 and "Only the Office Manager" in response.content.decode()
    case.refresh_from_db()
    assert case.responded_at is None
    # Another business's Office Manager does not find it.
    client.force_login(OfficeManagerFactory())
    assert client.get(url).status_code == 404
    assert client.get("/acceptable-use/").status_code == 200


@pytest.mark.django_db
def test_aup1_a_period_signal_is_raised_once_a_remedied_case_stays_closed(test_clock, client):
    """The minutes of a period raise one signal: a case closed as remedied is not reopened by
    the same period's minutes the next day, but a new day's excessive calls open a new one."""
    OperatorMarketFactory(
        market="uk", parameters={"aup_monthly_minutes": 30, "aup_calls_per_day": 5}
    )
    line, _manager, tz = review_setup(test_clock, "uk")
    tick_at(test_clock, dt.datetime(2026, 11, 25, 9, 0, tzinfo=tz))
    add_calls(line, dt.datetime(2026, 11, 25, 9, 0, tzinfo=tz), 1, seconds=30 * 60)
    tick_at(test_clock, dt.datetime(2026, 11, 26, 9, 0, tzinfo=tz))
    director = staff_with_totp(staff_role=StaffRole.DIRECTOR)
    first = UseReviewCase.objects.get()
    reviews.close_as_remedied(case=first, actor=director, note="Known event", now=clock.now())
    add_calls(line, dt.datetime(2026, 11, 26, 9, 0, tzinfo=tz), 2, seconds=600)  # still above
    tick_at(test_clock, dt.datetime(2026, 11, 27, 9, 0, tzinfo=tz))
    assert UseReviewCase.objects.count() == 1
    add_calls(line, dt.datetime(2026, 11, 27, 9, 0, tzinfo=tz), 6)
    tick_at(test_clock, dt.datetime(2026, 11, 28, 9, 0, tzinfo=tz))
    second = UseReviewCase.objects.exclude(pk=first.pk).get()
    assert [s["code"] for s in second.signals] == ["calls_per_day"]
    client.force_login(director)
    page = client.get(f"/console/customers/{line.customer_id}/acceptable-use/").content.decode()
    assert f"/console/acceptable-use/{first.pk}/" in page and "Closed as remedied" in page


# --- barred and limited attempts (toll fraud) ------------------------------------------

BARRED = "Premium-rate numbers are barred on this line"


def test_aup1_calls_refused_by_the_barring_or_the_limits_above_the_threshold():
    """AUP-1, unusual call patterns: more than 10 calls in a day refused by the line's call
    barring or call limits; other refusals (a suspended line, a busy callee) do not count."""
    th = t()
    refused = {"answered": False, "disposition": "refused", "sip_reason": BARRED}
    ten = [row(AT + dt.timedelta(minutes=i), to="+449065551234", **refused) for i in range(10)]
    others = [row(AT, answered=False, disposition="refused", sip_reason="Line suspended")] * 5
    assert rules.barred_attempts_signal(day_use([*ten, *others]), th) is None
    limited = {**refused, "sip_reason": "Too many calls in progress on this line"}
    signal = rules.barred_attempts_signal(day_use([*ten, row(AT, **limited)]), th)
    assert (signal.code, signal.rule, signal.value, signal.threshold) == (
        UseSignal.BARRED_ATTEMPTS,
        "AUP-1",
        11,
        10,
    )
    assert signal in rules.day_signals(day_use([*ten, row(AT, **limited)]), th)


@pytest.mark.django_db
def test_aup2_repeated_barred_attempts_open_a_review_case(test_clock):
    line, _manager, tz = review_setup(test_clock, "uk", calls_per_day=1000)
    OperatorMarketFactory._meta.model.objects.filter(market="uk").update(
        parameters={"aup_calls_per_day": 1000, "aup_barred_attempts_per_day": 3}
    )
    tick_at(test_clock, dt.datetime(2026, 11, 25, 9, 0, tzinfo=tz))  # the review starts
    refused = {
        "answered_at": None,
        "ended_at": None,
        "duration_seconds": 0,
        "disposition": "refused",
        "sip_code": 403,
        "sip_reason": "International calls are barred on this line",
        "destination_type": "international",
    }
    add_calls(line, dt.datetime(2026, 11, 26, 2, 0, tzinfo=tz), 4, to="+881631234567", **refused)
    assert tick_at(test_clock, dt.datetime(2026, 11, 27, 9, 0, tzinfo=tz))["usage.use_review"] == 1
    case = UseReviewCase.objects.get()
    assert [(s["code"], s["rule"], s["value"], s["threshold"]) for s in case.signals] == [
        ("barred_attempts", "AUP-1", 4, 3)
    ]


def test_aup1_a_line_whose_billing_has_not_started_counts_the_calendar_month():
    """The review's service period without billing's (``line_plans``' default)."""
    month = (dt.date(2026, 11, 1), dt.date(2026, 12, 1))
    assert line_plans.calendar_months(line_ids={1, 2}, day=DAY) == {1: month, 2: month}
