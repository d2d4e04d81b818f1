"""Price changes (LIFE-5, BILL-13): a rise is announced a month ahead, with the right to leave."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from officeline.accounts.choices import StaffRole
from officeline.accounts.tests.factories import BuildingFactory, CustomerFactory, staff_with_totp
from officeline.billing.models import Invoice, PriceList
from officeline.billing.prices import PriceChange, schedule_price_change
from officeline.billing.tests.test_invoices import give_card, new_line
from officeline.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def customers(test_clock):
    test_clock.set(dt.datetime(2026, 3, 10, 10, tzinfo=PARIS))
    fr = CustomerFactory(market="fr", building=BuildingFactory(market="fr"))
    uk = CustomerFactory(market="uk")
    return fr, uk


def test_life5_a_rise_needs_a_month_of_notice(customers):
    """LIFE-5, BILL-13: a rise taking effect sooner than a month from today is refused."""
    with pytest.raises(ValidationError) as info:
        schedule_price_change(
            market="fr",
            effective_from=dt.date(2026, 4, 9),
            prices=PriceChange(monthly_fee_minor=2900),
            actor=None,
        )
    assert "2026-04-10 at the earliest" in str(info.value.message_dict["effective_from"])
    assert not PriceList.objects.filter(market="fr", effective_from__gt="2026-01-01").exists()
    assert not OutboxMessage.objects.exists()


def test_life5_a_rise_is_emailed_to_the_markets_customers_in_their_language(customers):
    fr, _uk = customers  # the uk customer is not told of a fr change
    price_list = schedule_price_change(
        market="fr",
        effective_from=dt.date(2026, 4, 10),
        prices=PriceChange(monthly_fee_minor=2900),
        actor=None,
    )
    assert price_list.disadvantages_customers and price_list.announced_at is not None
    message = OutboxMessage.objects.get()
    assert message.customer == fr and message.to == fr.email
    text = message.body_text.replace("\u202f", " ").replace("\xa0", " ")
    assert "10 avril 2026" in message.subject
    assert "25,00 € → 29,00 €" in text and "sans aucune pénalité" in text


def test_bill13_a_price_cut_needs_no_notice_and_the_run_uses_the_new_price(test_clock, customers):
    fr, _ = customers
    give_card(fr)
    new_line(fr)  # billing starts on 17 March
    cut = schedule_price_change(
        market="fr",
        effective_from=dt.date(2026, 3, 11),
        prices=PriceChange(monthly_fee_minor=2000),
        actor=None,
    )
    assert not cut.disadvantages_customers and not OutboxMessage.objects.exists()
    test_clock.advance(dt.timedelta(days=8))
    assert Invoice.objects.get(customer=fr).net_minor == 2000


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
