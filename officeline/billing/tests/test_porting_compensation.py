"""PORT-2: a late port's compensation, claimed in writing, computed, and paid once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from officeline.accounts.tests.factories import (
    BuildingFactory,
    CustomerFactory,
    OfficeManagerFactory,
)
from officeline.billing.models import PortingCompensation
from officeline.billing.porting import claim_porting_compensation, pay_porting_compensation
from officeline.lines.services import porting

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(test_clock):
    return OfficeManagerFactory(customer=CustomerFactory())


def _completed_port(manager, test_clock, *, completed_on):
    port = porting.request_port_in(
        customer=manager.customer,
        number="+442079460888",
        building=BuildingFactory(),
        other_provider="Example Telecom",
        actor=manager,
        warning_acknowledged=True,
    )
    # Agreed for Monday 30 November: due Tuesday 1 December.
    port = porting.agree_port_date(port=port, agreed_date=dt.date(2026, 11, 30), actor=None)
    test_clock.set(dt.datetime(2026, 12, 10, 10, 0, tzinfo=dt.UTC))
    return porting.complete_port(port=port, completed_on=completed_on, actor=None)


def test_port2_a_written_claim_records_the_amount_owed_for_the_days_late(manager, test_clock):
    """PORT-2: GBP 25.00 a month, due 1 December, done 8 December: 25.00 x 12 / 365 x 7 = 5.75."""
    port = _completed_port(manager, test_clock, completed_on=dt.date(2026, 12, 8))
    claim = claim_porting_compensation(
        port=port, claim="Our number arrived a week late.", actor=manager
    )
    assert (claim.days_late, claim.monthly_fee_minor) == (7, 2500)
    assert (claim.amount_minor, claim.currency) == (575, "GBP")
    assert claim.claimed_by == manager and claim.paid_at is None


def test_port2_once_paid_the_compensation_settles_that_delay(manager, test_clock):
    """PORT-2: one compensation per port; paid, it is full and final settlement."""
    port = _completed_port(manager, test_clock, completed_on=dt.date(2026, 12, 3))
    claim = claim_porting_compensation(port=port, claim="Two days late.", actor=manager)
    paid = pay_porting_compensation(compensation=claim, reference="BACS 1234", actor=None)
    assert paid.paid_at is not None and paid.amount_minor == 164  # 25.00 x 12 / 365 x 2
    with pytest.raises(ValidationError) as info:
        claim_porting_compensation(port=port, claim="Again.", actor=manager)
    assert "already been claimed" in info.value.message_dict["port"][0]
    with pytest.raises(ValidationError):
        pay_porting_compensation(compensation=paid, reference="BACS 1235", actor=None)
    assert PortingCompensation.objects.count() == 1


def test_port2_a_port_done_by_its_due_date_owes_nothing(manager, test_clock):
    port = _completed_port(manager, test_clock, completed_on=dt.date(2026, 12, 1))
    with pytest.raises(ValidationError) as info:
        claim_porting_compensation(port=port, claim="Late?", actor=manager)
    assert "no compensation is owed" in info.value.message_dict["port"][0]
    assert not PortingCompensation.objects.exists()


def test_port2_a_claim_is_written_and_only_by_the_ports_customer(manager, test_clock):
    port = _completed_port(manager, test_clock, completed_on=dt.date(2026, 12, 8))
    with pytest.raises(ValidationError) as info:
        claim_porting_compensation(port=port, claim="  ", actor=manager)
    assert "claim" in info.value.message_dict
    stranger = OfficeManagerFactory(customer=CustomerFactory())
    with pytest.raises(PermissionDenied):
        claim_porting_compensation(port=port, claim="Mine now", actor=stranger)
    assert not PortingCompensation.objects.exists()
