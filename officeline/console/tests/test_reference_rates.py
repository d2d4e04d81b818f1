"""The reference-rates console page (BILL-8): everyone on staff reads, supervisors and the Director add."""

from __future__ import annotations

import datetime as dt

import pytest

from officeline.accounts.choices import StaffRole
from officeline.accounts.tests.factories import OfficeManagerFactory, staff_with_totp
from officeline.billing.interest import annual_rate_bp
from officeline.events.models import Event
from officeline.markets.models import ReferenceRate

pytestmark = pytest.mark.usefixtures("reference_rates", "test_clock")

URL = "/console/reference-rates/"


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_customers_cannot_see_the_reference_rates(client):
    client.force_login(OfficeManagerFactory())
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("role", list(StaffRole))
def test_every_staff_role_reads_the_rates_per_market(client, role):
    client.force_login(staff_with_totp(staff_role=role))
    html = client.get(URL).content.decode()
    assert "the ECB main refinancing operations rate" in html
    assert "the Bank of England base rate" in html
    assert "2025-06-11" in html and "2.15 %" in html  # ECB
    assert "2025-12-18" in html and "3.75 %" in html  # BoE
    # Now (November 2026): fr 2.15 % on 1 July 2026 + 10; uk 3.75 % on 30 June 2026 + 8.
    assert "12.15 %" in html and "11.75 %" in html


@pytest.mark.parametrize("role", [StaffRole.SUPERVISOR, StaffRole.DIRECTOR])
def test_bill8_supervisors_and_the_director_record_a_rate_that_interest_then_uses(client, role):
    """BILL-8: a rate recorded in the console fixes the next half-year's interest."""
    user = staff_with_totp(staff_role=role)
    client.force_login(user)
    assert annual_rate_bp("fr", dt.date(2027, 1, 15)) == 1215
    response = client.post(
        URL,
        {"market": "fr", "effective_from": "2026-12-16", "rate": "1.90", "source": "ECB 10 Dec"},
    )
    assert response.status_code == 302
    rate = ReferenceRate.objects.get(market="fr", effective_from=dt.date(2026, 12, 16))
    assert (rate.rate_bp, rate.source) == (190, "ECB 10 Dec")
    event = Event.objects.get(action="markets.reference_rate_added")
    assert event.actor == user
    assert annual_rate_bp("fr", dt.date(2027, 1, 15)) == 1190
    assert annual_rate_bp("fr", dt.date(2026, 12, 20)) == 1215  # this half-year is fixed
    html = client.get(URL).content.decode()
    assert "2026-12-16" in html and "1.90 %" in html


def test_the_page_reads_in_french(client):
    client.force_login(staff_with_totp(staff_role=StaffRole.DIRECTOR))
    html = client.get("/fr" + URL).content.decode()
    assert "Taux de référence" in html
    assert "le taux appliqué par la BCE" in html
    assert "2,15 %" in html and "12,15 %" in html
    response = client.post(
        "/fr" + URL, {"market": "fr", "effective_from": "2026-12-16", "rate": "-1", "source": "x"}
    )
    assert "ne peut pas être négatif" in response.content.decode()


def test_an_agent_cannot_add_a_rate(client):
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    assert "Record a new rate" not in client.get(URL).content.decode()
    response = client.post(
        URL, {"market": "uk", "effective_from": "2026-12-17", "rate": "3.50", "source": "BoE"}
    )
    assert response.status_code == 403
    assert not ReferenceRate.objects.filter(effective_from=dt.date(2026, 12, 17)).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"effective_from": "2025-12-18"}, "a rate from 2025-12-18 is already recorded"),
        ({"rate": "-0.25"}, "cannot be negative"),
        ({"rate": "30"}, "30.00 % is not a plausible central bank rate"),
        ({"rate": "2.155"}, "Ensure that there are no more than 2 decimal places"),
        ({"rate": "two"}, "Enter a number"),
        ({"effective_from": "18/12/2026"}, "Enter a valid date"),
        ({"effective_from": "2026-02-30"}, "Enter a valid date"),
        ({"market": "de"}, "Select a valid choice"),
        ({"source": "  "}, "This field is required"),
    ],
)
def test_bad_rates_are_refused_with_the_reason(client, data, message):
    client.force_login(staff_with_totp(staff_role=StaffRole.SUPERVISOR))
    before = ReferenceRate.objects.count()
    post = {"market": "uk", "effective_from": "2026-12-17", "rate": "3.50", "source": "BoE"}
    post.update(data)
    response = client.post(URL, post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ReferenceRate.objects.count() == before
    assert not Event.objects.filter(action="markets.reference_rate_added").exists()
