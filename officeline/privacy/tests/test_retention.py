"""PRIV-8: data past the register's retention is deleted by tick, except under a legal hold."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from officeline import clock
from officeline.accounts.choices import StaffRole
from officeline.accounts.models import OperatorMarket
from officeline.accounts.tests.factories import (
    CustomerFactory,
    OfficeManagerFactory,
    staff_with_totp,
)
from officeline.billing.models import PaymentMethod
from officeline.billing.services.cards import replace_card
from officeline.billing.tests.factories import CARDS, new_card
from officeline.events.models import Event
from officeline.lines.models import Number
from officeline.lines.services import lines
from officeline.privacy import register
from officeline.privacy.choices import RequestState
from officeline.privacy.models import (
    CookieChoice,
    DataExport,
    Disclosure,
    LegalHold,
    PrivacyRequest,
)
from officeline.privacy.services import retention
from officeline.privacy.services.disclosures import record_disclosure
from officeline.privacy.services.legal_holds import place_legal_hold, release_legal_hold
from officeline.privacy.tests.factories import member, portal_request
from officeline.telephony.models import CallEvent
from officeline.usage.models import CallRecord

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def _call(customer, call_id: str, ended_at: dt.datetime | None, started_at=None) -> CallRecord:
    started = started_at or ended_at - dt.timedelta(minutes=1) if ended_at else started_at
    return CallRecord.objects.create(
        call_id=call_id,
        customer=customer,
        direction="outbound",
        from_number="+442079460701",
        to_number="+447911123456",
        destination_type="mobile",
        started_at=started,
        ended_at=ended_at,
        disposition="answered" if ended_at else "",
    )


def _left() -> set[str]:
    return set(CallRecord.objects.values_list("call_id", flat=True))


def dpo():
    return staff_with_totp(staff_role=StaffRole.DPO)


def test_priv8_traffic_data_goes_the_day_after_its_retention_ends_in_each_market(test_clock):
    # Now: Wednesday 25 November 2026, 10:00 UTC. uk keeps 12 months, fr 1 year, each
    # counted in the market's own time: what ended on 24 November 2025 (local) has had
    # its year; what ended on 25 November 2025 (local) has not.
    uk, fr = CustomerFactory(market="uk"), CustomerFactory(market="fr")
    _call(uk, "uk-due", dt.datetime(2025, 11, 24, 23, 59, tzinfo=UTC))  # London: the 24th
    _call(uk, "uk-kept", dt.datetime(2025, 11, 25, 0, 1, tzinfo=UTC))
    _call(fr, "fr-due", dt.datetime(2025, 11, 24, 22, 59, tzinfo=UTC))  # Paris: the 24th
    _call(fr, "fr-kept", dt.datetime(2025, 11, 24, 23, 1, tzinfo=UTC))  # Paris: the 25th
    _call(uk, "recent", dt.datetime(2026, 11, 1, tzinfo=UTC))

    done = clock.tick(test_clock.now(), only={"privacy.retention"})

    assert done == {"privacy.retention": 2}
    assert _left() == {"uk-kept", "fr-kept", "recent"}
    event = Event.objects.get(action="privacy.retention_applied")
    assert event.data["deleted"] == {"uk": {"call_records": 1}, "fr": {"call_records": 1}}
    # A second run finds nothing more and records nothing.
    assert clock.tick(test_clock.now(), only={"privacy.retention"}) == {"privacy.retention": 0}
    assert Event.objects.filter(action="privacy.retention_applied").count() == 1


def test_priv8_the_retention_is_the_registers(test_clock, monkeypatch):
    """Changing the register's retention of traffic data changes what goes, per market."""
    uk, fr = CustomerFactory(market="uk"), CustomerFactory(market="fr")
    seven_months_ago = dt.datetime(2026, 4, 20, tzinfo=UTC)
    _call(uk, "uk", seven_months_ago)
    _call(fr, "fr", seven_months_ago)
    retention.apply_retention(test_clock.now())
    assert _left() == {"uk", "fr"}

    entry = register.entry("traffic_data")
    shorter = {**entry.retention, "fr": register.RetentionPeriod(6, "the call")}
    monkeypatch.setitem(
        register._ENTRIES, "traffic_data", dataclasses.replace(entry, retention=shorter)
    )
    retention.apply_retention(test_clock.now())
    assert _left() == {"uk"}


def test_priv8_unended_calls_and_unfolded_call_events_go_too(test_clock):
    uk = CustomerFactory(market="uk")
    _call(uk, "never-ended", None, started_at=dt.datetime(2025, 10, 1, tzinfo=UTC))
    _call(uk, "still-young", None, started_at=dt.datetime(2026, 10, 1, tzinfo=UTC))
    _call(None, "no-line", dt.datetime(2025, 10, 1, tzinfo=UTC))

    def event(event_id: str, at: dt.datetime, market: str = "uk") -> None:
        CallEvent.objects.create(
            event_id=event_id,
            call_id=event_id,
            kind="end",
            at_us=retention._at_us(at),
            market=market,
            caller="+442079460701",
            dialled="+447911123456",
            route="external",
            reason="",
        )

    event("old", dt.datetime(2025, 10, 1, tzinfo=UTC))
    event("new", dt.datetime(2026, 11, 24, tzinfo=UTC))
    event("old-fr", dt.datetime(2025, 10, 1, tzinfo=UTC), market="fr")

    retention.apply_retention(test_clock.now())

    assert _left() == {"still-young"}
    assert set(CallEvent.objects.values_list("event_id", flat=True)) == {"new"}
    deleted = Event.objects.get(action="privacy.retention_applied").data["deleted"]
    assert deleted == {
        "uk": {"call_records": 1, "call_events": 1},
        "fr": {"call_events": 1},
        "none": {"call_records": 1},
    }


def test_priv8_a_legal_hold_keeps_the_customers_data_until_the_dpo_releases_it(test_clock):
    held, other = CustomerFactory(market="uk"), CustomerFactory(market="uk")
    old = dt.datetime(2025, 6, 1, tzinfo=UTC)
    _call(held, "held", old)
    _call(other, "other", old)
    number = Number.objects.create(e164="+442079460150", market="uk", building=held.building)
    line = lines.request_line(customer=held, number=number, actor=None)
    CallEvent.objects.create(
        event_id="held-event",
        call_id="held-event",
        kind="end",
        at_us=retention._at_us(old),
        line_id=line.pk,
        market="uk",
        caller="+442079460701",
        dialled="+447911123456",
        route="external",
        reason="",
    )
    officer = dpo()
    hold = place_legal_hold(actor=officer, customer=held, reason="Tribunal claim 2026/118")

    retention.apply_retention(test_clock.now())
    assert _left() == {"held"}
    assert CallEvent.objects.filter(event_id="held-event").exists()

    release_legal_hold(actor=officer, hold=hold, reason="Claim settled")
    retention.apply_retention(test_clock.now())
    assert _left() == set()
    assert not CallEvent.objects.exists()
    actions = set(Event.objects.filter(customer=held).values_list("action", flat=True))
    assert {"privacy.legal_hold_placed", "privacy.legal_hold_released"} <= actions


def test_priv8_a_disclosure_naming_a_customer_holds_their_data(test_clock):
    customer = CustomerFactory(market="uk")
    _call(customer, "disclosed", dt.datetime(2025, 6, 1, tzinfo=UTC))
    disclosure = record_disclosure(
        actor=dpo(),
        customer=customer,
        authority="Metropolitan Police Service",
        requester_name="DC Alex Harrow",
        given="Call records, June 2025.",
        legal_basis="Investigatory Powers Act 2016",
        reference="MPS/2026/4411",
        disclosed_on=dt.date(2026, 11, 24),
    )
    hold = LegalHold.objects.get(customer=customer)
    assert hold.disclosure == disclosure and "MPS/2026/4411" in hold.reason
    retention.apply_retention(test_clock.now())
    assert _left() == {"disclosed"}


def test_priv8_only_the_dpo_places_a_hold_and_says_why(test_clock):
    customer = CustomerFactory()
    with pytest.raises(PermissionDenied):
        place_legal_hold(
            actor=staff_with_totp(staff_role=StaffRole.SUPERVISOR),
            customer=customer,
            reason="A dispute",
        )
    with pytest.raises(ValidationError) as error:
        place_legal_hold(actor=dpo(), customer=customer, reason="   ")
    assert "reason" in error.value.message_dict
    assert not LegalHold.objects.exists()


def test_priv8_cookie_choices_go_13_months_after_the_choice(test_clock):
    def choice(anonymous_id: str, at: dt.datetime, user=None) -> None:
        CookieChoice.objects.create(
            anonymous_id=anonymous_id, user=user, choice="necessary", at=at, policy_version="x"
        )

    choice("old", dt.datetime(2025, 10, 20, tzinfo=UTC))
    choice("young", dt.datetime(2025, 11, 1, tzinfo=UTC))
    person = OfficeManagerFactory(customer=CustomerFactory())
    choice("held", dt.datetime(2025, 1, 1, tzinfo=UTC), user=person)
    place_legal_hold(actor=dpo(), customer=person.customer, reason="Regulator's inquiry")

    retention.apply_retention(test_clock.now())

    assert set(CookieChoice.objects.values_list("anonymous_id", flat=True)) == {"young", "held"}


def test_priv8_batches_read_past_held_rows_and_delete_every_due_row(test_clock, monkeypatch):
    monkeypatch.setattr(retention, "BATCH", 2)
    held, other = CustomerFactory(market="uk"), CustomerFactory(market="uk")
    place_legal_hold(actor=dpo(), customer=held, reason="Dispute")
    start = dt.datetime(2025, 1, 1, tzinfo=UTC)
    for i in range(7):
        _call(held if i % 2 else other, f"c{i}", start + dt.timedelta(hours=i))
    _call(other, "same-time", start + dt.timedelta(hours=6))

    assert retention.apply_retention(test_clock.now()) == 5
    assert _left() == {"c1", "c3", "c5"}


def test_priv8_the_dpo_places_and_releases_holds_in_the_console(client, test_clock):
    customer = CustomerFactory()
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    assert client.get("/console/privacy/legal-holds/").status_code == 403
    client.force_login(dpo())
    response = client.post(
        "/console/privacy/legal-holds/", {"customer": 999999, "reason": "Dispute"}
    )
    assert response.status_code == 400 and "No customer has this number." in response.text
    response = client.post(
        "/console/privacy/legal-holds/", {"customer": customer.pk, "reason": "Court order 42"}
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    page = client.get("/console/privacy/legal-holds/").text
    assert "Court order 42" in page and customer.legal_name in page
    response = client.post("/console/privacy/legal-holds/", {"hold": hold.pk, "release_reason": ""})
    assert response.status_code == 400
    hold.refresh_from_db()
    assert hold.in_force
    client.post(
        "/console/privacy/legal-holds/", {"hold": hold.pk, "release_reason": "Order lifted"}
    )
    hold.refresh_from_db()
    assert not hold.in_force and hold.release_reason == "Order lifted"


def test_priv8_a_billed_call_goes_and_its_invoice_keeps_what_it_printed(
    test_clock,
    commercial_line,
):
    """BILL-11 copies what the statement prints; the call record itself goes at its retention."""
    from officeline.billing.models import BilledCall
    from officeline.billing.tests.factories import LONDON, call, go_to

    billed = call(commercial_line, dt.datetime(2026, 1, 27, 9, 0, tzinfo=LONDON), 61)
    go_to(test_clock, dt.datetime(2026, 2, 25, 0, 10, tzinfo=LONDON))
    copy = BilledCall.objects.get(call=billed)

    retention.apply_retention(dt.datetime(2027, 1, 26, 12, 0, tzinfo=UTC))
    assert CallRecord.objects.filter(pk=billed.pk).exists()  # 27 January 2026: not a year yet
    retention.apply_retention(dt.datetime(2027, 1, 28, 12, 0, tzinfo=UTC))

    assert not CallRecord.objects.filter(pk=billed.pk).exists()
    copy.refresh_from_db()
    assert copy.call_id is None
    assert (copy.to_number, copy.duration_seconds, copy.amount_minor) == ("+441632960001", 61, 6)


def test_priv8_a_legal_hold_spares_voicemail_from_the_priv3_limits_run_by_tick(
    test_clock, settings, tmp_path, django_capture_on_commit_callbacks
):
    from officeline.billing.tests.factories import new_line
    from officeline.usage.models import Voicemail
    from officeline.usage.tests.factories import voicemail

    settings.MEDIA_ROOT = tmp_path / "media"
    held, other = CustomerFactory(market="uk"), CustomerFactory(market="fr")
    held_line, other_line = new_line(held), new_line(other)
    now = test_clock.now()
    # Past the 30 days of PRIV-3 once the clock moves two days on.
    for line in (held_line, other_line):
        voicemail(line, received_at=now - dt.timedelta(days=29))
    OperatorMarket.objects.filter(market="uk").update(parameters={"voicemail_max_messages": 1})
    recent = voicemail(held_line, received_at=now - dt.timedelta(hours=1))
    officer = dpo()
    hold = place_legal_hold(actor=officer, customer=held, reason="Tribunal claim 2026/118")

    with django_capture_on_commit_callbacks(execute=True):
        test_clock.advance(dt.timedelta(days=2))
    assert set(Voicemail.objects.values_list("customer_id", flat=True)) == {held.pk}
    assert Voicemail.objects.count() == 2  # neither the too old nor the too many went

    release_legal_hold(actor=officer, hold=hold, reason="Claim settled")
    with django_capture_on_commit_callbacks(execute=True):
        test_clock.advance(dt.timedelta(days=1))
    assert list(Voicemail.objects.values_list("pk", flat=True)) == [recent.pk]


def _card(customer, token: str, removed_at: dt.datetime | None) -> PaymentMethod:
    return PaymentMethod.objects.create(
        customer=customer,
        provider="sandbox",
        token=token,
        brand="visa",
        last4="4242",
        exp_month=12,
        exp_year=2030,
        is_default=removed_at is None,
        created_at=dt.datetime(2024, 1, 1, tzinfo=UTC),
        removed_at=removed_at,
    )


def _tokens() -> set[str]:
    return set(PaymentMethod.objects.values_list("token", flat=True))


def test_priv8_payment_tokens_go_13_months_after_the_card_is_removed_in_each_market(test_clock):
    # Now: Wednesday 25 November 2026. A card removed on 25 October 2025 (local) has its
    # 13 months until the end of today, in each market's own time; one removed the day
    # before has had them.
    uk, fr, held = (CustomerFactory(market=m) for m in ("uk", "fr", "uk"))
    _card(uk, "uk-day-before", dt.datetime(2025, 10, 24, 22, 59, tzinfo=UTC))  # London: the 24th
    _card(uk, "uk-last-day", dt.datetime(2025, 10, 24, 23, 1, tzinfo=UTC))  # London: the 25th
    _card(fr, "fr-day-before", dt.datetime(2025, 10, 24, 21, 59, tzinfo=UTC))  # Paris: the 24th
    _card(fr, "fr-last-day", dt.datetime(2025, 10, 24, 22, 1, tzinfo=UTC))  # Paris: the 25th
    _card(uk, "on-file", None)
    _card(held, "held", dt.datetime(2025, 1, 1, tzinfo=UTC))
    place_legal_hold(actor=dpo(), customer=held, reason="Tribunal claim 2026/118")

    retention.apply_retention(test_clock.now())
    assert _tokens() == {"uk-last-day", "fr-last-day", "on-file", "held"}
    event = Event.objects.get(action="privacy.retention_applied")
    assert event.data["deleted"] == {"uk": {"payment_tokens": 1}, "fr": {"payment_tokens": 1}}

    test_clock.advance(dt.timedelta(days=1))
    assert _tokens() == {"on-file", "held"}


def test_priv8_a_card_is_removed_when_replaced_when_its_authority_ends_and_with_the_contract(
    test_clock,
):
    """The moments the retention of payment tokens counts from (PRIV-8)."""
    from officeline.billing.services.cards import stop_automatic_charging

    customer = CustomerFactory(market="fr")
    first = _card(customer, "first", None)
    replace_card(customer=customer, card=new_card(CARDS["ok"]), provider="sandbox", actor=None)
    first.refresh_from_db()
    assert first.removed_at == test_clock.now()
    second = PaymentMethod.objects.get(customer=customer, is_default=True)
    assert second.removed_at is None

    stop_automatic_charging(customer=customer, actor=None)
    second.refresh_from_db()
    assert second.removed_at == second.authorised_until > test_clock.now()
    first.refresh_from_db()
    assert first.removed_at == test_clock.now()  # removed once, when first replaced


def _answered(customer, answered_at: dt.datetime | None):
    """A privacy request of a person of ``customer``, answered at ``answered_at`` (None: open)."""
    request = portal_request(member(customer))
    if answered_at is not None:
        PrivacyRequest.objects.filter(pk=request.pk).update(
            state=RequestState.COMPLETED, completed_at=answered_at
        )
        DataExport.objects.create(
            request=request,
            created_at=answered_at,
            expires_at=answered_at,
            archive=b"PK",
            size=2,
            sha256="0" * 64,
        )
    return request.pk


def test_priv8_privacy_requests_go_3_years_after_the_answer_with_their_export(test_clock):
    # Now: Wednesday 25 November 2026. A request answered on 25 November 2023 (local) has
    # its 3 years until the end of today, in each market's time; one answered the day
    # before has had them.
    uk, fr, held = (CustomerFactory(market=m) for m in ("uk", "fr", "fr"))
    requests = {
        "uk-day-before": _answered(uk, dt.datetime(2023, 11, 24, 23, 59, tzinfo=UTC)),
        "uk-last-day": _answered(uk, dt.datetime(2023, 11, 25, 0, 1, tzinfo=UTC)),
        "fr-day-before": _answered(fr, dt.datetime(2023, 11, 24, 22, 59, tzinfo=UTC)),
        "fr-last-day": _answered(fr, dt.datetime(2023, 11, 24, 23, 1, tzinfo=UTC)),
        "open": _answered(uk, None),
        "held": _answered(held, dt.datetime(2023, 1, 1, tzinfo=UTC)),
    }
    place_legal_hold(actor=dpo(), customer=held, reason="Tribunal claim 2026/118")

    def left() -> set[str]:
        kept = set(PrivacyRequest.objects.values_list("pk", flat=True))
        return {name for name, pk in requests.items() if pk in kept}

    retention.apply_retention(test_clock.now())
    assert left() == {"uk-last-day", "fr-last-day", "open", "held"}
    assert DataExport.objects.count() == 3
    event = Event.objects.get(action="privacy.retention_applied")
    assert event.data["deleted"] == {"uk": {"privacy_requests": 1}, "fr": {"privacy_requests": 1}}

    test_clock.advance(dt.timedelta(days=1))
    assert left() == {"open", "held"}
    assert DataExport.objects.count() == 1


def _disclosure(customer, made_on: dt.date, released_at: dt.datetime | None = None) -> int:
    """A disclosure made on ``made_on``; one naming a customer placed a hold on them, released
    at ``released_at`` (None: in force)."""
    disclosure = record_disclosure(
        actor=dpo(),
        customer=customer,
        authority="Metropolitan Police Service",
        requester_name="DC Alex Harrow",
        given="Call records, June 2023.",
        legal_basis="Investigatory Powers Act 2016",
        reference=f"MPS/{made_on.isoformat()}",
        disclosed_on=made_on,
    )
    if released_at is not None:
        LegalHold.objects.filter(disclosure=disclosure).update(
            released_at=released_at, release_reason="Investigation closed"
        )
    return disclosure.pk


def _released(customer, released_at: dt.datetime) -> int:
    """A hold placed by the DPO on ``customer`` and released at ``released_at``."""
    hold = place_legal_hold(actor=dpo(), customer=customer, reason="Tribunal claim 2023/7")
    LegalHold.objects.filter(pk=hold.pk).update(released_at=released_at, release_reason="Settled")
    return hold.pk


def test_priv8_priv9_released_holds_and_disclosures_go_3_years_later(test_clock):
    # Now: Wednesday 25 November 2026. A hold released, or a disclosure made, on 25 November
    # 2023 (local) has its 3 years until the end of today, in each market's time; one of
    # the day before has had them. A hold in force is never deleted, nor the disclosures
    # of its customer, nor a disclosure while the hold it placed is kept.
    uk, fr, held = (CustomerFactory(market=m) for m in ("uk", "fr", "fr"))
    long_ago = dt.datetime(2020, 1, 1, tzinfo=UTC)
    holds = {
        "uk-day-before": _released(uk, dt.datetime(2023, 11, 24, 23, 59, tzinfo=UTC)),
        "uk-last-day": _released(uk, dt.datetime(2023, 11, 25, 0, 1, tzinfo=UTC)),
        "fr-day-before": _released(fr, dt.datetime(2023, 11, 24, 22, 59, tzinfo=UTC)),
        "fr-last-day": _released(fr, dt.datetime(2023, 11, 24, 23, 1, tzinfo=UTC)),
        "held-released": _released(held, long_ago),
    }
    disclosures = {
        "uk-day-before": _disclosure(uk, dt.date(2023, 11, 24), released_at=long_ago),
        "uk-last-day": _disclosure(uk, dt.date(2023, 11, 25), released_at=long_ago),
        "fr-day-before": _disclosure(fr, dt.date(2023, 11, 24), released_at=long_ago),
        "fr-last-day": _disclosure(fr, dt.date(2023, 11, 25), released_at=long_ago),
        "no-customer-day-before": _disclosure(None, dt.date(2023, 11, 24)),
        "no-customer-last-day": _disclosure(None, dt.date(2023, 11, 25)),
        # Its hold, released on the last day, keeps it until the hold goes.
        "hold-kept": _disclosure(
            uk, dt.date(2020, 1, 1), released_at=dt.datetime(2023, 11, 25, 0, 1, tzinfo=UTC)
        ),
        "held": _disclosure(held, dt.date(2020, 1, 1)),  # its hold is in force
    }
    holds["hold-kept"] = LegalHold.objects.get(disclosure=disclosures["hold-kept"]).pk
    holds["in-force"] = LegalHold.objects.get(disclosure=disclosures["held"]).pk

    def left() -> tuple[set[str], set[str]]:
        kept_holds = set(LegalHold.objects.values_list("pk", flat=True))
        kept = set(Disclosure.objects.values_list("pk", flat=True))
        return (
            {name for name, pk in holds.items() if pk in kept_holds},
            {name for name, pk in disclosures.items() if pk in kept},
        )

    retention.apply_retention(test_clock.now())
    kept_holds, kept = left()
    # The holds the other disclosures placed (released long ago) went too.
    assert LegalHold.objects.count() == len(kept_holds)
    assert kept_holds == {"uk-last-day", "fr-last-day", "held-released", "hold-kept", "in-force"}
    assert kept == {"uk-last-day", "fr-last-day", "no-customer-last-day", "hold-kept", "held"}
    event = Event.objects.get(action="privacy.retention_applied")
    assert event.data["deleted"] == {
        "uk": {"legal_holds": 3, "disclosures": 1},
        "fr": {"legal_holds": 3, "disclosures": 1},
        "none": {"disclosures": 1},
    }

    test_clock.advance(dt.timedelta(days=1))
    kept_holds, kept = left()
    assert kept_holds == {"held-released", "in-force"}
    assert kept == {"held"}


# What the register keeps for a period but this run does not delete, and why.
NOT_SWEPT = {
    "usage.voicemail": "deleted by the PRIV-3 limits (usage.voicemail.enforce_limits)",
    "telephony.registration": "the SIP core's own row, removed when the registration expires",
}


def test_priv1_priv8_every_model_the_register_keeps_for_a_period_is_deleted():
    """The register's periods not counted from the end of the contract are enforced: each
    model of such an entry is deleted by the retention run, or is named here with why not."""
    after = {item.key for item in register.after_contract()}
    for item in register.entries():
        if item.key in after or not item.stored:
            continue
        models = set(register.models_of(item.key))
        swept = retention.SWEPT_MODELS.get(item.key, frozenset())
        assert models == swept | (models & set(NOT_SWEPT)), item.key
        assert not swept & set(NOT_SWEPT), item.key
