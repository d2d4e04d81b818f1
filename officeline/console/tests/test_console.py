"""The staff console: who may enter, customer search and timeline, closure days, test clock."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from officeline import clock, navigation
from officeline.accounts.choices import StaffRole
from officeline.accounts.mfa import current_code, has_totp
from officeline.accounts.tests.factories import (
    TOTP_SECRET,
    CustomerFactory,
    OfficeManagerFactory,
    StaffFactory,
    staff_with_totp,
)
from officeline.clock import ticker
from officeline.clock.moves import advance_delta
from officeline.events.models import Event
from officeline.events.services import record_event
from officeline.markets.deadlines import deadline
from officeline.markets.models import ClosureDay

pytestmark = pytest.mark.django_db

CONSOLE_URLS = [
    "/console/",
    "/console/customers/?q=x",
    "/console/closure-days/",
    "/console/clock/",
    "/console/documents/",
    "/console/documents/reviews/",
]


@pytest.fixture
def agent_client(client):
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    return client


@pytest.mark.parametrize("url", CONSOLE_URLS)
def test_anonymous_users_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", CONSOLE_URLS)
def test_customers_cannot_reach_the_console(client, url):
    client.force_login(OfficeManagerFactory())
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [*CONSOLE_URLS, "/django-admin/"])
def test_staff_without_totp_are_sent_to_set_it_up_first(client, url):
    """TOTP is mandatory for staff: no console page before it is set up."""
    user = StaffFactory(staff_role=StaffRole.DIRECTOR)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    assert "next=" in response["Location"]
    assert not has_totp(user)


@pytest.mark.parametrize("role", list(StaffRole))
def test_every_staff_role_with_totp_enters_the_console(client, role):
    client.force_login(staff_with_totp(staff_role=role))
    for url in CONSOLE_URLS:
        assert client.get(url).status_code == 200, url


def test_a_deactivated_staff_user_is_refused(client):
    user = staff_with_totp(staff_role=StaffRole.AGENT)
    user.is_active = False
    user.save()
    client.force_login(user)
    assert client.get("/console/").status_code in (302, 403)


def test_console_menu_lists_the_pages(agent_client):
    html = agent_client.get("/console/").content.decode()
    for url in ("/console/customers/", "/console/documents/reviews/", "/console/closure-days/"):
        assert f'href="{url}"' in html


@pytest.mark.parametrize(
    "query",
    [
        "bramble",
        "BRAMBLE & FINCH",
        "office@bramble",
        "manager@bramble",
        "12 34 56 78",
        "020 7946 0123",
        "+44 20 7946 0123",
    ],
)
def test_customer_search_by_name_email_company_number_or_phone(agent_client, query):
    bramble = CustomerFactory(
        legal_name="Bramble & Finch Ltd",
        email="office@bramble-finch.test",
        company_number="12345678",
        phone="+442079460123",
    )
    OfficeManagerFactory(customer=bramble, email="manager@bramble-finch.test")
    CustomerFactory(
        legal_name="Other Business Ltd", company_number="87654321", phone="+442079460999"
    )
    response = agent_client.get("/console/customers/", {"q": query})
    html = response.content.decode()
    assert f"/console/customers/{bramble.pk}/" in html
    assert "Other Business Ltd" not in html


def test_customer_search_finds_a_french_customer_by_national_phone(agent_client):
    atelier = CustomerFactory(market="fr", legal_name="Atelier Lumière SARL", phone="+33199001234")
    html = agent_client.get("/console/customers/", {"q": "01 99 00 12 34"}).content.decode()
    assert f"/console/customers/{atelier.pk}/" in html


def test_customer_search_with_nothing_found_says_so(agent_client):
    html = agent_client.get("/console/customers/", {"q": "nobody at all"}).content.decode()
    assert "No customer matches this search." in html


def test_customer_search_query_count_does_not_grow(agent_client, django_assert_max_num_queries):
    for n in range(20):
        CustomerFactory(legal_name=f"Search Me {n} Ltd")
    with django_assert_max_num_queries(12):
        response = agent_client.get("/console/customers/", {"q": "search me"})
    assert response.content.decode().count("/console/customers/") >= 20


def test_customer_detail_shows_the_timeline(agent_client, test_clock):
    customer = CustomerFactory(
        legal_name="Timeline Ltd", accessibility_needs="Large print, please."
    )
    other = CustomerFactory()
    record_event(action="accounts.signed_up", customer=customer, after={"plan": "standard"})
    test_clock.advance(dt.timedelta(hours=2))
    record_event(
        action="support.complaint_opened", customer=customer, actor="agent@officeline.test"
    )
    record_event(action="accounts.secret_of_another", customer=other)
    html = agent_client.get(f"/console/customers/{customer.pk}/").content.decode()
    assert "Timeline Ltd" in html
    assert "Large print, please." in html
    assert html.index("accounts.signed_up") < html.index("support.complaint_opened")
    assert "agent@officeline.test" in html
    assert "accounts.secret_of_another" not in html


def test_unknown_customer_is_not_found(agent_client):
    assert agent_client.get("/console/customers/999999/").status_code == 404


def test_a_supervisor_adds_a_closure_day_and_deadlines_skip_it(client, test_clock):
    """Deadlines (D): an operator closure day counts as a non-business day from then on."""
    supervisor = staff_with_totp(staff_role=StaffRole.SUPERVISOR)
    client.force_login(supervisor)
    start = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)  # Thursday
    assert deadline("uk", start, business_days=1).date() == dt.date(2026, 11, 27)
    response = client.post(
        "/console/closure-days/", {"market": "uk", "date": "2026-11-27", "reason": "Office move"}
    )
    assert response.status_code == 302
    assert ClosureDay.objects.get(market="uk").reason == "Office move"
    event = Event.objects.get(action="markets.closure_day_added")
    assert event.actor == supervisor
    assert deadline("uk", start, business_days=1).date() == dt.date(2026, 11, 30)
    assert "Office move" in client.get("/console/closure-days/").content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"market": "uk", "date": "2026-11-20", "reason": "Late"}, "in the past"),
        (
            {"market": "uk", "date": "2026-11-28", "reason": "Saturday"},
            "already not a business day",
        ),
        (
            {"market": "uk", "date": "2026-12-25", "reason": "Christmas"},
            "already not a business day",
        ),
        ({"market": "uk", "date": "not a date", "reason": "x"}, "Enter a valid date"),
        ({"market": "us", "date": "2026-12-01", "reason": "x"}, "Select a valid choice"),
        ({"market": "uk", "date": "2026-12-01", "reason": ""}, "This field is required"),
    ],
)
def test_bad_closure_days_are_refused_with_the_reason(client, test_clock, data, message):
    client.force_login(staff_with_totp(staff_role=StaffRole.DIRECTOR))
    response = client.post("/console/closure-days/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ClosureDay.objects.exists()


def test_the_same_closure_day_twice_is_refused(client, test_clock):
    client.force_login(staff_with_totp(staff_role=StaffRole.DIRECTOR))
    data = {"market": "fr", "date": "2026-12-01", "reason": "Fermeture"}
    assert client.post("/console/closure-days/", data).status_code == 302
    response = client.post("/console/closure-days/", data)
    assert response.status_code == 400
    assert "already a closure day" in response.content.decode()
    assert ClosureDay.objects.count() == 1


def test_an_agent_cannot_add_closure_days(agent_client, test_clock):
    response = agent_client.post(
        "/console/closure-days/", {"market": "uk", "date": "2026-12-01", "reason": "x"}
    )
    assert response.status_code == 403
    assert not ClosureDay.objects.exists()


def test_test_clock_page_shows_now_and_moves_it_running_tick(agent_client, test_clock, monkeypatch):
    seen = []
    monkeypatch.setattr(ticker, "_handlers", {"test.seen": lambda now: seen.append(now) or 0})
    html = agent_client.get("/console/clock/").content.decode()
    assert "2026-11-25T10:00:00+00:00" in html
    response = agent_client.post("/console/clock/", {"amount": "3", "unit": "hours"})
    assert response.status_code == 302
    assert clock.now() == dt.datetime(2026, 11, 25, 13, 0, tzinfo=dt.UTC)
    assert seen[-1] == clock.now()
    assert len(seen) == 3  # hourly steps
    assert Event.objects.filter(action="clock.advanced").count() == 1
    agent_client.post("/console/clock/", {"amount": "2", "unit": "days"})
    assert clock.now() == dt.datetime(2026, 11, 27, 13, 0, tzinfo=dt.UTC)


def test_test_clock_moves_by_business_days_of_a_market(client, test_clock):
    test_clock.set(dt.datetime(2026, 12, 24, 16, 30, tzinfo=dt.UTC))  # Thursday
    agent_client = client
    agent_client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    response = agent_client.post(
        "/console/clock/", {"amount": "1", "unit": "business_days", "market": "uk"}
    )
    assert response.status_code == 302
    # Christmas Day and Boxing Day (substitute on Monday 28th) are bank holidays.
    assert clock.now() == dt.datetime(2026, 12, 29, 16, 30, tzinfo=dt.UTC)


def test_business_days_keep_the_local_time_across_a_clock_change():
    now = dt.datetime(2026, 10, 23, 15, 0, tzinfo=dt.UTC)  # Friday 17:00 in Paris (CEST)
    delta = advance_delta(amount=1, unit="business_days", market="fr", now=now)
    assert now + delta == dt.datetime(2026, 10, 26, 16, 0, tzinfo=dt.UTC)  # Monday 17:00 CET


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"amount": "0", "unit": "hours"}, "greater than or equal to 1"),
        ({"amount": "-2", "unit": "days"}, "greater than or equal to 1"),
        ({"amount": "x", "unit": "days"}, "Enter a whole number"),
        ({"amount": "1000", "unit": "days"}, "At most 92 at a time."),
        ({"amount": "1", "unit": "years"}, "Select a valid choice"),
        ({"amount": "1", "unit": "business_days"}, "Choose the market"),
    ],
)
def test_bad_clock_moves_are_refused_and_time_stays(agent_client, test_clock, data, field_message):
    before = clock.now()
    response = agent_client.post("/console/clock/", data)
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert clock.now() == before


def test_test_clock_is_hidden_and_refused_in_production(agent_client, test_clock):
    with override_settings(TEST_CLOCK_ENABLED=False):
        assert agent_client.get("/console/clock/").status_code == 404
        assert (
            agent_client.post("/console/clock/", {"amount": "1", "unit": "days"}).status_code == 404
        )
        html = agent_client.get("/console/").content.decode()
        assert "/console/clock/" not in html
    assert clock.now() == dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
    assert 'href="/console/clock/"' in agent_client.get("/console/").content.decode()


def test_totp_code_command_prints_the_current_code():
    user = staff_with_totp(staff_role=StaffRole.AGENT)
    out = StringIO()
    call_command("totp_code", user.email, stdout=out)
    assert out.getvalue().strip() == current_code(TOTP_SECRET)
    with pytest.raises(CommandError):
        call_command("totp_code", "nobody@officeline.test")
    with override_settings(DEPLOYMENT="production"), pytest.raises(CommandError):
        call_command("totp_code", user.email)


def test_demo_gives_every_staff_user_totp(db):
    from officeline.console import demo
    from officeline.demo import DemoReport

    staff = [StaffFactory(staff_role=role) for role in StaffRole]
    report = DemoReport()
    demo.seed(report)
    demo.seed(report)
    assert all(has_totp(user) for user in staff)
    assert "totp_code" in report.notes[0]


def test_console_speaks_french(agent_client):
    html = agent_client.get("/fr/console/").content.decode()
    assert "Tableau de bord" in html
    assert "Chercher des clients" in html


def test_customer_timeline_query_count_does_not_grow(agent_client, django_assert_max_num_queries):
    customer = CustomerFactory()
    OfficeManagerFactory(customer=customer)
    for n in range(60):
        record_event(action=f"test.step_{n}", customer=customer, actor=StaffFactory())
    # 15: with the staff session's idle check, which reads the (test) clock.
    with django_assert_max_num_queries(15):
        response = agent_client.get(f"/console/customers/{customer.pk}/")
    assert response.content.decode().count('class="event"') == 60


def test_other_apps_add_links_to_the_customer_page(agent_client, monkeypatch):
    monkeypatch.setattr(navigation, "_customer_links", {})
    # A page an agent may not open (LIFE-2: supervisors and the Director end a service).
    navigation.customer_link("billing_console:terminate", "Hidden")
    navigation.customer_link("nowhere:at_all", "Not mounted")
    customer = CustomerFactory()
    html = agent_client.get(f"/console/customers/{customer.pk}/").content.decode()
    assert "Not mounted" not in html
    assert "Hidden" not in html
    monkeypatch.setattr(navigation, "_customer_links", {})
    navigation.customer_link("console:customer", "Same page again", order=1)
    html = agent_client.get(f"/console/customers/{customer.pk}/").content.decode()
    assert f'<a href="/console/customers/{customer.pk}/">Same page again</a>' in html
