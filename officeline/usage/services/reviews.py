"""AUP-2: acceptable-use review cases, and the daily review that opens them (AUP-1, AUP-3).

The daily review (``review_usage``, a tick handler) costs each market's calls once a
day, one complete local day at a time from the day after the last one it costed, by
an indexed range of call start times; it adds each line's day to the line's monthly
service period so far (``LinePeriodUsage``, the period of the line's billing account,
read through ``line_plans``, or the calendar month before billing starts) and asks ``acceptable_use`` for the
signals. A signal opens a review case for the line, unless one is already under
review (then the signal joins its evidence). Each period signal is raised once per
period, each day signal once per day.

A case holds its evidence, is notified to the customer in writing (a notice by email,
in their language) and has a deadline: ``aup_review_days`` (default 14) calendar days
after the day it opened, to the end of that day in the market's time (the rule book: "N
days"). The Office Manager answers in writing in the portal. At the deadline
(``review_deadlines``): with no answer, or with use still abnormal since the case
opened (the same signals over those days, monthly amounts pro rata), the case is
for decision, and a supervisor or the Director may move the line to the commercial
per-minute plan (billing's plan change, registered in ``line_plans``); otherwise it closes as
remedied.
Staff may close a case as remedied at any time. A prohibited-use case (AUP-3) is
reviewed the same way; ending the service for it is billing's termination, with the
case's days as its period of abnormal use (AUP-4).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from officeline.accounts.choices import CustomerRole
from officeline.accounts.permissions import has_capability
from officeline.accounts.services.notices import send_notice_to_customer
from officeline.errors import DomainError
from officeline.events.services import record_event
from officeline.lines.models import Line
from officeline.markets.choices import MarketCode
from officeline.markets.deadlines import (
    DeadlineUnit,
    deadline_for,
    end_of_local_day,
    local_date,
    start_of_local_day,
)
from officeline.markets.definitions import get_market
from officeline.usage import acceptable_use as rules
from officeline.usage import line_plans
from officeline.usage.acceptable_use import PeriodUse, Signal, Thresholds
from officeline.usage.choices import (
    OPEN_CASE_STATUSES,
    CaseKind,
    CaseStatus,
    DestinationType,
)
from officeline.usage.models import CallRecord, LinePeriodUsage, UseReviewCase, UseReviewRun

if TYPE_CHECKING:
    from officeline.actors import Actor

MAX_RESPONSE = 2000
MAX_NOTE = 300
# The calls of a day's last minutes are folded from the SIP core within the minute; the
# review of a day waits this long after it ends all the same.
DAY_MARGIN = dt.timedelta(hours=1)
# AUP-2: who decides on a case (moving a line, closing a case), as for a plan change's
# consequence on what the customer pays and for ending a service (accounts.permissions).
DECISION_CAPABILITY = "use_reviews.decide"


class ReviewError(DomainError):
    """An acceptable-use review refused what was asked (AUP-2)."""

    default_code = "review_refused"


CALL_FIELDS = (
    "line_id",
    "direction",
    "to_number",
    "destination_type",
    "started_at",
    "answered_at",
    "ended_at",
    "duration_seconds",
    "disposition",
    "sip_reason",
)


# --- the daily review (AUP-1, AUP-3) -------------------------------------------------


def review_usage(*, now: dt.datetime) -> int:
    """In each market (the ``usage.use_review`` tick), cost every complete local day not costed yet; return
    how many cases were opened. Running again the same day does nothing."""
    opened = 0
    for market in MarketCode.values:
        last = local_date(market, now - DAY_MARGIN) - dt.timedelta(days=1)
        run = UseReviewRun.objects.filter(market=market).first()
        # The first run costs the last complete day: the review starts when it is installed.
        day = run.reviewed_through + dt.timedelta(days=1) if run else last
        while day <= last:
            opened += _review_day(market, day, now)
            day += dt.timedelta(days=1)
    return opened


def _review_day(market: str, day: dt.date, now: dt.datetime) -> int:
    """One market's day, in one transaction with the run's row locked (two workers, or a
    second tick, cost it once)."""
    with transaction.atomic():
        run = _locked_run(market, day, now)
        if run.reviewed_through >= day:
            return 0
        t = rules.thresholds(market)
        rows = (
            CallRecord.objects.filter(
                started_at__gte=start_of_local_day(market, day),
                started_at__lte=end_of_local_day(market, day),
                line__isnull=False,
                customer__market=market,
            )
            .exclude(destination_type=DestinationType.EMERGENCY)
            .order_by("started_at", "pk")
            .values(*CALL_FIELDS)
        )
        uses = rules.day_uses(
            rows.iterator(), tz=get_market(market).tz, short_seconds=t.short_call_seconds, now=now
        )
        opened = 0
        periods = line_plans.service_periods(line_ids={line_id for line_id, _d in uses}, day=day)
        for (line_id, _day), use in sorted(uses.items()):
            start, ends_before = periods[line_id]
            signals = _add_day(line_id, start, ends_before, use, t, market)
            if signals and _raise(line_id, signals, use.sample, now) is not None:
                opened += 1
        run.reviewed_through = day
        run.ran_at = now
        run.save(update_fields=["reviewed_through", "ran_at"])
        record_event(
            action="usage.use_reviewed",
            data={"market": market, "day": day.isoformat(), "lines": len(uses), "opened": opened},
        )
    return opened


def _locked_run(market: str, day: dt.date, now: dt.datetime) -> UseReviewRun:
    """The market's review run, created the day before ``day`` if it is the first, locked."""
    try:
        with transaction.atomic():
            run, _created = UseReviewRun.objects.get_or_create(
                market=market,
                defaults={"reviewed_through": day - dt.timedelta(days=1), "ran_at": now},
            )
    except IntegrityError:
        run = UseReviewRun.objects.get(market=market)
    return UseReviewRun.objects.select_for_update().get(pk=run.pk)


def _add_day(
    line_id: int,
    start: dt.date,
    ends_before: dt.date,
    use: rules.DayUse,
    t: Thresholds,
    market: str,
) -> list[Signal]:
    """Add a day to the line's period so far; the signals it raises that were not raised yet."""
    period, _created = LinePeriodUsage.objects.select_for_update().get_or_create(
        line_id=line_id, period_start=start, defaults={"period_ends_before": ends_before}
    )
    period.answered_calls += use.answered
    period.short_calls += use.short
    period.seconds += use.seconds
    period.destinations_bound += len(use.destinations)
    destinations = 0
    if period.destinations_bound > t.destinations_per_period:
        # Only now is it worth counting the period's own distinct numbers (the line's index).
        destinations = (
            CallRecord.objects.filter(
                line_id=line_id,
                started_at__gte=start_of_local_day(market, start),
                started_at__lte=end_of_local_day(market, use.day),
                direction="outbound",
            )
            .exclude(destination_type=DestinationType.EMERGENCY)
            .values("to_number")
            .distinct()
            .count()
        )
    so_far = PeriodUse(
        first_day=start,
        last_day=use.day,
        answered=period.answered_calls,
        short=period.short_calls,
        seconds=period.seconds,
        destinations=destinations,
    )
    raised = [s for s in rules.period_signals(so_far, t) if s.code not in period.signalled]
    period.signalled = [*period.signalled, *(s.code for s in raised)]
    period.save()
    return raised + rules.day_signals(use, t)


def _raise(
    line_id: int, signals: list[Signal], sample: list[dict[str, Any]], now: dt.datetime
) -> UseReviewCase | None:
    """AUP-2: a line's signals open a case, or join the one under review; the new case, if any."""
    line = Line.objects.select_for_update().select_related("customer", "number").get(pk=line_id)
    evidence = [s.as_json() for s in signals]
    first = min(s.first_day for s in signals)
    last = max(s.last_day for s in signals)
    kind = (
        CaseKind.PROHIBITED_USE
        if any(s.rule == rules.AUP3 for s in signals)
        else CaseKind.ABNORMAL_USE
    )
    case = UseReviewCase.objects.filter(line=line, status__in=OPEN_CASE_STATUSES).first()
    if case is not None:
        case.signals = [*case.signals, *evidence]
        case.first_day, case.last_day = min(case.first_day, first), max(case.last_day, last)
        if kind == CaseKind.PROHIBITED_USE:
            case.kind = kind
        case.save(update_fields=["signals", "first_day", "last_day", "kind"])
        record_event(
            action="usage.use_review_evidence_added",
            customer=line.customer,
            subject=case,
            data={"signals": [s.code for s in signals]},
        )
        return None
    return _open_case(line=line, kind=kind, signals=evidence, sample=sample, now=now)


def _open_case(
    *,
    line: Line,
    kind: str,
    signals: list[dict[str, Any]],
    sample: list[dict[str, Any]],
    now: dt.datetime,
) -> UseReviewCase:
    """AUP-2: open a review case with its evidence and deadline; the customer is told in writing."""
    market = line.customer.market
    days = rules.thresholds(market).review_days
    with transaction.atomic():
        case = UseReviewCase.objects.create(
            customer=line.customer,
            line=line,
            kind=kind,
            signals=signals,
            sample_calls=sample,
            first_day=min(dt.date.fromisoformat(s["first_day"]) for s in signals),
            last_day=max(dt.date.fromisoformat(s["last_day"]) for s in signals),
            opened_at=now,
            # AUP-2 (D): "N days" after the day it opened, to the end of that day locally.
            respond_by=deadline_for(market, now, DeadlineUnit.DAYS, days),
        )
        record_event(
            action="usage.use_review_opened",
            customer=line.customer,
            subject=case,
            data={
                "line": line.number.e164,
                "kind": kind,
                "signals": [s["code"] for s in signals],
                "respond_by": case.respond_by.isoformat(),
            },
            customer_visible=True,
        )
        _tell_customer(case, opening=True)
    return case


def _tell_customer(case: UseReviewCase, *, opening: bool) -> None:
    """The customer's written notice (by email, in their language, and under their notices)."""
    customer = case.customer
    number = case.line.number.e164
    with translation.override(customer.language):
        if opening:
            subject = _("Review of the use of your line %(number)s") % {"number": number}
            evidence = "\n".join(f"- {rules.describe(s)}" for s in case.signals)
            body = _(
                "The use of line %(number)s from %(first)s to %(last)s does not look like the "
                "normal use of a small business that our terms of service provide for:\n"
                "%(evidence)s\n\n"
                "Please answer in writing by %(deadline)s in your portal, under "
                '"Acceptable use", or bring the use back to normal. Without an answer, or if '
                "the use does not return to normal by then, we may move the line to the "
                "commercial per-minute plan. Emergency calls are never counted."
            ) % {
                "number": number,
                "first": formats.date_format(case.first_day, "DATE_FORMAT"),
                "last": formats.date_format(case.last_day, "DATE_FORMAT"),
                "evidence": evidence,
                "deadline": formats.date_format(
                    local_date(customer.market, case.respond_by), "DATE_FORMAT"
                ),
            }
        else:
            subject = _("The review of the use of your line %(number)s is closed") % {
                "number": number
            }
            body = _(
                "We closed the review of the use of line %(number)s: its use is normal again. "
                "Nothing changes for the line."
            ) % {"number": number}
    send_notice_to_customer(customer=customer, actor=None, subject=subject, body=body)


# --- the customer's answer ----------------------------------------------------------


def respond_to_case(*, case: UseReviewCase, actor: Actor, text: str, now: dt.datetime) -> None:
    """AUP-2: the Office Manager answers the review in writing, once, while it is under review."""
    text = (text or "").strip()
    if (
        getattr(actor, "customer_id", None) != case.customer_id
        or getattr(actor, "customer_role", None) != CustomerRole.OFFICE_MANAGER
    ):
        raise PermissionDenied(_("Only the Office Manager of the business can answer a review."))
    if not text:
        raise ReviewError(_("Write your answer."), code="answer_required", field="response")
    if len(text) > MAX_RESPONSE:
        raise ReviewError(
            _("Keep the answer under %(n)s characters.") % {"n": MAX_RESPONSE},
            code="answer_too_long",
            field="response",
        )
    with transaction.atomic():
        locked = UseReviewCase.objects.select_for_update().get(pk=case.pk)
        if locked.status not in OPEN_CASE_STATUSES:
            raise ReviewError(_("This review is closed."), code="review_closed", field="response")
        if locked.responded_at is not None:
            raise ReviewError(
                _("You have already answered this review."),
                code="review_already_answered",
                field="response",
            )
        locked.response, locked.responded_at, locked.responded_by = text, now, actor
        locked.save(update_fields=["response", "responded_at", "responded_by"])
        record_event(
            action="usage.use_review_answered",
            actor=actor,
            customer=locked.customer,
            subject=locked,
            customer_visible=True,
        )
    case.refresh_from_db()


# --- the deadline -------------------------------------------------------------------


def _use_since_opening(case: UseReviewCase, until: dt.datetime) -> list[Signal]:
    """AUP-2: is the line's use back to normal? The same signals over the days from the day
    the case opened to ``until``, each day on its own and the monthly amounts pro rata."""
    market = case.customer.market
    t = rules.thresholds(market)
    first = local_date(market, case.opened_at)
    last = local_date(market, until)
    rows = (
        CallRecord.objects.filter(
            line_id=case.line_id,
            started_at__gte=start_of_local_day(market, first),
            started_at__lte=until,
        )
        .exclude(destination_type=DestinationType.EMERGENCY)
        .order_by("started_at", "pk")
        .values(*CALL_FIELDS)
    )
    uses = rules.day_uses(
        rows, tz=get_market(market).tz, short_seconds=t.short_call_seconds, now=until
    )
    signals: list[Signal] = []
    totals: dict[str, int] = defaultdict(int)
    destinations: set[str] = set()
    for use in uses.values():
        signals += rules.day_signals(use, t)
        totals["answered"] += use.answered
        totals["short"] += use.short
        totals["seconds"] += use.seconds
        destinations |= use.destinations
    window = PeriodUse(
        first_day=first,
        last_day=last,
        answered=totals["answered"],
        short=totals["short"],
        seconds=totals["seconds"],
        destinations=len(destinations),
    )
    days = (last - first).days + 1
    return signals + rules.period_signals(window, t, Fraction(days, rules.MONTH_DAYS))


def review_deadlines(*, now: dt.datetime) -> int:
    """AUP-2 (the ``usage.use_review_deadlines`` tick): the open cases whose deadline has passed are decided: for decision
    when unanswered or still abnormal, else closed as remedied. Returns how many."""
    due = list(
        UseReviewCase.objects.filter(status=CaseStatus.OPEN, respond_by__lt=now)
        .order_by("respond_by", "pk")
        .values_list("pk", flat=True)[:500]
    )
    done = 0
    for pk in due:
        with transaction.atomic():
            case = (
                UseReviewCase.objects.select_for_update(skip_locked=True)
                .select_related("customer", "line__number")
                .filter(pk=pk, status=CaseStatus.OPEN)
                .first()
            )
            if case is None:
                continue
            still = _use_since_opening(case, case.respond_by)
            if case.responded_at is None or still:
                reason = (
                    _("no answer by the deadline")
                    if case.responded_at is None
                    else _("the use did not return to normal")
                )
                _mark_for_decision(case=case, now=now, reason=reason, signals=still)
            else:
                _close(case, actor=None, note="", now=now, automatic=True)
            done += 1
    return done


def _mark_for_decision(
    *, case: UseReviewCase, now: dt.datetime, reason: str, signals: list[Signal]
) -> None:
    """AUP-2: the deadline passed without an answer or a return to normal use: staff decide."""
    with translation.override("en"):
        reason = str(reason)
    case.status = CaseStatus.FOR_DECISION
    case.for_decision_at = now
    case.decision_reason = reason[:MAX_NOTE]
    case.save(update_fields=["status", "for_decision_at", "decision_reason"])
    record_event(
        action="usage.use_review_for_decision",
        customer=case.customer,
        subject=case,
        data={"reason": reason, "signals": [s.as_json() for s in signals]},
    )


# --- staff decisions ----------------------------------------------------------------


def _require_decider(actor: Actor) -> None:
    if not has_capability(actor, DECISION_CAPABILITY):
        raise PermissionDenied(_("Only a supervisor or the Director can decide on a review."))


def _locked_under_review(case: UseReviewCase) -> UseReviewCase:
    locked = (
        UseReviewCase.objects.select_for_update()
        .select_related("customer", "line__number")
        .get(pk=case.pk)
    )
    if locked.status not in OPEN_CASE_STATUSES:
        raise ReviewError(_("This review is closed."), code="review_closed", field="case")
    return locked


def move_line_to_commercial_plan(*, case: UseReviewCase, actor: Actor, reason: str) -> None:
    """AUP-2: a case for decision ends with its line on the commercial per-minute plan
    (BILL-11), from now; the customer is told in writing by the plan change."""
    _require_decider(actor)
    with transaction.atomic():
        locked = _locked_under_review(case)
        if locked.status != CaseStatus.FOR_DECISION:
            raise ReviewError(
                _(
                    "The line can be moved once the deadline has passed without an "
                    "answer or a return to normal use."
                ),
                code="review_not_for_decision",
                field="case",
            )
        change = line_plans.move_to_commercial_plan(line=locked.line, actor=actor, reason=reason)
        locked.status = CaseStatus.MOVED
        locked.closed_at, locked.closed_by = change.at, actor
        locked.closing_note = change.reason
        locked.save(update_fields=["status", "closed_at", "closed_by", "closing_note"])
        record_event(
            action="usage.use_review_line_moved",
            actor=actor,
            customer=locked.customer,
            subject=locked,
            data={"line_plan": change.pk, "reason": change.reason},
            customer_visible=True,
        )
    case.refresh_from_db()


def close_as_remedied(*, case: UseReviewCase, actor: Actor, note: str, now: dt.datetime) -> None:
    """AUP-2: staff close a case under review as remedied, at any time; the customer is told."""
    _require_decider(actor)
    note = (note or "").strip()
    if not note:
        raise ReviewError(_("Say why the case is closed."), code="note_required", field="note")
    if len(note) > MAX_NOTE:
        raise ReviewError(
            _("Keep the note under 300 characters."), code="note_too_long", field="note"
        )
    with transaction.atomic():
        _close(_locked_under_review(case), actor=actor, note=note, now=now, automatic=False)
    case.refresh_from_db()


def _close(
    case: UseReviewCase, *, actor: Actor, note: str, now: dt.datetime, automatic: bool
) -> None:
    case.status = CaseStatus.REMEDIED
    case.closed_at = now
    case.closed_by = actor if getattr(actor, "pk", None) else None
    case.closing_note = note
    case.save(update_fields=["status", "closed_at", "closed_by", "closing_note"])
    record_event(
        action="usage.use_review_remedied",
        actor=actor,
        customer=case.customer,
        subject=case,
        data={"note": note, "automatic": automatic},
        customer_visible=True,
    )
    _tell_customer(case, opening=False)
