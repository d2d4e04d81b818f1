"""PRIV-8: replies to marketing texts from numbers no customer gave go 30 days after receipt."""

from __future__ import annotations

import datetime as dt

import pytest

from officeline.accounts.tests.factories import CustomerFactory
from officeline.events.models import Event
from officeline.markets.deadlines import start_of_local_day
from officeline.privacy import register
from officeline.privacy.choices import InboundSmsOutcome, MarketingChannel
from officeline.privacy.models import InboundSms, MarketingConsent
from officeline.privacy.services import retention
from officeline.privacy.tests.factories import member

pytestmark = pytest.mark.django_db

RECEIVED_ON = dt.date(2026, 3, 10)
UNKNOWN = {"uk": "+447700900456", "fr": "+33612340000"}
GIVEN_BY_PERSON = {"uk": "+447700900111", "fr": "+33612340111"}
GIVEN_BY_CUSTOMER = {"uk": "+447700900222", "fr": "+33612340222"}


def _reply(number: str, at: dt.datetime) -> None:
    InboundSms.objects.create(
        from_number=number, body="STOP", received_at=at, outcome=InboundSmsOutcome.REJECTED
    )


def _numbers_left() -> set[str]:
    return set(InboundSms.objects.values_list("from_number", flat=True))


def test_priv8_the_register_keeps_unknown_numbers_replies_30_days_in_each_market():
    entry = register.entry("unknown_sms_replies")
    for market in ("uk", "fr"):
        assert entry.retention_in(market).days == 30
    assert str(entry.retention_in("uk")) == "30 days after the text is received"
    assert "privacy.inboundsms" in register.models_of("consents")


@pytest.mark.parametrize("market", ["uk", "fr"])
def test_priv8_an_unknown_numbers_reply_goes_30_days_after_receipt_a_known_ones_stays(
    test_clock, market
):
    """PRIV-8: at the end of the 30th day after receipt (market time) nothing goes; the day
    after, the reply from a number nobody gave is deleted, and the replies from a number a
    customer's person or a customer gave stay with the consents."""
    received = start_of_local_day(market, RECEIVED_ON) + dt.timedelta(hours=1)
    test_clock.set(received)
    customer = CustomerFactory(market=market, phone=GIVEN_BY_CUSTOMER[market])
    MarketingConsent.objects.create(
        person=member(customer),
        channel=MarketingChannel.SMS,
        given=True,
        address=GIVEN_BY_PERSON[market],
        method="signup_form",
        at=received,
    )
    for number in (UNKNOWN[market], GIVEN_BY_PERSON[market], GIVEN_BY_CUSTOMER[market]):
        _reply(number, received)
    everything = _numbers_left()

    # The last hour of the 30th day after the day of receipt, in the market's time.
    day_after = start_of_local_day(market, RECEIVED_ON + dt.timedelta(days=31))
    test_clock.set(day_after - dt.timedelta(hours=1))
    assert retention.apply_retention(test_clock.now()) == 0
    assert _numbers_left() == everything

    test_clock.set(day_after + dt.timedelta(hours=1))
    assert retention.apply_retention(test_clock.now()) == 1
    assert _numbers_left() == {GIVEN_BY_PERSON[market], GIVEN_BY_CUSTOMER[market]}
    event = Event.objects.get(action="privacy.retention_applied")
    assert event.data["deleted"] == {market: {"unknown_sms_replies": 1}}


def test_priv8_a_number_given_later_keeps_its_replies_still_within_30_days(test_clock):
    """PRIV-8: a reply's number is looked up when the run reads it: once a customer's person
    gives it, its replies belong to the consents and are no longer deleted after 30 days."""
    start = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
    test_clock.set(start)
    _reply(UNKNOWN["uk"], start)
    customer = CustomerFactory(market="uk")
    test_clock.set(start + dt.timedelta(days=20))
    MarketingConsent.objects.create(
        person=member(customer),
        channel=MarketingChannel.SMS,
        given=True,
        address=UNKNOWN["uk"],
        method="signup_form",
        at=test_clock.now(),
    )
    test_clock.set(start + dt.timedelta(days=60))
    assert retention.apply_retention(test_clock.now()) == 0
    assert _numbers_left() == {UNKNOWN["uk"]}


def test_priv8_a_number_of_neither_market_gets_the_longest_period(test_clock):
    start = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
    test_clock.set(start)
    _reply("+14155550100", start)
    test_clock.set(start + dt.timedelta(days=32))
    assert retention.apply_retention(test_clock.now()) == 1
    assert not _numbers_left()
    assert Event.objects.get(action="privacy.retention_applied").data["deleted"] == {
        "none": {"unknown_sms_replies": 1}
    }
