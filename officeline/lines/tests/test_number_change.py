"""LINE-2: the operator changes a number it assigned, after an emailed notice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from officeline.accounts.choices import StaffRole
from officeline.accounts.tests.factories import (
    CustomerFactory,
    OfficeManagerFactory,
    OperatorMarketFactory,
    staff_with_totp,
)
from officeline.events.models import Event
from officeline.lines.models import Line, Number, NumberChange
from officeline.lines.services import lines as services
from officeline.lines.services import numbers
from officeline.lines.tests.factories import NumberFactory
from officeline.markets.deadlines import deadline
from officeline.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _line(market: str = "uk") -> Line:
    manager = OfficeManagerFactory(customer=CustomerFactory(market=market))
    building = manager.customer.building
    prefix = "+3319900" if market == "fr" else "+4420794604"
    old = NumberFactory(e164=f"{prefix}01", market=market, building=building)
    NumberFactory(e164=f"{prefix}02", market=market, building=building)
    return services.open_line(
        customer=manager.customer,
        number=old,
        actor=manager,
        limitations_acknowledged=True,
        location_confirmed=True,
    )


def test_line2_the_customer_is_emailed_a_notice_in_their_language(test_clock):
    line = _line("fr")
    supervisor = staff_with_totp(staff_role=StaffRole.SUPERVISOR)
    new = Number.objects.get(e164="+331990002")
    change = numbers.schedule_number_change(
        line=line, new_number=new, reason="Renumérotation du bloc", actor=supervisor
    )
    assert change.effective_at == deadline("fr", test_clock.now(), days=30)
    message = OutboxMessage.objects.get(kind="lines")
    assert message.to == line.customer.email and message.language == "fr"
    assert "+331990001" in message.subject and "change" in message.subject
    assert "+331990002" in message.body_text and "Renumérotation du bloc" in message.body_text
    assert "localisation d\u2019urgence" in message.body_text
    new.refresh_from_db()
    assert new.status == "assigned"  # held for the line, nobody else can take it
    line.refresh_from_db()
    assert line.number.e164 == "+331990001"


def test_line2_the_number_changes_when_the_notice_ends_and_the_old_one_is_quarantined(
    test_clock,
):
    line = _line()
    new = Number.objects.get(e164="+442079460402")
    change = numbers.schedule_number_change(
        line=line,
        new_number=new,
        reason="Block renumbered",
        actor=staff_with_totp(staff_role=StaffRole.ENGINEER),
    )
    test_clock.set(change.effective_at - dt.timedelta(minutes=1))
    test_clock.advance(dt.timedelta(seconds=30))
    line.refresh_from_db()
    assert line.number_id != new.pk
    test_clock.advance(dt.timedelta(minutes=1))
    line.refresh_from_db()
    change.refresh_from_db()
    assert line.number_id == new.pk and change.status == "done"
    old = Number.objects.get(e164="+442079460401")
    assert old.status == "quarantined"
    assert change.done_at is not None
    assert old.quarantined_until == change.done_at + dt.timedelta(days=90)
    # EMG-2: the changed number's location waits for the customer's confirmation.
    assert line.location_unconfirmed_reason == "number_changed"
    assert Event.objects.filter(action="lines.number_changed", customer=line.customer).exists()


def test_line2_the_notice_period_is_a_market_parameter(test_clock):
    OperatorMarketFactory(market="uk", parameters={"number_change_notice_days": 10})
    line = _line()
    change = numbers.schedule_number_change(
        line=line,
        new_number=Number.objects.get(e164="+442079460402"),
        reason="Block renumbered",
        actor=staff_with_totp(staff_role=StaffRole.DIRECTOR),
    )
    assert change.effective_at == deadline("uk", test_clock.now(), days=10)


def test_line2_only_some_staff_change_numbers_and_a_reason_is_needed(test_clock):
    line = _line()
    new = Number.objects.get(e164="+442079460402")
    with pytest.raises(PermissionDenied):
        numbers.schedule_number_change(
            line=line, new_number=new, reason="x", actor=staff_with_totp(staff_role="agent")
        )
    with pytest.raises(PermissionDenied):
        numbers.schedule_number_change(line=line, new_number=new, reason="x", actor=None)
    supervisor = staff_with_totp(staff_role=StaffRole.SUPERVISOR)
    with pytest.raises(ValidationError) as info:
        numbers.schedule_number_change(line=line, new_number=new, reason=" ", actor=supervisor)
    assert "reason" in info.value.message_dict
    numbers.schedule_number_change(line=line, new_number=new, reason="Block", actor=supervisor)
    spare = NumberFactory(e164="+442079460403", market="uk", building=new.building)
    with pytest.raises(ValidationError) as info:
        numbers.schedule_number_change(
            line=line, new_number=spare, reason="Again", actor=supervisor
        )
    assert "line" in info.value.message_dict
    assert NumberChange.objects.count() == 1


def test_line2_a_line_ended_before_the_change_gives_the_held_number_back(test_clock):
    line = _line()
    new = Number.objects.get(e164="+442079460402")
    change = numbers.schedule_number_change(
        line=line,
        new_number=new,
        reason="Block renumbered",
        actor=staff_with_totp(staff_role=StaffRole.SUPERVISOR),
    )
    services.terminate_line(line=line, actor=None)
    test_clock.set(change.effective_at + dt.timedelta(minutes=1))
    test_clock.advance(dt.timedelta(minutes=1))
    change.refresh_from_db()
    new.refresh_from_db()
    assert change.status == "cancelled" and new.status == "available"


def test_line2_the_console_schedules_a_change_and_names_bad_input(client, test_clock):
    line = _line()
    new = Number.objects.get(e164="+442079460402")
    client.force_login(staff_with_totp(staff_role=StaffRole.SUPERVISOR))
    url = f"/console/lines/{line.pk}/change-number/"
    page = client.get(url).content.decode()
    assert "+442079460402" in page and "30 days" in page
    response = client.post(url, {"new_number": new.pk, "reason": ""})
    assert response.status_code == 400
    assert "Say why the number is changed." in response.content.decode()
    assert not NumberChange.objects.exists()
    response = client.post(url, {"new_number": new.pk, "reason": "Block renumbered"})
    assert response.status_code == 302
    assert NumberChange.objects.get().new_number == new
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    assert client.get(url).status_code == 403


def test_line2_the_portal_shows_the_change_ahead(client, test_clock):
    line = _line()
    numbers.schedule_number_change(
        line=line,
        new_number=Number.objects.get(e164="+442079460402"),
        reason="Block renumbered",
        actor=staff_with_totp(staff_role=StaffRole.SUPERVISOR),
    )
    client.force_login(line.customer.people.get())
    page = client.get("/lines/").content.decode()
    assert "+442079460401 becomes +442079460402" in page


def test_line2_the_console_cancels_a_change_before_it_is_made_and_the_customer_is_told(
    client, test_clock
):
    """The line keeps its number, the held number returns to the pool, the customer is
    emailed in French, and nothing changes when the notice would have ended."""
    line = _line("fr")
    new = Number.objects.get(e164="+331990002")
    change = numbers.schedule_number_change(
        line=line,
        new_number=new,
        reason="Renumérotation du bloc",
        actor=staff_with_totp(staff_role=StaffRole.SUPERVISOR),
    )
    url = f"/console/lines/number-changes/{change.pk}/cancel/"
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    assert client.post(url).status_code == 403
    client.force_login(staff_with_totp(staff_role=StaffRole.ENGINEER))
    page = client.get(f"/console/customers/{line.customer_id}/lines/").content.decode()
    assert url in page

    assert client.post(url).status_code == 302
    change.refresh_from_db()
    new.refresh_from_db()
    assert change.status == "cancelled" and new.status == "available"
    message = OutboxMessage.objects.filter(kind="lines").order_by("-pk").first()
    assert message is not None and message.language == "fr"
    assert "+331990001" in message.subject
    assert "annulé" in message.body_text and "+331990002" in message.body_text
    assert Event.objects.filter(action="lines.number_change_cancelled").exists()

    test_clock.set(change.effective_at + dt.timedelta(minutes=1))
    test_clock.advance(dt.timedelta(minutes=1))
    line.refresh_from_db()
    assert line.number.e164 == "+331990001"


def test_line2_a_change_cannot_be_cancelled_once_it_has_taken_effect(test_clock):
    line = _line()
    supervisor = staff_with_totp(staff_role=StaffRole.SUPERVISOR)
    change = numbers.schedule_number_change(
        line=line,
        new_number=Number.objects.get(e164="+442079460402"),
        reason="Block renumbered",
        actor=supervisor,
    )
    test_clock.set(change.effective_at)  # the tick has not run yet: still too late
    with pytest.raises(ValidationError) as info:
        numbers.cancel_number_change(change=change, actor=supervisor)
    assert info.value.message_dict["status"] == ["This number change has already taken effect."]
    change.refresh_from_db()
    assert change.status == "scheduled"
    with pytest.raises(PermissionDenied):
        numbers.cancel_number_change(change=change, actor=None)
