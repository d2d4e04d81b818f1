"""Monthly spend limits per line and per customer: the tick values the month's calls at the
commercial per-minute rates, marks the lines at their limit (the SIP core then refuses their
external calls), and clears the marks when the month ends."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from officeline import clock
from officeline.accounts.tests.factories import CustomerFactory, OperatorMarketFactory
from officeline.billing.tests.factories import PriceListFactory
from officeline.billing.tick import spend_limits_due
from officeline.events.models import Event
from officeline.lines.models import Line, Number
from officeline.lines.services import lines
from officeline.usage.models import CallRecord

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
_ids = itertools.count(1)


@pytest.fixture
def customer(test_clock):
    test_clock.set(dt.datetime(2026, 1, 10, 10, 0, tzinfo=LONDON))
    PriceListFactory(
        market="uk",
        monthly_fee_minor=1999,
        per_minute_minor={"national": 2, "mobile": 10, "international": 100},
    )
    OperatorMarketFactory(
        market="uk",
        parameters={
            "line_monthly_spend_limit_minor": 1000,
            "customer_monthly_spend_limit_minor": 1500,
        },
    )
    return CustomerFactory(market="uk")


def _line(customer, e164: str) -> Line:
    number = Number.objects.create(e164=e164, market="uk", building=customer.building)
    return lines.open_line(
        customer=customer,
        number=number,
        actor=None,
        limitations_acknowledged=True,
        location_confirmed=True,
    )


def _call(line: Line, at: dt.datetime, minutes: int, kind: str = "international") -> None:
    CallRecord.objects.create(
        call_id=f"spend-{next(_ids)}",
        customer=line.customer,
        line=line,
        direction="outbound",
        from_number=line.number.e164,
        to_number="+33140000000",
        destination_type=kind,
        started_at=at,
        answered_at=at,
        ended_at=at + dt.timedelta(minutes=minutes),
        duration_seconds=minutes * 60,
        disposition="answered",
    )


def _marked(*lines_: Line) -> list[bool]:
    return [Line.objects.get(pk=line.pk).spend_limit_reached_at is not None for line in lines_]


def test_a_line_at_its_monthly_limit_is_marked_and_cleared_next_month(test_clock, customer):
    line = _line(customer, "+442079460901")
    other = _line(customer, "+442079460902")
    now = clock.now()
    _call(line, now - dt.timedelta(minutes=20), 9)  # 9.00: under 10.00
    assert spend_limits_due(now) == 0
    assert _marked(line, other) == [False, False]
    _call(line, now - dt.timedelta(minutes=5), 1)  # 10.00: at the limit
    assert spend_limits_due(now) == 1
    assert _marked(line, other) == [True, False]
    event = Event.objects.get(action="lines.spend_limit_reached")
    assert event.data["whose"] == "line" and event.data["spent_minor"] == 1000
    assert spend_limits_due(now) == 0  # marked once
    first_of_february = dt.datetime(2026, 2, 1, 0, 0, tzinfo=LONDON)
    assert spend_limits_due(first_of_february) == 1
    assert _marked(line, other) == [False, False]
    assert Event.objects.filter(action="lines.spend_limit_cleared").count() == 1


def test_a_customer_at_its_limit_has_every_line_marked(test_clock, customer):
    first = _line(customer, "+442079460903")
    second = _line(customer, "+442079460904")
    elsewhere = _line(CustomerFactory(market="uk"), "+442079460905")
    now = clock.now()
    _call(first, now - dt.timedelta(minutes=10), 8)
    _call(second, now - dt.timedelta(minutes=10), 7)  # 15.00 together, each under 10.00
    _call(elsewhere, now - dt.timedelta(minutes=10), 8)
    spend_limits_due(now)
    assert _marked(first, second, elsewhere) == [True, True, False]
    whose = set(
        Event.objects.filter(action="lines.spend_limit_reached").values_list(
            "data__whose", flat=True
        )
    )
    assert whose == {"customer"}


def test_national_calls_count_at_their_own_rate_and_last_month_does_not_count(test_clock, customer):
    line = _line(customer, "+442079460906")
    now = clock.now()
    _call(line, dt.datetime(2025, 12, 31, 12, 0, tzinfo=LONDON), 60)  # December: not counted
    _call(line, now - dt.timedelta(minutes=5), 100, kind="national")  # 2.00
    assert spend_limits_due(now) == 0
    assert _marked(line) == [False]
