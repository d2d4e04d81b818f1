"""Business-day arithmetic: the rule book's deadline rules on real calendars."""

from __future__ import annotations

import datetime as dt

import pytest

from officeline.markets import deadlines
from officeline.markets.deadlines import DeadlineError, deadline
from officeline.markets.definitions import UnknownMarket, get_market
from officeline.markets.models import ClosureDay

UTC = dt.UTC
pytestmark = pytest.mark.django_db


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_christmas_eve_uk_one_business_day_skips_christmas_and_substitute_boxing_day():
    # 25 Dec 2026 is a Friday; Boxing Day falls on Saturday, so Monday 28th is its substitute.
    result = deadline("uk", at("2026-12-24T16:30:00+00:00"), business_days=1)
    assert result.isoformat() == "2026-12-29T23:59:59.999999+00:00"


def test_event_on_saturday_counts_from_that_day():
    # "a complaint received on Saturday must be acknowledged by the end of Monday"
    result = deadline("uk", at("2026-11-28T09:00:00+00:00"), business_days=1)
    assert result.isoformat() == "2026-11-30T23:59:59.999999+00:00"


def test_fr_may_day_is_not_a_business_day():
    # 1 May 2026 is a Friday, a public holiday in France.
    result = deadline("fr", at("2026-04-30T10:00:00+02:00"), business_days=1)
    assert result.isoformat() == "2026-05-04T23:59:59.999999+02:00"


def test_fr_whit_monday_and_ascension_2026():
    # Ascension Thu 14 May 2026; Whit Monday 25 May 2026.
    assert deadline("fr", at("2026-05-13T12:00:00+02:00"), business_days=1).date() == dt.date(
        2026, 5, 15
    )
    assert deadline("fr", at("2026-05-22T12:00:00+02:00"), business_days=1).date() == dt.date(
        2026, 5, 26
    )


def test_uk_holidays_are_england_and_wales_not_scotland():
    # 2 January is a bank holiday in Scotland only: in 2026 it is a Friday.
    assert deadline("uk", at("2026-01-01T12:00:00+00:00"), business_days=1).date() == dt.date(
        2026, 1, 2
    )


def test_start_is_taken_in_market_local_time():
    # 23:30 UTC on 30 June is already 1 July in Paris.
    result = deadline("fr", at("2026-06-30T23:30:00+00:00"), business_days=1)
    assert result.isoformat() == "2026-07-02T23:59:59.999999+02:00"


def test_deadline_ends_in_summer_time_when_the_clocks_change():
    # BST starts on Sunday 29 March 2026.
    result = deadline("uk", at("2026-03-27T10:00:00+00:00"), business_days=1)
    assert result.isoformat() == "2026-03-30T23:59:59.999999+01:00"


def test_five_business_days_over_easter_uk():
    # Good Friday 3 April, Easter Monday 6 April 2026.
    result = deadline("uk", at("2026-04-01T10:00:00+01:00"), business_days=5)
    assert result.date() == dt.date(2026, 4, 10)


def test_calendar_days_and_weeks():
    start = at("2026-11-25T10:00:00+00:00")
    assert deadline("uk", start, days=5).isoformat() == "2026-11-30T23:59:59.999999+00:00"
    assert deadline("uk", start, weeks=8).isoformat() == "2027-01-20T23:59:59.999999+00:00"


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2026-01-31T10:00:00+00:00", "2026-02-28"),
        ("2028-01-31T10:00:00+00:00", "2028-02-29"),
        ("2026-03-31T10:00:00+01:00", "2026-04-30"),
        ("2026-12-15T10:00:00+00:00", "2027-01-15"),
    ],
)
def test_one_month_is_same_day_number_or_month_end(start, expected):
    assert deadline("uk", at(start), months=1).date().isoformat() == expected


def test_operator_closure_day_counts_as_non_business_day():
    start = at("2026-12-24T16:30:00+00:00")
    ClosureDay.objects.create(
        market="uk", date=dt.date(2026, 12, 29), reason="Office move", created_at=start
    )
    assert deadline("uk", start, business_days=1).date() == dt.date(2026, 12, 30)
    # The closure is uk's only.
    assert deadline("fr", at("2026-12-28T10:00:00+01:00"), business_days=1).date() == dt.date(
        2026, 12, 29
    )


def test_zero_business_days_is_the_end_of_the_event_day():
    assert deadline("uk", at("2026-11-28T09:00:00+00:00"), business_days=0).date() == dt.date(
        2026, 11, 28
    )


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"days": 1, "weeks": 1}, {"days": -1}, {"business_days": 1.5}],
)
def test_bad_counts_are_refused(kwargs):
    with pytest.raises(DeadlineError):
        deadline("uk", at("2026-11-25T10:00:00+00:00"), **kwargs)


def test_naive_start_is_refused():
    with pytest.raises(DeadlineError, match="offset"):
        deadline("uk", dt.datetime(2026, 11, 25, 10), business_days=1)


def test_unknown_market_names_the_known_ones():
    with pytest.raises(UnknownMarket, match="uk, fr"):
        get_market("de")


def test_subtract_business_days_and_between():
    # Five business days before Friday 1 January 2027 (a holiday in both markets).
    assert deadlines.subtract_business_days("uk", dt.date(2027, 1, 1), 5) == dt.date(2026, 12, 23)
    assert deadlines.business_days_between("uk", dt.date(2026, 12, 23), dt.date(2027, 1, 1)) == 4
