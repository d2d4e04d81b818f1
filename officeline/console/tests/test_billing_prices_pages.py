"""The console's price list page (LIFE-5, BILL-13): supervisors schedule a change, agents may not."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from officeline.accounts.choices import StaffRole
from officeline.accounts.tests.factories import BuildingFactory, CustomerFactory, staff_with_totp
from officeline.billing.models import PriceList

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def customers(test_clock):
    test_clock.set(dt.datetime(2026, 3, 10, 10, tzinfo=PARIS))
    fr = CustomerFactory(market="fr", building=BuildingFactory(market="fr"))
    uk = CustomerFactory(market="uk")
    return fr, uk


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("monthly_fee", "25.001", "more decimals"),
        ("monthly_fee", "-1", "cannot be negative"),
        ("effective_from", "10/04/2026", "YYYY-MM-DD"),
        ("effective_from", "2026-03-10", "after today"),
    ],
)
def test_console_price_change_form_names_the_problem(client, customers, field, value, message):
    client.force_login(staff_with_totp(staff_role=StaffRole.SUPERVISOR))
    data = {
        "market": "fr",
        "effective_from": "2026-05-01",
        "monthly_fee": "29.00",
        "setup_fee": "0.00",
        "reactivation_fee": "0.00",
        "third_party_fee": "10",
        field: value,
    }
    response = client.post("/console/prices/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert PriceList.objects.filter(market="fr").count() == 1


def test_console_supervisor_schedules_and_an_agent_may_not(client, customers):
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    data = {
        "market": "uk",
        "effective_from": "2026-05-01",
        "monthly_fee": "27.50",
        "setup_fee": "0.00",
        "reactivation_fee": "15.00",
        "third_party_fee": "12.5",
    }
    assert client.post("/console/prices/", data).status_code == 403
    client.force_login(staff_with_totp(staff_role=StaffRole.SUPERVISOR))
    assert client.post("/console/prices/", data).status_code == 302
    new = PriceList.objects.get(market="uk", effective_from=dt.date(2026, 5, 1))
    assert (new.monthly_fee_minor, new.third_party_fee_bp) == (2750, 1250)
    page = client.get("/console/prices/").content.decode()
    assert "2026-05-01" in page and "£27.50" in page
