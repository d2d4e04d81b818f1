"""PRIV-8: a staff member's departure disables their login at once; their name and email are
kept for the register's ``former_staff`` period so the logs still say who did what (PRIV-10),
then the row is anonymised."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from officeline import clock
from officeline.accounts.choices import AccessKind, StaffRole
from officeline.accounts.models import AccessLogEntry, ApiToken, User
from officeline.accounts.services.access_log import record_access
from officeline.accounts.services.staff import record_staff_departure
from officeline.accounts.tests.factories import (
    PASSWORD,
    CustomerFactory,
    api_token_for,
    log_in_with_totp,
    staff_with_totp,
)
from officeline.events.models import Event
from officeline.events.services import record_event
from officeline.privacy.services import retention
from officeline.privacy.tests.factories import member

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture
def director(test_clock):
    test_clock.set(NOW)
    return staff_with_totp(staff_role=StaffRole.DIRECTOR, email="dana@operator.test")


@pytest.fixture
def agent(test_clock):
    test_clock.set(NOW)
    return staff_with_totp(
        staff_role=StaffRole.AGENT, email="sam@operator.test", full_name="Sam Agent"
    )


def test_priv8_the_director_records_a_departure_and_the_login_fails_at_once(
    client, director, agent
):
    token = api_token_for(agent)
    log_in_with_totp(client, agent)
    assert client.get("/console/").status_code == 200
    assert Authenticator.objects.filter(user=agent).exists()

    record_staff_departure(user=agent, left_on=TODAY, actor=director, now=clock.now())

    agent.refresh_from_db()
    assert not agent.is_active and not agent.has_usable_password()
    assert agent.left_at == NOW
    assert agent.forget_at == dt.datetime(2032, 11, 26, tzinfo=dt.UTC)  # 6 years after the day
    assert not Authenticator.objects.filter(user=agent).exists()
    assert not ApiToken.objects.filter(user=agent).exists()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").status_code == 401
    # The open session is gone, and logging in again fails.
    response = client.get("/console/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not client.login(email=agent.email, password=PASSWORD)
    event = Event.objects.get(action="accounts.staff_left")
    assert event.actor == director and event.subject_id == str(agent.pk)
    assert event.data["sessions"] == 1 and event.data["api_tokens"] == 1
    assert agent.full_name == "Sam Agent" and agent.email == "sam@operator.test"


def test_priv8_a_day_in_the_past_is_the_day_they_left(director, agent):
    record_staff_departure(user=agent, left_on=dt.date(2026, 11, 1), actor=director, now=NOW)
    agent.refresh_from_db()
    assert agent.left_at == dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    assert agent.forget_at == dt.datetime(2032, 11, 2, tzinfo=dt.UTC)


def _refused(field: str, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        record_staff_departure(now=clock.now(), **kwargs)
    return " ".join(caught.value.message_dict[field])


def test_priv8_refusals_name_the_field_and_write_nothing(director, agent):
    tomorrow_in_fr = TODAY + dt.timedelta(days=1)
    assert "future" in _refused("left_on", user=agent, left_on=tomorrow_in_fr, actor=director)
    customer_person = member(CustomerFactory())
    assert "not one of the operator's staff" in _refused(
        "user", user=customer_person, left_on=TODAY, actor=director
    )
    assert "your own departure" in _refused("user", user=director, left_on=TODAY, actor=director)
    supervisor = staff_with_totp(staff_role=StaffRole.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        record_staff_departure(user=agent, left_on=TODAY, actor=supervisor, now=clock.now())
    agent.refresh_from_db()
    assert agent.is_active and agent.left_at is None
    assert not Event.objects.filter(action="accounts.staff_left").exists()

    record_staff_departure(user=agent, left_on=TODAY, actor=director, now=clock.now())
    assert "already recorded" in _refused("user", user=agent, left_on=TODAY, actor=director)
    assert Event.objects.filter(action="accounts.staff_left").count() == 1


def test_priv8_a_superuser_may_record_a_departure(agent):
    admin = User.objects.create_superuser("root@operator.test", "x-long-password-1")
    record_staff_departure(user=agent, left_on=TODAY, actor=admin, now=clock.now())
    agent.refresh_from_db()
    assert not agent.is_active


def test_priv8_priv10_the_name_goes_after_the_period_and_the_logs_still_point_to_the_row(
    test_clock, director, agent
):
    """PRIV-8: nothing changes before the end of the 6 years after the day they left; then the
    row is anonymised and the events and staff access log still point to it (PRIV-10)."""
    customer = CustomerFactory()
    acted = record_event(action="support.ticket_answered", actor=agent, customer=customer)
    looked = record_access(staff_user=agent, customer=customer, kind=AccessKind.PERSONAL_DATA)
    record_staff_departure(user=agent, left_on=TODAY, actor=director, now=clock.now())
    agent.refresh_from_db()
    forget_at = agent.forget_at
    assert forget_at is not None

    test_clock.set(forget_at - dt.timedelta(seconds=1))
    assert retention.apply_retention(test_clock.now()) == 0
    agent.refresh_from_db()
    assert agent.full_name == "Sam Agent" and agent.email == "sam@operator.test"
    acted.refresh_from_db()
    assert acted.actor_label == "sam@operator.test"

    test_clock.set(forget_at)
    assert retention.apply_retention(test_clock.now()) == 1
    agent.refresh_from_db()
    label = f"Former staff member {agent.pk}"
    assert agent.full_name == label
    assert agent.email == f"former-staff-{agent.pk}@erased.invalid"
    assert agent.forget_at is None and agent.staff_role == StaffRole.AGENT
    acted.refresh_from_db()
    assert acted.actor_id == agent.pk and acted.actor_label == label
    looked = AccessLogEntry.objects.get(pk=looked.pk)
    assert looked.staff_user_id == agent.pk and looked.staff_label == label
    assert "Sam Agent" not in str(list(Event.objects.values_list("actor_label", "data")))
    run = Event.objects.get(action="privacy.retention_applied")
    assert run.data["deleted"] == {"none": {"former_staff_anonymised": 1}}
    # Once done, the row is no longer due.
    assert retention.apply_retention(test_clock.now()) == 0
    # The director, who did not leave, is untouched.
    director.refresh_from_db()
    assert director.email == "dana@operator.test"


def test_priv8_the_staff_page_is_the_directors_and_its_confirmation_writes_nothing(
    client, director, agent
):
    client.force_login(staff_with_totp(staff_role=StaffRole.SUPERVISOR))
    assert client.get("/console/staff/").status_code == 403
    assert (
        client.post("/console/staff/", {"user": agent.pk, "left_on": "2026-11-25"}).status_code
        == 403
    )

    client.force_login(director)
    page = client.get("/console/staff/")
    assert page.status_code == 200
    assert "sam@operator.test" in page.text and "Support agent" in page.text
    assert 'href="/console/staff/"' in client.get("/console/").text

    response = client.post("/console/staff/", {"user": agent.pk, "left_on": "2026-11-25"})
    assert response.status_code == 200
    assert 'name="confirmed" value="yes"' in response.text
    assert "Record the departure" in response.text
    agent.refresh_from_db()
    assert agent.is_active and agent.left_at is None
    assert not Event.objects.filter(action="accounts.staff_left").exists()

    response = client.post("/console/staff/", {"user": agent.pk, "left_on": "2026-11-27"})
    assert response.status_code == 400 and "cannot be in the future" in response.text
    response = client.post("/console/staff/", {"user": agent.pk, "left_on": "25/11"})
    assert response.status_code == 400 and "Enter a valid date." in response.text

    response = client.post(
        "/console/staff/", {"user": agent.pk, "left_on": "2026-11-25", "confirmed": "yes"}
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert not agent.is_active and agent.left_at == NOW
    assert "2026-11-25" in client.get("/console/staff/").text


def test_priv8_the_staff_page_in_french(client, director, agent):
    client.force_login(director)
    page = client.get("/fr/console/staff/")
    assert page.status_code == 200
    assert "Personnel" in page.text and "Enregistrer un départ" in page.text
    response = client.post("/fr/console/staff/", {"user": agent.pk, "left_on": "2026-11-25"})
    assert "Confirmer" in response.text and "Enregistrer le départ" in response.text


def test_priv8_staff_left_command(director, agent, capsys):
    call_command("staff_left", email="SAM@operator.test", on="2026-11-24")
    agent.refresh_from_db()
    assert not agent.is_active
    assert "left on 2026-11-24" in capsys.readouterr().out
    with pytest.raises(CommandError, match=r"--email: .*already recorded"):
        call_command("staff_left", email="sam@operator.test", on="2026-11-24")
    with pytest.raises(CommandError, match="--on: write the day as YYYY-MM-DD"):
        call_command("staff_left", email="dana@operator.test", on="yesterday")
    with pytest.raises(CommandError, match="--email: nobody logs in"):
        call_command("staff_left", email="nobody@operator.test", on="2026-11-24")
