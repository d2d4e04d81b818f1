"""A customer's calls in the console."""

from __future__ import annotations

import datetime as dt

import pytest

from officeline.accounts.choices import StaffRole
from officeline.accounts.tests.factories import CustomerFactory, staff_with_totp
from officeline.usage.models import CallRecord

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def _call(customer, call_id: str, **fields) -> CallRecord:
    values = {
        "direction": "outbound",
        "from_number": "+442079460501",
        "to_number": "+442079460999",
        "destination_type": "national",
        "started_at": T0,
        "disposition": "busy",
        "sip_code": 486,
        "sip_reason": "Busy Here",
        **fields,
    }
    return CallRecord.objects.create(call_id=call_id, customer=customer, **values)


def test_priv2_staff_see_a_customers_calls_and_no_one_elses(client):
    customer, other = CustomerFactory(), CustomerFactory()
    _call(customer, "a")
    _call(other, "b", to_number="+442079460888")
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    page = client.get(f"/console/customers/{customer.pk}/").content.decode()
    assert f"/console/customers/{customer.pk}/calls/" in page
    page = client.get(f"/console/customers/{customer.pk}/calls/").content.decode()
    assert "+442079460999" in page and "Busy" in page and "486 Busy Here" in page
    assert "+442079460888" not in page


def test_calls_page_needs_a_role_that_serves_customers(client):
    customer = CustomerFactory()
    client.force_login(staff_with_totp(staff_role=StaffRole.DPO))
    assert client.get(f"/console/customers/{customer.pk}/calls/").status_code == 403
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    assert client.get("/console/customers/999999/calls/").status_code == 404
