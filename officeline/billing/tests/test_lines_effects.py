"""What the lines app's workflows do to billing: a line asked for through the API is billed from
its 7th day (BILL-2); a late port is compensated (PORT-2), claimed through lines' API; a port-out
ends the line's billing after the period it ended in, or before it starts (LIFE-3), and is
refused once a termination has taken effect (LINE-3); a defective desk phone is replaced at no
cost (LINE-5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from officeline.accounts.tests.factories import (
    BuildingFactory,
    CustomerFactory,
    OfficeManagerFactory,
    StaffFactory,
)
from officeline.billing.models import (
    Invoice,
    InvoiceLine,
    Payment,
    PortingCompensation,
    Subscription,
)
from officeline.billing.services.termination import request_cancellation
from officeline.billing.tests.factories import give_card
from officeline.lines.models import Line, Number, PortRequest
from officeline.lines.services import lines as services
from officeline.lines.services import porting, replacements
from officeline.lines.tests.factories import (
    DeviceFactory,
    LineFactory,
    NumberFactory,
    client_for,
)

pytestmark = pytest.mark.django_db

LINE_REQUEST = {"acknowledge_limitations": True, "confirm_location": True}


@pytest.fixture
def manager(test_clock):
    return OfficeManagerFactory(customer=CustomerFactory())


@pytest.fixture
def line(manager):
    number = NumberFactory(e164="+442079460151", market="uk")
    return services.request_line(customer=manager.customer, number=number, actor=manager)


def _pool(manager, *e164s: str) -> list[Number]:
    return [NumberFactory(e164=e164, building=manager.customer.building) for e164 in e164s]


def _port_in(manager, **overrides):
    fields = {
        "customer": manager.customer,
        "number": "020 7946 0777",
        "building": BuildingFactory(),
        "other_provider": "Example Telecom",
        "actor": manager,
        "warning_acknowledged": True,
    }
    return porting.request_port_in(**{**fields, **overrides})


def _late_port(manager, test_clock) -> PortRequest:
    """A port-in agreed for 30 November, due 1 December, completed on 4 December: 3 days late."""
    port = porting.request_port_in(
        customer=manager.customer,
        number="+442079460778",
        building=manager.customer.building,
        other_provider="Example Telecom",
        actor=manager,
        warning_acknowledged=True,
    )
    port = porting.agree_port_date(
        port=port, agreed_date=dt.date(2026, 11, 30), actor=StaffFactory()
    )
    test_clock.set(dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC))
    return porting.complete_port(port=port, completed_on=dt.date(2026, 12, 4), actor=StaffFactory())


def test_emg1_emg5_bill2_a_line_asked_for_through_the_api_is_active_and_billed_from_the_7th_day(
    manager,
):
    """EMG-1, EMG-5: acknowledged and confirmed, the line is active with the building's address
    as its confirmed location; BILL-2: billing starts on the 7th day, as from the portal."""
    (number,) = _pool(manager, "+442079460511")
    answer = client_for(manager).post(
        "/api/v1/lines/", {"number": "020 7946 0511", **LINE_REQUEST}, format="json"
    )
    assert answer.status_code == 201
    body = answer.json()
    assert (body["number"], body["status"], body["location_confirmed"]) == (
        "+442079460511",
        "active",
        True,
    )
    assert body["emergency_location"] == manager.customer.building.address
    line = Line.objects.get(pk=body["id"])
    assert line.emergency_limitations_acknowledged_by == manager
    number.refresh_from_db()
    assert number.status == "assigned"
    # Asked for on 25 November 2026 (the test clock): billed from 2 December.
    assert Subscription.objects.get(line=line).billing_starts_on == dt.date(2026, 12, 2)


def test_port2_a_late_port_is_claimed_in_writing_through_the_api_once(manager, test_clock):
    """PORT-2: the written claim is answered with the amount (25.00 x 12 / 365 x 3 days); a
    claim without text, for a port in time, or a second claim is refused and writes nothing."""
    port = _late_port(manager, test_clock)
    client = client_for(manager)
    url = f"/api/v1/ports/{port.pk}/claim/"
    for data in ({}, {"claim": ""}, {"claim": 12}, {"claim": "x" * 5001}):
        answer = client.post(url, data, format="json")
        assert answer.status_code == 400, data
        assert answer.json()["errors"][0]["field"] == "claim", data
    assert not PortingCompensation.objects.exists()

    answer = client.post(url, {"claim": "Three days without our number."}, format="json")
    assert answer.status_code == 201
    assert answer.json() | {"claimed_at": None} == {
        "port": port.pk,
        "days_late": 3,
        "monthly_fee_minor": 2500,
        "amount_minor": 247,
        "currency": "GBP",
        "claimed_at": None,
        "paid_at": None,
    }

    again = client.post(url, {"claim": "Once more."}, format="json")
    assert again.status_code == 400
    assert again.json()["errors"][0]["field"] == "port"
    assert "already been claimed" in again.json()["message"]
    assert PortingCompensation.objects.get().claim == "Three days without our number."
    assert client.post("/api/v1/ports/x/claim/", {"claim": "Late."}).status_code == 404


def test_port2_a_port_completed_in_time_gives_no_compensation(manager, test_clock):
    port = porting.request_port_in(
        customer=manager.customer,
        number="+442079460778",
        building=manager.customer.building,
        other_provider="Example Telecom",
        actor=manager,
        warning_acknowledged=True,
    )
    answer = client_for(manager).post(
        f"/api/v1/ports/{port.pk}/claim/", {"claim": "Late?"}, format="json"
    )
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "port"
    assert not PortingCompensation.objects.exists()


def test_line3_a_port_out_after_the_termination_took_effect_is_refused_with_the_reason(
    line, manager, test_clock
):
    """LINE-3: asked while a termination is pending, a port-out is accepted; once the
    termination has taken effect it is refused, saying when the service ended."""
    request_cancellation(customer=manager.customer, actor=manager, line=line)
    accepted = porting.request_port_out(
        line=line, other_provider="Other", actor=manager, warning_acknowledged=True
    )
    porting.close_port(port=accepted, state="cancelled", reason="Changed their mind", actor=None)
    test_clock.advance(dt.timedelta(days=10))
    line.refresh_from_db()
    assert line.status == "terminated"
    with pytest.raises(ValidationError) as info:
        porting.request_port_out(
            line=line, other_provider="Other", actor=manager, warning_acknowledged=True
        )
    message = info.value.message_dict["line"][0]
    assert "+442079460151" in message and "before the termination takes effect" in message
    assert PortRequest.objects.count() == 1


def test_life3_a_ported_out_line_is_billed_for_the_period_it_ended_in_and_not_after(
    line, manager, test_clock
):
    """A port-out ends the line without a cancellation: the period it ends in stays billed
    (no refund), the next one is not."""
    give_card(manager.customer)
    test_clock.advance(dt.timedelta(days=8))  # billing started on 2 December
    assert (
        InvoiceLine.objects.filter(phone_number=line.number.e164, kind="monthly_fee").count() == 1
    )
    port = porting.request_port_out(
        line=line, other_provider="Other", actor=manager, warning_acknowledged=True
    )
    port = porting.agree_port_date(port=port, agreed_date=dt.date(2026, 12, 10), actor=None)
    test_clock.advance(dt.timedelta(days=8))
    porting.complete_port(port=port, completed_on=dt.date(2026, 12, 10), actor=None)
    line.refresh_from_db()
    assert line.subscription.ends_before == dt.date(2027, 1, 2)
    test_clock.advance(dt.timedelta(days=40))  # past 2 January and 2 February
    assert (
        InvoiceLine.objects.filter(phone_number=line.number.e164, kind="monthly_fee").count() == 1
    )


def test_port1_a_completed_port_out_ends_the_line_and_the_number_leaves_the_pool(line, manager):
    """PORT-1: the line ends; the number is not quarantined for reuse, it is no longer ours."""
    port = porting.request_port_out(
        line=line, other_provider="Other Telecom", actor=manager, warning_acknowledged=True
    )
    port = porting.agree_port_date(port=port, agreed_date=dt.date(2026, 11, 25), actor=None)
    port = porting.complete_port(port=port, completed_on=dt.date(2026, 11, 25), actor=None)
    line.refresh_from_db()
    number = Number.objects.get(pk=line.number_id)
    assert line.status == "terminated"
    assert (number.status, number.quarantined_until) == ("ported_out", None)
    # Its billing, due to start on 2 December, never starts (LIFE-3, BILL-2).
    assert line.subscription.ends_before == dt.date(2026, 12, 2)
    # Ported back in later, the same number is ours again.
    back = _port_in(manager, number="+442079460151")
    assert back.e164 == "+442079460151"


def test_line5_a_replacement_from_request_to_done_charges_nothing(client, manager):
    """LINE-5: asked for in the portal, shipped and closed by staff: no invoice, invoice line
    or payment comes of it (the pages' path is in lines' tests)."""
    line = LineFactory(customer=manager.customer, actor=manager)
    desk = DeviceFactory(line=line, kind="desk_phone", label="Reception")
    charges_before = (Invoice.objects.count(), InvoiceLine.objects.count(), Payment.objects.count())
    client.force_login(manager)
    response = client.post(
        "/lines/replacements/new/", {"device": desk.pk, "description": "No dial tone"}
    )
    assert response.status_code == 302
    agent = StaffFactory()
    replacement = replacements.mark_replacement_shipped(
        replacement=line.replacements.get(), reference="RM123", actor=agent
    )
    replacement = replacements.mark_replacement_done(replacement=replacement, actor=agent)
    assert replacement.status == "done"
    assert (
        Invoice.objects.count(),
        InvoiceLine.objects.count(),
        Payment.objects.count(),
    ) == charges_before
