"""LIFE-6: planned maintenance is announced to the affected customers with reasonable notice."""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from officeline.accounts.choices import StaffRole
from officeline.accounts.models import Building, Customer
from officeline.accounts.tests.factories import (
    BuildingFactory,
    CustomerFactory,
    OfficeManagerFactory,
    OperatorMarketFactory,
    client_for,
    staff_with_totp,
)
from officeline.events.models import Event
from officeline.lines import selectors
from officeline.lines.models import Line, Maintenance
from officeline.lines.services import maintenance as mt
from officeline.lines.tests.factories import NumberFactory
from officeline.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

UTC = dt.UTC
_numbers = itertools.count(1)


def _line(customer: Customer, building: Building, status: str = "active") -> Line:
    prefix = "+3319900" if building.market == "fr" else "+4420794605"
    number = NumberFactory(
        e164=f"{prefix}{next(_numbers):02d}",
        market=building.market,
        building=building,
        status="assigned",
    )
    return Line.objects.create(
        customer=customer,
        number=number,
        status=status,
        activation_requested_at=dt.datetime(2026, 11, 1, tzinfo=UTC),
    )


def _engineer():
    return staff_with_totp(staff_role=StaffRole.ENGINEER)


def _data(market: str, buildings, starts_at, hours: int = 2, **extra) -> mt.MaintenanceInput:
    return mt.MaintenanceInput(
        market=market,
        description_en=extra.pop("description_en", "Router upgrade"),
        description_fr=extra.pop("description_fr", "Mise à niveau des routeurs"),
        starts_at=starts_at,
        ends_at=extra.pop("ends_at", starts_at + dt.timedelta(hours=hours) if starts_at else None),
        buildings=tuple(buildings),
        **extra,
    )


def _messages() -> dict[str, OutboxMessage]:
    return {m.to: m for m in OutboxMessage.objects.filter(kind="lines")}


@pytest.mark.parametrize(
    ("market", "other_language", "start_local", "end_local", "start_fr"),
    [
        # 2026-11-27 22:00 UTC: 22:00 in London (GMT), 23:00 in Paris (CET).
        ("uk", "fr", "Friday 27 November 2026, 22:00 GMT", "00:00 GMT", "vendredi 27 novembre"),
        ("fr", "en", "Friday 27 November 2026, 23:00 CET", "01:00 CET", "vendredi 27 novembre"),
    ],
)
def test_life6_the_announcement_reaches_exactly_the_affected_customers_in_their_language(
    test_clock, market, other_language, start_local, end_local, start_fr
):
    """Active and suspended lines in the building are told, in each customer's language with
    the window in their time zone; not a customer elsewhere, not a terminated or requested
    line."""
    here = BuildingFactory(market=market, name="Tower A")
    elsewhere = BuildingFactory(market=market, name="Tower B")
    active = CustomerFactory(market=market, building=here)
    suspended = CustomerFactory(market=market, building=here, language=other_language)
    other_building = CustomerFactory(market=market, building=elsewhere)
    ended = CustomerFactory(market=market, building=here)
    waiting = CustomerFactory(market=market, building=here)
    _line(active, here)
    _line(active, here)  # two lines: one email
    _line(suspended, here, status="suspended")
    _line(other_building, elsewhere)
    _line(ended, here, status="terminated")
    _line(waiting, here, status="requested")

    start = dt.datetime(2026, 11, 27, 22, 0, tzinfo=UTC)
    assert mt.preview(data=_data(market, [here], start), actor=_engineer()) == 2
    assert not OutboxMessage.objects.exists()  # the confirmation step writes nothing
    maintenance = mt.schedule_maintenance(data=_data(market, [here], start), actor=_engineer())

    sent = _messages()
    assert set(sent) == {active.email, suspended.email}
    by_language = {sent[str(c.email)].language: sent[str(c.email)] for c in (active, suspended)}
    english, french = by_language["en"], by_language["fr"]
    assert start_local in english.body_text and end_local in english.body_text
    assert "Tower A" in english.body_text and "Router upgrade" in english.body_text
    assert "Tower B" not in english.body_text
    assert english.subject == "Planned maintenance on 27 November 2026"
    assert start_fr in french.body_text and "Mise à niveau des routeurs" in french.body_text
    assert start_local.split(", ")[1] in french.body_text  # the same hour, in French
    assert "maintenance" in french.subject.lower()
    events = Event.objects.filter(action=mt.ANNOUNCED, customer_visible=True)
    assert {e.customer_id for e in events} == {active.pk, suspended.pk}
    assert maintenance.scheduled_by is not None and maintenance.urgent_reason == ""


@pytest.mark.parametrize(
    ("market", "earliest"), [("uk", "2026-11-27 10:00 GMT"), ("fr", "2026-11-27 11:00 CET")]
)
def test_life6_47_hours_of_notice_is_refused_naming_the_earliest_start_48_accepted(
    test_clock, market, earliest
):
    building = BuildingFactory(market=market)
    _line(CustomerFactory(market=market, building=building), building)
    now = test_clock.now()
    with pytest.raises(ValidationError) as info:
        mt.schedule_maintenance(
            data=_data(market, [building], now + dt.timedelta(hours=47)), actor=_engineer()
        )
    [message] = info.value.message_dict["starts_at"]
    assert "at least 48 hours" in message and earliest in message
    assert not Maintenance.objects.exists() and not OutboxMessage.objects.exists()
    mt.schedule_maintenance(
        data=_data(market, [building], now + dt.timedelta(hours=48)), actor=_engineer()
    )
    assert OutboxMessage.objects.filter(kind="lines").count() == 1


def test_life6_the_notice_is_a_market_parameter(test_clock):
    OperatorMarketFactory(market="uk", parameters={"maintenance_notice_hours": 72})
    building = BuildingFactory(market="uk")
    with pytest.raises(ValidationError) as info:
        mt.schedule_maintenance(
            data=_data("uk", [building], test_clock.now() + dt.timedelta(hours=48)),
            actor=_engineer(),
        )
    assert "2026-11-28 10:00 GMT" in info.value.message_dict["starts_at"][0]


@pytest.mark.parametrize(
    ("market", "now", "start", "shown"),
    [
        # The clocks go forward at 01:00 UTC on 28 March 2027 in both markets.
        (
            "uk",
            dt.datetime(2027, 3, 25, 23, 0, tzinfo=UTC),
            dt.datetime(2027, 3, 27, 23, 0, tzinfo=UTC),
            ("Saturday 27 March 2027, 23:00 GMT", "Sunday 28 March 2027, 03:00 BST"),
        ),
        (
            "fr",
            dt.datetime(2027, 3, 25, 23, 0, tzinfo=UTC),
            dt.datetime(2027, 3, 27, 23, 0, tzinfo=UTC),
            ("dimanche 28 mars 2027, 00:00 CET", "dimanche 28 mars 2027, 04:00 CEST"),
        ),
    ],
)
def test_life6_notice_is_counted_in_real_hours_across_a_daylight_saving_change(
    test_clock, market, now, start, shown
):
    """A window of 3 real hours across the change is shown in each zone's own hours."""
    test_clock.set(now)
    building = BuildingFactory(market=market)
    customer = CustomerFactory(market=market, building=building)
    _line(customer, building)
    with pytest.raises(ValidationError):
        mt.schedule_maintenance(
            data=_data(market, [building], start - dt.timedelta(hours=1), hours=3),
            actor=_engineer(),
        )
    mt.schedule_maintenance(data=_data(market, [building], start, hours=3), actor=_engineer())
    body = OutboxMessage.objects.get(kind="lines").body_text
    assert shown[0] in body and shown[1] in body


def test_life6_urgent_work_with_a_reason_is_accepted_and_the_reason_is_in_the_email(test_clock):
    building = BuildingFactory(market="fr")
    customer = CustomerFactory(market="fr", building=building)
    _line(customer, building)
    soon = test_clock.now() + dt.timedelta(hours=3)
    with pytest.raises(ValidationError) as info:
        mt.schedule_maintenance(
            data=_data("fr", [building], soon, urgent_reason="   "), actor=_engineer()
        )
    assert "urgent work" in info.value.message_dict["starts_at"][0]
    reason = "Un routeur défaillant doit être remplacé"
    maintenance = mt.schedule_maintenance(
        data=_data("fr", [building], soon, urgent_reason=reason), actor=_engineer()
    )
    assert maintenance.urgent_reason == reason
    body = OutboxMessage.objects.get(kind="lines").body_text
    assert reason in body and "48 heures" in body
    event = Event.objects.get(action=mt.ANNOUNCED)
    assert event.data["urgent_reason"] == reason


def test_life6_a_reason_given_with_enough_notice_is_not_told_as_urgent(test_clock):
    building = BuildingFactory(market="uk")
    _line(CustomerFactory(market="uk", building=building), building)
    maintenance = mt.schedule_maintenance(
        data=_data(
            "uk", [building], test_clock.now() + dt.timedelta(days=3), urgent_reason="Just in case"
        ),
        actor=_engineer(),
    )
    assert maintenance.urgent_reason == ""
    assert "Just in case" not in OutboxMessage.objects.get(kind="lines").body_text


def test_life6_moving_the_window_sends_an_updated_notice_under_the_same_rule(test_clock):
    building = BuildingFactory(market="uk", name="Tower A")
    customer = CustomerFactory(market="uk", building=building)
    _line(customer, building)
    start = dt.datetime(2026, 11, 30, 22, 0, tzinfo=UTC)
    maintenance = mt.schedule_maintenance(data=_data("uk", [building], start), actor=_engineer())
    test_clock.advance(dt.timedelta(days=1))  # now 26 November 10:00
    with pytest.raises(ValidationError) as info:
        mt.reschedule_maintenance(
            maintenance=maintenance,
            starts_at=dt.datetime(2026, 11, 28, 9, 0, tzinfo=UTC),
            ends_at=dt.datetime(2026, 11, 28, 11, 0, tzinfo=UTC),
            actor=_engineer(),
        )
    assert "2026-11-28 10:00 GMT" in info.value.message_dict["starts_at"][0]
    assert OutboxMessage.objects.filter(kind="lines").count() == 1
    with pytest.raises(ValidationError) as info:
        mt.reschedule_maintenance(
            maintenance=maintenance,
            starts_at=start,
            ends_at=start - dt.timedelta(hours=1),
            actor=_engineer(),
        )
    assert info.value.message_dict["ends_at"] == ["The end must be after the start."]
    assert (
        mt.preview_change(
            maintenance=maintenance,
            starts_at=start + dt.timedelta(days=1),
            ends_at=start + dt.timedelta(days=1, hours=3),
            actor=_engineer(),
        )
        == 1
    )
    mt.reschedule_maintenance(
        maintenance=maintenance,
        starts_at=start + dt.timedelta(days=1),
        ends_at=start + dt.timedelta(days=1, hours=3),
        actor=_engineer(),
    )
    update = OutboxMessage.objects.filter(kind="lines").order_by("-pk").first()
    assert update is not None and update.to == customer.email
    assert "Monday 30 November 2026, 22:00 GMT" in update.body_text  # what it was
    assert "Tuesday 1 December 2026, 22:00 GMT" in update.body_text  # what it is
    assert "Wednesday 2 December 2026, 01:00 GMT" in update.body_text
    assert "changed" in update.subject
    assert Event.objects.filter(action=mt.UPDATED, customer=customer).exists()


def test_life6_cancelling_tells_the_customers_who_were_told(test_clock):
    building = BuildingFactory(market="fr", name="Tour A")
    told = CustomerFactory(market="fr", building=building)
    line = _line(told, building)
    maintenance = mt.schedule_maintenance(
        data=_data("fr", [building], test_clock.now() + dt.timedelta(days=3)), actor=_engineer()
    )
    line.status = "terminated"  # the line ended meanwhile: they still hear it is off
    line.save()
    assert mt.cancel_preview(maintenance=maintenance, actor=_engineer()) == 1
    mt.cancel_maintenance(maintenance=maintenance, actor=_engineer())
    maintenance.refresh_from_db()
    assert maintenance.status == "cancelled"
    cancellation = OutboxMessage.objects.filter(kind="lines").order_by("-pk").first()
    assert cancellation is not None and cancellation.to == told.email
    assert "annulé" in cancellation.subject and "Tour A" in cancellation.body_text
    assert Event.objects.filter(action=mt.CANCELLED, customer=told).exists()
    with pytest.raises(ValidationError) as info:
        mt.cancel_maintenance(maintenance=maintenance, actor=_engineer())
    assert info.value.message_dict["status"] == ["This maintenance is cancelled."]


def test_life6_a_started_maintenance_is_neither_moved_nor_cancelled(test_clock):
    building = BuildingFactory(market="uk")
    maintenance = mt.schedule_maintenance(
        data=_data("uk", [building], test_clock.now() + dt.timedelta(days=2)), actor=_engineer()
    )
    test_clock.set(maintenance.starts_at)
    with pytest.raises(ValidationError) as info:
        mt.cancel_maintenance(maintenance=maintenance, actor=_engineer())
    assert info.value.message_dict["status"] == ["This maintenance has already started."]


@pytest.mark.parametrize("role", [None, StaffRole.AGENT, StaffRole.BILLING])
def test_life6_only_engineers_supervisors_and_the_director_schedule(test_clock, role):
    building = BuildingFactory(market="uk")
    actor = staff_with_totp(staff_role=role) if role else OfficeManagerFactory()
    with pytest.raises(PermissionDenied):
        mt.schedule_maintenance(
            data=_data("uk", [building], test_clock.now() + dt.timedelta(days=3)), actor=actor
        )
    assert not Maintenance.objects.exists()


def test_life6_bad_input_is_named_and_nothing_is_written(test_clock):
    building = BuildingFactory(market="uk")
    _line(CustomerFactory(market="uk", building=building), building)
    now = test_clock.now()
    later = now + dt.timedelta(days=3)
    cases = {
        "ends_at": _data("uk", [building], later, ends_at=later - dt.timedelta(hours=1)),
        "buildings": _data("uk", [], later),
        "description_fr": _data("uk", [building], later, description_fr=" "),
    }
    for field, data in cases.items():
        with pytest.raises(ValidationError) as info:
            mt.schedule_maintenance(data=data, actor=_engineer())
        assert field in info.value.message_dict, field
    with pytest.raises(ValidationError) as info:
        mt.schedule_maintenance(
            data=_data("uk", [building], now - dt.timedelta(hours=1)), actor=_engineer()
        )
    assert info.value.message_dict["starts_at"] == [
        "The start 2026-11-25 09:00 GMT is in the past."
    ]
    with pytest.raises(ValidationError) as info:
        mt.schedule_maintenance(
            data=_data("fr", [building], later), actor=_engineer()
        )  # a London building in the French market
    assert "buildings" in info.value.message_dict
    assert not Maintenance.objects.exists() and not OutboxMessage.objects.exists()
    assert not Event.objects.filter(action__startswith="lines.maintenance").exists()


def test_life6_a_whole_market_reaches_every_building_of_that_market_only(test_clock):
    london, manchester = BuildingFactory(market="uk"), BuildingFactory(market="uk")
    paris = BuildingFactory(market="fr")
    a, b = (
        CustomerFactory(market="uk", building=london),
        CustomerFactory(market="uk", building=manchester),
    )
    c = CustomerFactory(market="fr", building=paris)
    for customer, building in ((a, london), (b, manchester), (c, paris)):
        _line(customer, building)
    mt.schedule_maintenance(
        data=_data("uk", [], test_clock.now() + dt.timedelta(days=3), whole_market=True),
        actor=_engineer(),
    )
    assert set(_messages()) == {a.email, b.email}
    assert len(selectors.upcoming_for_customer(b.pk, now=test_clock.now())) == 1
    ended = CustomerFactory(market="uk", building=london)
    _line(ended, london, status="terminated")
    assert selectors.upcoming_for_customer(ended.pk, now=test_clock.now()) == []
    assert selectors.upcoming_for_customer(c.pk, now=test_clock.now()) == []


def _form(building: Building, start: str, end: str, **extra) -> dict:
    return {
        "market_code": building.market,
        "buildings": [building.pk],
        "starts_at": start,
        "ends_at": end,
        "description_en": "Router upgrade",
        "description_fr": "Mise à niveau des routeurs",
        **extra,
    }


def test_life6_the_console_confirms_the_count_then_schedules(client, test_clock):
    """The confirmation step counts the customers and writes nothing; the confirmation sends."""
    building = BuildingFactory(market="fr", name="Tour A")
    for _ in range(2):
        _line(CustomerFactory(market="fr", building=building), building)
    client.force_login(staff_with_totp(staff_role=StaffRole.ENGINEER))
    assert "Tour A" in client.get("/console/maintenance/new/").content.decode()
    form = _form(building, "2026-11-28T01:00", "2026-11-28T03:00")  # Paris time
    page = client.post("/console/maintenance/new/", form)
    assert page.status_code == 200
    assert "2 customers will be emailed." in page.content.decode()
    assert "2026-11-28 01:00 CET" in page.content.decode()
    assert not Maintenance.objects.exists() and not OutboxMessage.objects.exists()
    # The confirmation page carries the form in hidden fields: posting them back schedules.
    hidden: dict[str, list[str]] = {}
    for name, value in re.findall(
        r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.content.decode()
    ):
        hidden.setdefault(name, []).append(html.unescape(value))
    assert hidden["buildings"] == [str(building.pk)]
    response = client.post("/console/maintenance/new/", {**hidden, "confirm": "1"})
    assert response.status_code == 302
    maintenance = Maintenance.objects.get()
    assert maintenance.description_fr == "Mise à niveau des routeurs"
    assert list(maintenance.buildings.all()) == [building]
    assert maintenance.starts_at == dt.datetime(2026, 11, 28, 0, 0, tzinfo=UTC)
    assert OutboxMessage.objects.filter(kind="lines").count() == 2
    listing = client.get("/console/maintenance/").content.decode()
    assert "2026-11-28 01:00 CET" in listing and "Tour A" in listing
    assert f"/console/maintenance/{maintenance.pk}/edit/" in listing


@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        ({"ends_at": "2026-11-28T09:00"}, "ends_at", "The end must be after the start."),
        ({"buildings": []}, "buildings", "Choose the buildings affected, or the whole market."),
        (
            {"starts_at": "2026-11-24T10:00"},
            "starts_at",
            "The start 2026-11-24 10:00 GMT is in the past.",
        ),
        (
            {"starts_at": "2026-11-27T09:00"},
            "starts_at",
            "the earliest start allowed is 2026-11-27 10:00 GMT",
        ),
        ({"starts_at": "tomorrow"}, "starts_at", "Write the date and time as YYYY-MM-DD HH:MM"),
        (
            {"starts_at": "2027-03-28T01:30", "ends_at": "2027-03-28T04:00"},
            "starts_at",
            "2027-03-28 01:30 does not exist in Europe/London",
        ),
    ],
)
def test_life6_the_console_names_bad_input_and_writes_nothing(
    client, test_clock, change, field, error
):
    building = BuildingFactory(market="uk")
    _line(CustomerFactory(market="uk", building=building), building)
    client.force_login(staff_with_totp(staff_role=StaffRole.SUPERVISOR))
    form = {**_form(building, "2026-11-28T10:00", "2026-11-28T12:00"), **change}
    for confirm in ({}, {"confirm": "1"}):
        response = client.post("/console/maintenance/new/", {**form, **confirm})
        assert response.status_code == 400
        assert error in response.content.decode()
    assert not Maintenance.objects.exists() and not OutboxMessage.objects.exists()


def test_life6_an_agent_sees_the_list_but_cannot_schedule_move_or_cancel(client, test_clock):
    building = BuildingFactory(market="uk")
    maintenance = mt.schedule_maintenance(
        data=_data("uk", [building], test_clock.now() + dt.timedelta(days=3)), actor=_engineer()
    )
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    listing = client.get("/console/maintenance/")
    assert listing.status_code == 200 and "/edit/" not in listing.content.decode()
    form = _form(building, "2026-11-28T10:00", "2026-11-28T12:00", confirm="1")
    assert client.post("/console/maintenance/new/", form).status_code == 403
    assert client.get(f"/console/maintenance/{maintenance.pk}/edit/").status_code == 403
    assert client.post(f"/console/maintenance/{maintenance.pk}/cancel/").status_code == 403
    assert Maintenance.objects.count() == 1
    assert Maintenance.objects.get().status == "scheduled"


def test_life6_the_console_moves_and_cancels_with_a_count_first(client, test_clock):
    building = BuildingFactory(market="uk")
    customer = CustomerFactory(market="uk", building=building)
    _line(customer, building)
    maintenance = mt.schedule_maintenance(
        data=_data("uk", [building], dt.datetime(2026, 11, 30, 22, 0, tzinfo=UTC)),
        actor=_engineer(),
    )
    client.force_login(staff_with_totp(staff_role=StaffRole.DIRECTOR))
    url = f"/console/maintenance/{maintenance.pk}/edit/"
    assert 'value="2026-11-30T22:00"' in client.get(url).content.decode()
    form = {
        "starts_at": "2026-12-01T22:00",
        "ends_at": "2026-12-02T01:00",
        "description_en": "Router upgrade",
        "description_fr": "Mise à niveau des routeurs",
    }
    assert "1 customer will be emailed." in client.post(url, form).content.decode()
    assert OutboxMessage.objects.filter(kind="lines").count() == 1
    assert client.post(url, {**form, "confirm": "1"}).status_code == 302
    maintenance.refresh_from_db()
    assert maintenance.starts_at == dt.datetime(2026, 12, 1, 22, 0, tzinfo=UTC)
    assert OutboxMessage.objects.filter(kind="lines").count() == 2
    cancel = f"/console/maintenance/{maintenance.pk}/cancel/"
    assert "1 customer will be emailed that it is cancelled." in client.get(cancel).content.decode()
    assert client.post(cancel).status_code == 302
    maintenance.refresh_from_db()
    assert maintenance.status == "cancelled"
    assert OutboxMessage.objects.filter(kind="lines").count() == 3


def test_life6_the_portal_shows_the_maintenance_ahead_until_it_ends(client, test_clock):
    building = BuildingFactory(market="fr", name="Tour A")
    manager = OfficeManagerFactory(customer=CustomerFactory(market="fr", building=building))
    _line(manager.customer, building)
    elsewhere = BuildingFactory(market="fr", name="Tour B")
    other = OfficeManagerFactory(customer=CustomerFactory(market="fr", building=elsewhere))
    _line(other.customer, elsewhere)
    maintenance = mt.schedule_maintenance(
        data=_data("fr", [building], dt.datetime(2026, 11, 28, 0, 0, tzinfo=UTC)),
        actor=_engineer(),
    )
    client.force_login(manager)
    for url in ("/fr/dashboard/", "/fr/lines/"):
        page = client.get(url).content.decode()
        assert 'id="maintenance"' in page, url
        assert "samedi 28 novembre 2026, 01:00 CET" in page and "Mise à niveau" in page
    client.force_login(other)
    assert 'id="maintenance"' not in client.get("/fr/dashboard/").content.decode()
    client.force_login(manager)
    test_clock.set(maintenance.ends_at)
    for url in ("/fr/dashboard/", "/fr/lines/"):
        assert 'id="maintenance"' not in client.get(url).content.decode(), url


def test_life6_the_api_lists_the_maintenance_ahead_for_the_callers_business(test_clock):
    building = BuildingFactory(market="uk", name="Tower A")
    manager = OfficeManagerFactory(customer=CustomerFactory(market="uk", building=building))
    _line(manager.customer, building)
    other = OfficeManagerFactory(customer=CustomerFactory(market="uk"))
    _line(other.customer, other.customer.building)
    maintenance = mt.schedule_maintenance(
        data=_data("uk", [building], test_clock.now() + dt.timedelta(days=3)), actor=_engineer()
    )
    [found] = client_for(manager).get("/api/v1/maintenance/").json()
    assert found["id"] == maintenance.pk and found["buildings"] == ["Tower A"]
    assert found["description_fr"] == "Mise à niveau des routeurs"
    assert dt.datetime.fromisoformat(found["starts_at"]) == maintenance.starts_at
    assert client_for(other).get("/api/v1/maintenance/").json() == []
    test_clock.set(maintenance.ends_at)
    assert client_for(manager).get("/api/v1/maintenance/").json() == []


def test_life6_the_console_list_reads_a_fixed_number_of_queries(client, test_clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    building = BuildingFactory(market="uk")
    _line(CustomerFactory(market="uk", building=building), building)
    client.force_login(staff_with_totp(staff_role=StaffRole.ENGINEER))
    counts = []
    for days in (3, 4, 5):
        mt.schedule_maintenance(
            data=_data("uk", [building], test_clock.now() + dt.timedelta(days=days)),
            actor=_engineer(),
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/console/maintenance/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]


def test_life6_the_information_page_lists_the_markets_maintenance_ahead(client, test_clock):
    OperatorMarketFactory(market="uk")
    OperatorMarketFactory(market="fr")
    london = BuildingFactory(market="uk", name="Tower A")
    maintenance = mt.schedule_maintenance(
        data=_data("uk", [london], dt.datetime(2026, 11, 28, 22, 0, tzinfo=UTC)),
        actor=_engineer(),
    )
    page = client.get("/info/uk/").content.decode()
    assert "Saturday 28 November 2026, 22:00 GMT" in page and "Tower A" in page
    assert "Router upgrade" in page
    assert "Tower A" not in client.get("/fr/info/fr/").content.decode()
    test_clock.set(maintenance.ends_at)
    assert "No planned maintenance is announced." in client.get("/info/uk/").content.decode()
