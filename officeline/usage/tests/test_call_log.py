"""PRIV-3: the customer's call log keeps at most what the market's limits allow; the traffic
data behind it lives on until its own retention (PRIV-8)."""

from __future__ import annotations

import datetime as dt

import pytest

from officeline.accounts.models import OperatorMarket
from officeline.usage import selectors
from officeline.usage.choices import CALL_LOG_DEFAULT_MAX_ENTRIES, CALL_LOG_DEFAULT_MONTHS
from officeline.usage.models import CallRecord
from officeline.usage.tests.factories import manager

pytestmark = pytest.mark.django_db


def _call(customer, call_id: str, started_at: dt.datetime) -> CallRecord:
    return CallRecord.objects.create(
        call_id=call_id,
        customer=customer,
        direction="outbound",
        from_number="+442079460701",
        to_number=f"+4479111{call_id[-5:].rjust(5, '0')}",
        destination_type="mobile",
        started_at=started_at,
        ended_at=started_at + dt.timedelta(minutes=1),
        disposition="answered",
    )


def _log(customer, now) -> list[str]:
    return [r.call_id for r in selectors.call_log(customer, now)]


def test_priv3_the_call_log_keeps_three_months_by_default(test_clock):
    customer = manager("uk").customer
    _call(customer, "c-00001", dt.datetime(2026, 8, 24, 22, 0, tzinfo=dt.UTC))  # 24 Aug, London
    _call(customer, "c-00002", dt.datetime(2026, 8, 24, 23, 30, tzinfo=dt.UTC))  # 25 Aug, London
    assert _log(customer, test_clock.now()) == ["c-00002"]
    # The traffic data is still there, for billing and enquiries (PRIV-2, PRIV-8).
    assert CallRecord.objects.count() == 2


def test_priv3_the_operator_limits_how_long_and_how_many_per_market(client, test_clock):
    office_manager = manager("uk")
    customer = office_manager.customer
    market = OperatorMarket.objects.get(market="uk")
    market.parameters = {"call_log_months": 1, "call_log_max_entries": 2}
    market.save()
    now = test_clock.now()
    for i, days_ago in enumerate([1, 2, 3, 40]):
        _call(customer, f"c-{i:05d}", now - dt.timedelta(days=days_ago))
    assert _log(customer, now) == ["c-00000", "c-00001"]

    client.force_login(office_manager)
    page = client.get("/calls/").text
    assert "+447911100000" in page and "+447911100001" in page
    assert "+447911100002" not in page and "+447911100003" not in page
    assert CallRecord.objects.count() == 4

    # The other market keeps its own limits (the defaults here).
    fr = manager("fr").customer
    for i, days_ago in enumerate([1, 2, 3, 40]):
        _call(fr, f"f-{i:05d}", now - dt.timedelta(days=days_ago))
    assert len(_log(fr, now)) == 4


def test_priv3_a_bad_limit_falls_back_to_the_default(test_clock):
    manager("uk")
    OperatorMarket.objects.filter(market="uk").update(
        parameters={"call_log_months": "six", "call_log_max_entries": 0}
    )
    assert selectors.call_log_limits("uk") == selectors.CallLogLimits(
        months=CALL_LOG_DEFAULT_MONTHS, max_entries=CALL_LOG_DEFAULT_MAX_ENTRIES
    )
