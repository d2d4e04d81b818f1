"""PRIV-8: data past its retention is deleted by a scheduled job (``tick``), unless held.

The retention of each kind of data is the register's (``register.py``, PRIV-1): the
one place it is decided and the one the privacy policy publishes; nothing here
repeats a number. What is enforced today:

- traffic data (``traffic_data``: uk 12 months, fr 1 year after the call): call
  records by the end of the call (the ``ended_at`` index), or by their start when
  the end never arrived (a partial index), and the SIP core's raw call events that
  were never folded into a record (their call's start never arrived), by
  Kamailio's time of the message;
- cookie choices (``cookie_choices``: 13 months after the choice);
- payment tokens (``payment_tokens``: 13 months after the card is removed, that is
  replaced by another, its authority ended after a revocation, or the contract
  ended; ``PaymentMethod.removed_at``, a partial index);
- replies to marketing texts from numbers no customer and none of a customer's
  people gave (``unknown_sms_replies``: 30 days after the text is received, in the
  market of the number's country code; a number of neither market: the longest), by
  the index on ``received_at``. A number is known when a customer's phone or a
  person's SMS consent names it at the time of the run: its replies stay with the
  consents (retired with that customer's data). A number that becomes known later
  keeps its replies still within their 30 days; older ones are already gone;
- former staff members (``former_staff``: 6 years after they left): their login
  row is anonymised (``erasure.anonymise_former_staff``), read by the moment stored
  when the departure was recorded (``User.forget_at``, indexed, cleared once done);
- privacy requests (``privacy_requests``: 3 years after the answer), with what is
  left of their export, by the answer (``completed_at``, a partial index); under the
  same entry, legal holds 3 years after their release (``released_at``, a partial
  index; a hold in force is never deleted), then disclosures to authorities 3 years
  after the day they were made (``disclosed_on``), except while a hold placed by the
  disclosure is still kept;
- what the register keeps until the end of the contract plus a period (account data,
  contacts, tickets, consents, logs: uk 6 years, fr 5 years; invoices: uk 6 years, fr
  10 years after the end of the financial year in which the contract ended): the
  customers listed in ``RetentionDue`` when their contract ended, read by the moment
  their period starts, and retired by ``after_contract.retire`` (deleted, or anonymised
  where rows must stay).

Records are deleted, not anonymised: a row kept with its numbers blanked would
still say who called when. A customer with a legal hold in force keeps
everything (``LegalHold``: placed by the DPO with a reason, or by a disclosure to
an authority that names the customer, PRIV-9) until the DPO releases it. Data
with no market (a call record with no line, a cookie choice of a visitor) is kept
for the longest retention of the markets.

Each run reads only what is due: the rows before the cutoff, in index order, in
batches, each batch in its own transaction, continuing after the last row read
so that held rows are read once per run. A run that deleted something records
one event with the counts per market and kind.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import phonenumbers
from django.db import transaction
from django.db.models import SET_NULL, Model, Q, QuerySet

from officeline.accounts.models import Customer, User
from officeline.billing.models import PaymentMethod
from officeline.events.services import record_event
from officeline.lines.models import Line
from officeline.markets.choices import MarketCode
from officeline.markets.deadlines import kept_since, kept_since_days, local_date
from officeline.markets.definitions import MARKETS
from officeline.privacy import register
from officeline.privacy.choices import MarketingChannel
from officeline.privacy.models import (
    CookieChoice,
    Disclosure,
    InboundSms,
    LegalHold,
    MarketingConsent,
    PrivacyRequest,
    RetentionDue,
)
from officeline.privacy.services import after_contract
from officeline.privacy.services.erasure import anonymise_former_staff
from officeline.telephony.models import CallEvent
from officeline.usage.models import CallRecord

BATCH = 1000
CUSTOMER_BATCH = 100  # customers whose data after the end of the contract is retired at once
NO_MARKET = "none"  # the counts of data that belongs to no market


# PRIV-1, PRIV-8: for each register entry whose data this run deletes by its own period, the
# models it deletes (a test compares them with the register's). What the register keeps
# until the end of the contract plus a period is ``after_contract.RETIRED_MODELS``'.
SWEPT_MODELS: dict[str, frozenset[str]] = {
    "traffic_data": frozenset({"usage.callrecord", "telephony.callevent"}),
    "cookie_choices": frozenset({"privacy.cookiechoice"}),
    "unknown_sms_replies": frozenset({"privacy.inboundsms"}),
    # Anonymised, not deleted: events and the staff access log point to the row (PRIV-10).
    "former_staff": frozenset({"accounts.user"}),
    "payment_tokens": frozenset({"billing.paymentmethod"}),
    "privacy_requests": frozenset(
        {"privacy.privacyrequest", "privacy.dataexport", "privacy.legalhold", "privacy.disclosure"}
    ),
}


def cutoff(entry_key: str, market: str | None, now: dt.datetime) -> dt.datetime | None:
    """What started before this instant is past its retention at ``now`` (None: kept).

    ``market=None`` is for data that belongs to no market: the earliest cutoff of the
    markets, that is the longest retention.
    """
    if market is None:
        cutoffs = [cutoff(entry_key, code, now) for code in MarketCode.values]
        if any(c is None for c in cutoffs):
            return None
        return min(c for c in cutoffs if c is not None)
    period = register.entry(entry_key).retention_in(market)
    if period.months is None and period.days is not None:
        return kept_since_days(market, now, period.days)
    months = period.months
    return None if months is None else kept_since(market, now, months)


def held_customer_ids() -> set[int]:
    """PRIV-8: the customers with a legal hold in force (their data is not deleted)."""
    return set(
        LegalHold.objects.filter(released_at__isnull=True).values_list("customer_id", flat=True)
    )


Row = tuple[Any, ...]


def _sweep(
    queryset: QuerySet[Any],
    column: str,
    fields: tuple[str, ...],
    due: Callable[[Row], str | None],
    *,
    act: Callable[[list[Row]], None] | None = None,
    batch: int = BATCH,
) -> dict[str, int]:
    """Delete the rows of ``queryset`` that ``due`` names a market for; count them per market.

    Reads in ``column`` order (an index) in batches of ``batch``, each in its own
    transaction, continuing after the last row read, so a row that is kept (held, or
    not yet due in its own market) is read once per run. ``act`` is given the due rows
    of each batch, in its transaction, before they are deleted.
    """
    model: type[Model] = queryset.model
    counts: dict[str, int] = defaultdict(int)
    after: tuple[Any, Any] | None = None
    while True:
        with transaction.atomic():
            page = queryset
            if after is not None:
                page = page.filter(
                    Q(**{f"{column}__gt": after[0]}) | Q(**{column: after[0], "pk__gt": after[1]})
                )
            rows = list(
                page.select_for_update(skip_locked=True, of=("self",))
                .order_by(column, "pk")
                .values_list("pk", column, *fields)[:batch]
            )
            doomed: list[Row] = []
            for row in rows:
                market = due(row)
                if market is not None:
                    doomed.append(row)
                    counts[market] += 1
            if doomed:
                if act is not None:
                    act(doomed)
                _delete(model, [row[0] for row in doomed])
        if len(rows) < batch:
            return dict(counts)
        after = (rows[-1][1], rows[-1][0])


def _delete(model: type[Model], pks: list[Any]) -> None:
    """Delete rows by primary key; links to them that are set to NULL on delete are cleared
    in one UPDATE each (a billed call keeps its own copy, BILL-11) rather than row by row."""
    relations = model._meta.related_objects
    if any(rel.on_delete is not SET_NULL for rel in relations):  # type: ignore[attr-defined]
        model._default_manager.filter(pk__in=pks).delete()
        return
    for rel in relations:
        rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": pks}).update(
            **{rel.field.name: None}
        )
    model._base_manager.filter(pk__in=pks)._raw_delete(model._base_manager.db)


def _at_us(moment: dt.datetime) -> int:
    """An instant in Kamailio's unit (microseconds since the epoch)."""
    return (moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)


def _cutoffs(entry_key: str, now: dt.datetime) -> dict[str, dt.datetime]:
    """Each market's cutoff, and ``NO_MARKET``'s (the longest retention); kept data is absent."""
    found = {code: cutoff(entry_key, code, now) for code in MarketCode.values}
    found[NO_MARKET] = cutoff(entry_key, None, now)
    return {market: at for market, at in found.items() if at is not None}


def _call_records(now: dt.datetime, held: set[int]) -> dict[str, int]:
    """Call records past the traffic data's retention of their customer's market."""
    cutoffs = _cutoffs("traffic_data", now)
    if not cutoffs:
        return {}
    latest = max(cutoffs.values())

    def due(row: Row) -> str | None:
        _pk, at, customer_id, market = row
        market = market or NO_MARKET
        before = cutoffs.get(market)
        if customer_id in held or before is None or at >= before:
            return None
        return str(market)

    fields = ("customer_id", "customer__market")
    ended = _sweep(CallRecord.objects.filter(ended_at__lt=latest), "ended_at", fields, due)
    # A call whose end never arrived is counted from its start (a partial index).
    unended = _sweep(
        CallRecord.objects.filter(ended_at__isnull=True, started_at__lt=latest),
        "started_at",
        fields,
        due,
    )
    return {m: ended.get(m, 0) + unended.get(m, 0) for m in {*ended, *unended}}


def _call_events(now: dt.datetime, held: set[int]) -> dict[str, int]:
    """Raw call events never folded into a record (their call's start never arrived)."""
    cutoffs = {m: _at_us(at) for m, at in _cutoffs("traffic_data", now).items()}
    if not cutoffs:
        return {}
    held_lines = set(Line.objects.filter(customer_id__in=held).values_list("pk", flat=True))

    def due(row: Row) -> str | None:
        _pk, at_us, market, line_id = row
        before = cutoffs.get(market) or cutoffs.get(NO_MARKET)
        if line_id in held_lines or before is None or at_us >= before:
            return None
        return str(market)

    events = CallEvent.objects.filter(at_us__lt=max(cutoffs.values()))
    return _sweep(events, "at_us", ("market", "line_id"), due)


def _cookie_choices(now: dt.datetime, held: set[int]) -> dict[str, int]:
    """Cookie choices, which belong to no market: the longest retention of the markets."""
    before = cutoff("cookie_choices", None, now)
    if before is None:
        return {}

    def due(row: Row) -> str | None:
        return None if row[2] in held else NO_MARKET

    choices = CookieChoice.objects.filter(at__lt=before)
    return _sweep(choices, "at", ("user__customer_id",), due)


def market_of_number(e164: str) -> str:
    """The market whose country code an E.164 number has (``NO_MARKET`` for another)."""

    for code, market in MARKETS.items():
        prefix = f"+{phonenumbers.country_code_for_region(market.country)}"
        if e164.startswith(prefix):
            return code
    return NO_MARKET


def _unknown_sms_replies(now: dt.datetime, held: set[int]) -> dict[str, int]:
    """Replies to marketing texts from numbers no customer or customer's person gave
    (``unknown_sms_replies``: 30 days after receipt), by the index on ``received_at``.

    A number is known when a customer's phone or a person's SMS consent names it now:
    its replies belong to ``consents`` and go with that customer's data (after_contract).
    No customer is behind an unknown number, so no legal hold applies.
    """
    cutoffs = _cutoffs("unknown_sms_replies", now)
    if not cutoffs:
        return {}

    def due(row: Row) -> str | None:
        _pk, at, number = row
        market = market_of_number(number)
        before = cutoffs.get(market)
        if before is None or at >= before:
            return None
        return market

    sms_numbers = MarketingConsent.objects.filter(channel=MarketingChannel.SMS).values("address")
    unknown = (
        InboundSms.objects.filter(received_at__lt=max(cutoffs.values()))
        .exclude(from_number__in=sms_numbers)
        .exclude(from_number__in=Customer.objects.values("phone"))
    )
    return _sweep(unknown, "received_at", ("from_number",), due)


def _former_staff(now: dt.datetime) -> int:
    """Former staff members whose ``former_staff`` period has passed, by the index on the
    moment stored when they left (``forget_at``); anonymising clears it, so each is read
    once. Staff belong to no market."""

    done = 0
    while True:
        with transaction.atomic():
            due = list(
                User.objects.select_for_update(skip_locked=True)
                .filter(forget_at__lte=now)
                .order_by("forget_at", "pk")[:CUSTOMER_BATCH]
            )
            for person in due:
                anonymise_former_staff(person, now)
        done += len(due)
        if len(due) < CUSTOMER_BATCH:
            return done


def _due_in_market(row: Row, cutoffs: dict[str, dt.datetime], held: set[int]) -> str | None:
    """The market of a row (pk, moment, customer id, market) past its market's cutoff and
    not held; None when it is kept."""
    _pk, moment, customer_id, market = row
    before = cutoffs.get(market)
    if customer_id in held or before is None or moment >= before:
        return None
    return str(market)


def _payment_tokens(now: dt.datetime, held: set[int]) -> dict[str, int]:
    """Removed cards (``payment_tokens``: 13 months after the card is removed), by the
    partial index on the removal; no payment or refund links to a card, so they are deleted."""
    cutoffs = _cutoffs("payment_tokens", now)
    if not cutoffs:
        return {}

    def due(row: Row) -> str | None:
        return _due_in_market(row, cutoffs, held)

    cards = PaymentMethod.objects.filter(removed_at__lt=max(cutoffs.values()))
    return _sweep(cards, "removed_at", ("customer_id", "customer__market"), due)


def _privacy_requests(now: dt.datetime, held: set[int]) -> dict[str, int]:
    """Answered privacy requests (``privacy_requests``: 3 years after the answer), by the
    partial index on the answer, with what is left of their export (deleted with them)."""
    cutoffs = _cutoffs("privacy_requests", now)
    if not cutoffs:
        return {}

    def due(row: Row) -> str | None:
        return _due_in_market(row, cutoffs, held)

    answered = PrivacyRequest.objects.filter(completed_at__lt=max(cutoffs.values()))
    return _sweep(answered, "completed_at", ("customer_id", "customer__market"), due)


def _legal_holds(now: dt.datetime, held: set[int]) -> dict[str, int]:
    """Released legal holds (``privacy_requests``: 3 years after the release), by the partial
    index on the release; a hold in force has no release and is never read."""
    cutoffs = _cutoffs("privacy_requests", now)
    if not cutoffs:
        return {}

    def due(row: Row) -> str | None:
        return _due_in_market(row, cutoffs, held)

    released = LegalHold.objects.filter(released_at__lt=max(cutoffs.values()))
    return _sweep(released, "released_at", ("customer_id", "customer__market"), due)


def _disclosures(now: dt.datetime, held: set[int]) -> dict[str, int]:
    """Disclosures to authorities (``privacy_requests``: 3 years after the day they were
    made, in the customer's market; one naming no customer: the longest retention), by the
    index on that day. A disclosure whose hold is still kept (in force, or released less
    than 3 years ago) is kept with it, as is every disclosure of a held customer."""
    cutoffs: dict[str, dt.date] = {}
    for market in MarketCode.values:
        at = cutoff("privacy_requests", market, now)
        if at is not None:
            cutoffs[market] = local_date(market, at)
    if not cutoffs:
        return {}
    if len(cutoffs) == len(MarketCode.values):
        cutoffs[NO_MARKET] = min(cutoffs.values())

    def due(row: Row) -> str | None:
        _pk, made_on, customer_id, market, hold_id = row
        market = market or NO_MARKET
        before = cutoffs.get(market)
        if hold_id is not None or customer_id in held or before is None or made_on >= before:
            return None
        return str(market)

    made = Disclosure.objects.filter(disclosed_on__lt=max(cutoffs.values()))
    return _sweep(made, "disclosed_on", ("customer_id", "customer__market", "legal_hold"), due)


def _retire_entry(entry_key: str, market: str, now: dt.datetime, held: set[int]) -> tuple[int, int]:
    """One entry kept after the end of the contract, in one market: retire the data of the
    customers whose period has passed (the ``RetentionDue`` rows before the cutoff, by
    their index), except under a hold. Returns (customers, rows touched)."""
    before = cutoff(entry_key, market, now)
    if before is None:
        return 0, 0
    touched = 0

    def due(row: Row) -> str | None:
        return None if row[2] in held else market

    def act(rows: list[Row]) -> None:
        nonlocal touched
        touched += after_contract.retire(entry_key, [row[2] for row in rows], now)

    pending = RetentionDue.objects.filter(entry=entry_key, market=market, counted_from__lt=before)
    found = _sweep(pending, "counted_from", ("customer_id",), due, act=act, batch=CUSTOMER_BATCH)
    return found.get(market, 0), touched


def _after_contract(now: dt.datetime, held: set[int]) -> dict[str, dict[str, dict[str, int]]]:
    """What the register keeps until the end of the contract plus a period, per market and
    entry (in ``RETIRERS``' order): how many customers' data was retired, and rows."""
    retired: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)
    for entry_key in after_contract.RETIRERS:
        for market in MarketCode.values:
            customers, rows = _retire_entry(entry_key, market, now, held)
            if customers:
                retired[market][entry_key] = {"customers": customers, "rows": rows}
    return dict(retired)


def apply_retention(now: dt.datetime) -> int:
    """PRIV-8: delete or anonymise what is past the register's retention at ``now``; return
    how many rows."""
    held = held_customer_ids()
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for kind, sweep in (
        ("call_records", _call_records),
        ("call_events", _call_events),
        ("cookie_choices", _cookie_choices),
        ("unknown_sms_replies", _unknown_sms_replies),
        ("payment_tokens", _payment_tokens),
        ("privacy_requests", _privacy_requests),
        # Holds before disclosures: a disclosure is kept while the hold it placed is.
        ("legal_holds", _legal_holds),
        ("disclosures", _disclosures),
    ):
        for market, n in sweep(now, held).items():
            counts[market][kind] = n
    deleted = {
        market: {kind: n for kind, n in kinds.items() if n}
        for market, kinds in counts.items()
        if any(kinds.values())
    }
    retired = _after_contract(now, held)
    former_staff = _former_staff(now)
    if former_staff:
        deleted.setdefault(NO_MARKET, {})["former_staff_anonymised"] = former_staff
    total = sum(n for kinds in deleted.values() for n in kinds.values())
    total += sum(done["rows"] for entries in retired.values() for done in entries.values())
    if total:
        record_event(
            action="privacy.retention_applied",
            actor="tick",
            data={"deleted": deleted, "retired": retired, "held_customers": len(held)},
            at=now,
        )
    return total
