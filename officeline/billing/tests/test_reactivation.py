"""Dunning and back (BILL-7, BILL-8, LIFE-4): a new card pays what is owed and the lines return."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from officeline.accounts.tests.factories import OfficeManagerFactory
from officeline.billing.models import Invoice
from officeline.billing.services.cards import collect_now, replace_card
from officeline.billing.tests.factories import (
    CARDS,
    give_card,
    new_card,
    new_line,
    suspended_for_non_payment,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def test_life4_paying_with_a_new_card_reactivates_the_lines_with_the_fee(test_clock):
    """BILL-7: the customer replaces the card; what is owed is tried at once. LIFE-4: once
    nothing is owed, the lines come back, with the reactivation fee on its own invoice."""
    manager, customer, line = suspended_for_non_payment(test_clock)
    replace_card(customer=customer, card=new_card(CARDS["ok"]), provider="sandbox", actor=manager)
    payments = collect_now(customer=customer)
    assert [p.outcome for p in payments] == ["succeeded"]
    line.refresh_from_db()
    assert line.status == "active" and line.suspension_ground == ""
    fee = Invoice.objects.get(customer=customer, run_key__startswith="reactivation:")
    item = fee.lines.get()
    assert (item.kind, item.phone_number) == ("reactivation_fee", line.number.e164)
    assert (fee.net_minor, fee.vat_minor, fee.total_minor) == (1500, 300, 1800)
    test_clock.advance(dt.timedelta(minutes=1))  # the next tick collects the fee
    fee.refresh_from_db()
    assert fee.status == "paid"


def test_bill7_a_new_card_that_is_declined_changes_nothing_else(test_clock):
    manager, customer, line = suspended_for_non_payment(test_clock)
    replace_card(
        customer=customer, card=new_card(CARDS["declined"]), provider="sandbox", actor=manager
    )
    assert [p.outcome for p in collect_now(customer=customer)] == ["declined"]
    line.refresh_from_db()
    assert line.status == "suspended"
    assert not Invoice.objects.filter(run_key__startswith="reactivation:").exists()


def test_portal_card_page_replaces_the_card_and_pays(test_clock, client):
    manager, _customer, line = suspended_for_non_payment(test_clock)
    client.force_login(manager)
    page = client.get("/account/card/").content.decode()
    assert "•••• 0002" in page and "UK-00000001" in page and "/account/card/start/" in page
    assert "/sandbox-pay/" in client.post("/account/card/start/")["Location"]
    token = new_card(CARDS["ok"]).token
    response = client.get(f"/account/card/return/?card_token={token}")
    assert response.status_code == 302
    assert Invoice.objects.get(number="UK-00000001").status == "paid"
    line.refresh_from_db()
    assert line.status == "active"
    assert "•••• 4242" in client.get("/account/card/").content.decode()
    bad = client.get("/account/card/return/?card_token=nope")
    assert bad.status_code == 302


def test_bill6_the_card_may_be_charged_for_30_days_after_automatic_charging_stops(
    test_clock, client
):
    """BILL-6: the card authorisation lasts until 30 days after its written revocation."""
    from officeline.billing.services.cards import stop_automatic_charging

    test_clock.set(dt.datetime(2026, 1, 18, 10, tzinfo=LONDON))
    manager = OfficeManagerFactory(customer__market="uk")
    customer = manager.customer
    give_card(customer)
    new_line(customer)
    client.force_login(manager)
    test_clock.advance(dt.timedelta(days=10))  # 28 January: the first invoice is paid
    assert client.post("/account/card/stop/").status_code == 302
    page = client.get("/account/card/").content.decode()
    assert "may still be charged until" in page and "Feb. 27, 2026" in page
    with pytest.raises(Exception, match="already stopped"):
        stop_automatic_charging(customer=customer, actor=manager)
    test_clock.advance(dt.timedelta(days=29), step=dt.timedelta(days=1))  # 26 February
    assert Invoice.objects.get(period_start=dt.date(2026, 2, 25)).status == "paid"
    test_clock.advance(dt.timedelta(days=28), step=dt.timedelta(days=1))  # 26 March
    march = Invoice.objects.get(period_start=dt.date(2026, 3, 25))
    assert march.status == "unpaid"
    assert march.payments.get().message == "no card on file"
