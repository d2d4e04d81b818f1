"""Number porting: requests, due dates, completion, and the refusals (PORT-1, PORT-3, LINE-3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from officeline.accounts.models import OperatorMarket
from officeline.accounts.tests.factories import (
    BuildingFactory,
    CustomerFactory,
    OfficeManagerFactory,
    OperatorMarketFactory,
)
from officeline.billing.services.termination import request_cancellation
from officeline.events.models import Event
from officeline.lines import porting, services
from officeline.lines.models import Line, Number, PortRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(test_clock):
    return OfficeManagerFactory(customer=CustomerFactory())


@pytest.fixture
def line(manager):
    number = Number.objects.create(e164="+442079460151", market="uk", building=BuildingFactory())
    return services.request_line(customer=manager.customer, number=number, actor=manager)


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


def test_port1_the_due_date_is_one_business_day_after_the_agreed_date_over_christmas(manager):
    """PORT-1: agreed on Thursday 24 December 2026, due on Tuesday 29 December (uk: the 25th,
    the weekend and the Boxing Day substitute on the 28th are not business days)."""
    port = _port_in(manager)
    assert (port.state, port.e164, port.due_date) == ("requested", "+442079460777", None)
    port = porting.agree_port_date(port=port, agreed_date=dt.date(2026, 12, 24), actor=None)
    assert (port.state, port.due_date) == ("agreed", dt.date(2026, 12, 29))
    stored = PortRequest.objects.get(pk=port.pk)
    assert stored.due_date == dt.date(2026, 12, 29)
    assert Event.objects.filter(
        action="lines.port_date_agreed", data__due_date="2026-12-29"
    ).exists()


def test_port1_the_allowance_is_a_market_parameter(manager):
    """PORT-1: the operator sets the business days allowed after the agreed date per market."""
    OperatorMarketFactory(market="uk")
    OperatorMarket.objects.filter(market="uk").update(parameters={"port_due_business_days": 3})
    port = porting.agree_port_date(
        port=_port_in(manager), agreed_date=dt.date(2026, 11, 27), actor=None
    )
    assert port.due_date == dt.date(2026, 12, 2)  # Friday + 3 business days


def test_port1_a_completed_port_in_brings_the_number_onto_a_new_line_to_confirm(
    manager, test_clock
):
    """PORT-1, EMG-2: the number joins the building's pool on a new line of the customer, whose
    emergency location is the building's and waits for the customer's confirmation."""
    port = _port_in(manager)
    port = porting.agree_port_date(port=port, agreed_date=dt.date(2026, 11, 30), actor=None)
    test_clock.advance(dt.timedelta(days=6))
    port = porting.complete_port(port=port, completed_on=dt.date(2026, 12, 1), actor=None)
    assert (port.state, port.completed_on, port.days_late) == ("completed", dt.date(2026, 12, 1), 0)
    line = Line.objects.get(pk=port.line_id)
    assert (line.customer, line.number.e164, line.number.status) == (
        manager.customer,
        "+442079460777",
        "assigned",
    )
    assert line.emergency_location == port.building.address
    assert line.location_confirmed_at is None
    assert line.location_unconfirmed_reason == "number_ported"


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


def test_port3_no_port_without_the_warning_that_porting_may_not_be_possible(manager, line):
    """PORT-3: before a port the customer is told that porting may not be possible."""
    with pytest.raises(ValidationError) as info:
        _port_in(manager, warning_acknowledged=False)
    assert "warning_acknowledged" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        porting.request_port_out(
            line=line, other_provider="Other", actor=manager, warning_acknowledged=False
        )
    assert "warning_acknowledged" in info.value.message_dict
    assert not PortRequest.objects.exists()


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


def test_bad_port_requests_name_the_problem_and_record_nothing(manager, line):
    with pytest.raises(ValidationError) as info:
        _port_in(manager, number="not a number", other_provider=" ")
    assert {"number", "other_provider"} <= set(info.value.message_dict)
    with pytest.raises(ValidationError) as info:
        _port_in(manager, number=line.number.e164)
    assert info.value.message_dict["number"] == ["This number is already one of ours."]
    with pytest.raises(ValidationError) as info:
        _port_in(manager, building=BuildingFactory(market="fr"))
    assert "building" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        _port_in(manager, customer=CustomerFactory())
    assert not PortRequest.objects.exists()
    _port_in(manager)
    with pytest.raises(ValidationError) as info:
        _port_in(manager)
    assert info.value.message_dict["number"] == ["A port of this number is already under way."]
    assert PortRequest.objects.count() == 1


def test_a_port_is_completed_only_once_agreed_and_not_in_the_future(manager):
    port = _port_in(manager)
    with pytest.raises(ValidationError):
        porting.complete_port(port=port, completed_on=dt.date(2026, 11, 25), actor=None)
    with pytest.raises(ValidationError):
        porting.agree_port_date(port=port, agreed_date=dt.date(2026, 11, 24), actor=None)
    port = porting.agree_port_date(port=port, agreed_date=dt.date(2026, 11, 25), actor=None)
    with pytest.raises(ValidationError) as info:
        porting.complete_port(port=port, completed_on=dt.date(2026, 11, 26), actor=None)
    assert "completed_on" in info.value.message_dict
    assert PortRequest.objects.get(pk=port.pk).state == "agreed"
    assert not Line.objects.filter(number__e164=port.e164).exists()


def test_life3_a_ported_out_line_is_billed_for_the_period_it_ended_in_and_not_after(
    line, manager, test_clock
):
    """A port-out ends the line without a cancellation: the period it ends in stays billed
    (no refund), the next one is not."""
    from officeline.billing.models import InvoiceLine
    from officeline.billing.tests.factories import give_card

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
