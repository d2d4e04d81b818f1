"""The Office Manager's calls in the portal."""

from __future__ import annotations

import datetime as dt

import pytest

from officeline.accounts.tests.factories import CustomerFactory, OfficeManagerFactory
from officeline.usage.models import CallRecord

pytestmark = pytest.mark.django_db


def _call(customer, call_id: str, to_number: str) -> CallRecord:
    return CallRecord.objects.create(
        call_id=call_id,
        customer=customer,
        direction="outbound",
        from_number="+442079460701",
        to_number=to_number,
        destination_type="mobile",
        started_at=dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC),
        answered_at=dt.datetime(2026, 11, 20, 9, 30, 5, tzinfo=dt.UTC),
        ended_at=dt.datetime(2026, 11, 20, 9, 31, 5, tzinfo=dt.UTC),
        duration_seconds=60,
        disposition="answered",
    )


def test_priv2_the_office_manager_sees_the_business_calls_only(client):
    manager = OfficeManagerFactory(customer=CustomerFactory())
    _call(manager.customer, "a", "+447911123456")
    _call(CustomerFactory(), "b", "+447911999999")
    client.force_login(manager)
    page = client.get("/calls/").content.decode()
    assert "+447911123456" in page and "Mobile" in page and "Answered" in page
    assert "+447911999999" not in page


def test_calls_in_french(client):
    manager = OfficeManagerFactory(customer=CustomerFactory())
    _call(manager.customer, "a", "+447911123456")
    client.force_login(manager)
    page = client.get("/fr/calls/").content.decode()
    assert "Appels" in page and "Répondu" in page
