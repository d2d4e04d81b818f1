"""Call barring per line: premium-rate and international calls barred by default; the
Office Manager opts a line in (portal and API), nobody else of the business can, no other
business can touch the line; staff see each line's barring; each change is an event."""

from __future__ import annotations

import pytest

from officeline.accounts.choices import CustomerRole, StaffRole
from officeline.accounts.tests.factories import (
    CustomerFactory,
    OfficeManagerFactory,
    OperatorMarketFactory,
    client_for,
    staff_with_totp,
)
from officeline.events.models import Event
from officeline.lines.models import Line
from officeline.lines.services import barring
from officeline.lines.services import lines as services
from officeline.lines.tests.factories import NumberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(test_clock):
    return OfficeManagerFactory(customer=CustomerFactory())


def _line(manager, e164: str = "+442079460801") -> Line:
    number = NumberFactory(e164=e164, market="uk", building=manager.customer.building)
    return services.open_line(
        customer=manager.customer,
        number=number,
        actor=manager,
        limitations_acknowledged=True,
        location_confirmed=True,
    )


def _member(manager):
    return OfficeManagerFactory(customer=manager.customer, customer_role=CustomerRole.MEMBER)


def _barring(line: Line) -> tuple[bool, bool]:
    line.refresh_from_db()
    return line.premium_calls_allowed, line.international_calls_allowed


def test_a_new_line_has_premium_rate_and_international_calls_barred(manager):
    assert _barring(_line(manager)) == (False, False)


def test_each_change_is_one_event_with_before_and_after_and_none_without_change(manager):
    line = _line(manager)
    barring.set_call_barring(line=line, international_allowed=True, actor=manager)
    barring.set_call_barring(line=line, international_allowed=True, actor=manager)
    events = Event.objects.filter(action="lines.call_barring_changed")
    assert events.count() == 1
    event = events.get()
    assert event.before == {"premium_calls_allowed": False, "international_calls_allowed": False}
    assert event.after == {"premium_calls_allowed": False, "international_calls_allowed": True}
    assert event.customer_visible and event.customer_id == manager.customer_id


def test_the_office_manager_opts_a_line_in_through_the_api(manager):
    line = _line(manager)
    client = client_for(manager)
    body = client.post(
        f"/api/v1/lines/{line.pk}/barring/", {"premium_calls_allowed": True}, format="json"
    ).json()
    assert (body["premium_calls_allowed"], body["international_calls_allowed"]) == (True, False)
    assert _barring(line) == (True, False)
    client.post(
        f"/api/v1/lines/{line.pk}/barring/",
        {"premium_calls_allowed": False, "international_calls_allowed": True},
        format="json",
    )
    assert _barring(line) == (False, True)
    empty = client.post(f"/api/v1/lines/{line.pk}/barring/", {}, format="json")
    assert empty.status_code == 400
    wrong = client.post(
        f"/api/v1/lines/{line.pk}/barring/", {"premium_calls_allowed": "maybe"}, format="json"
    )
    assert wrong.status_code == 400 and "premium_calls_allowed" in wrong.content.decode()
    listing = client_for(_member(manager)).get("/api/v1/lines/").json()
    assert listing[0]["international_calls_allowed"] is True


def test_a_member_cannot_lift_the_barring_through_the_api_or_the_portal(manager, client):
    line = _line(manager)
    member = _member(manager)
    response = client_for(member).post(
        f"/api/v1/lines/{line.pk}/barring/",
        {"premium_calls_allowed": True, "international_calls_allowed": True},
        format="json",
    )
    assert response.status_code == 403
    client.force_login(member)
    assert client.get(f"/lines/{line.pk}/barring/").status_code == 403
    posted = client.post(
        f"/lines/{line.pk}/barring/",
        {"premium_calls_allowed": "on", "international_calls_allowed": "on"},
    )
    assert posted.status_code == 403
    assert _barring(line) == (False, False)
    assert not Event.objects.filter(action="lines.call_barring_changed").exists()


def test_another_business_cannot_lift_the_barring_of_a_line(manager, client):
    line = _line(manager)
    stranger = OfficeManagerFactory(customer=CustomerFactory())
    response = client_for(stranger).post(
        f"/api/v1/lines/{line.pk}/barring/", {"international_calls_allowed": True}, format="json"
    )
    assert response.status_code == 404
    client.force_login(stranger)
    assert client.get(f"/lines/{line.pk}/barring/").status_code == 404
    posted = client.post(f"/lines/{line.pk}/barring/", {"international_calls_allowed": "on"})
    assert posted.status_code == 404
    assert _barring(line) == (False, False)


def test_the_office_manager_opts_a_line_in_on_the_portal_in_english_and_french(manager, client):
    line = _line(manager)
    client.force_login(manager)
    page = client.get("/lines/").content.decode()
    assert "premium-rate barred" in page and f"/lines/{line.pk}/barring/" in page
    form = client.get(f"/lines/{line.pk}/barring/").content.decode()
    assert "Allow international calls" in form and "never barred" in form
    response = client.post(
        f"/lines/{line.pk}/barring/", {"international_calls_allowed": "on"}, follow=True
    )
    assert "Call barring of line +442079460801 saved." in response.content.decode()
    assert _barring(line) == (False, True)
    french = client.get(f"/fr/lines/{line.pk}/barring/").content.decode()
    assert "Autoriser les appels internationaux" in french
    client.post(f"/fr/lines/{line.pk}/barring/", {})
    assert _barring(line) == (False, False)
    assert Event.objects.filter(action="lines.call_barring_changed").count() == 2


def test_staff_see_each_line_s_barring_read_only(manager, client):
    line = _line(manager)
    barring.set_call_barring(line=line, premium_allowed=True, actor=manager)
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    page = client.get(f"/console/customers/{line.customer_id}/lines/").content.decode()
    assert "premium-rate allowed" in page and "international barred" in page
    assert "/barring/" not in page


def test_the_limits_of_calls_in_progress_are_market_parameters_with_defaults(manager):
    assert barring.call_limits("uk") == (barring.DEFAULT_LINE_CALLS, barring.DEFAULT_CUSTOMER_CALLS)
    OperatorMarketFactory(market="fr", parameters={"line_concurrent_calls": 2})
    assert barring.call_limits("fr") == (2, barring.DEFAULT_CUSTOMER_CALLS)
    assert barring.call_limits_text() == "uk=4/20,fr=2/20"
