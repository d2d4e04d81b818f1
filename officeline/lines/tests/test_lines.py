"""Lines: activation rules for emergency calls, suspension grounds, device credentials."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError

from officeline.accounts.tests.factories import (
    BuildingFactory,
    CustomerFactory,
    OfficeManagerFactory,
)
from officeline.events.models import Event
from officeline.lines.models import Device, Number
from officeline.lines.services import lines as services
from officeline.lines.tests.factories import NumberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(test_clock):
    manager = OfficeManagerFactory(customer=CustomerFactory())
    number = NumberFactory(e164="+442079460150", market="uk", building=BuildingFactory())
    return services.request_line(customer=manager.customer, number=number, actor=manager), manager


def test_line1_a_line_has_a_number_and_the_buildings_address_as_emergency_location(line):
    """LINE-1 / EMG-1: the registered location is the coworking building's address."""
    ln, _ = line
    assert ln.number.e164 == "+442079460150" and ln.emergency_location == ln.number.building.address
    assert ln.number.status == "assigned"


def test_emg5_no_activation_without_the_acknowledgement(line):
    """EMG-5: the limits of emergency calls are acknowledged before activation, and recorded."""
    ln, manager = line
    with pytest.raises(ValidationError) as info:
        services.activate_line(line=ln, actor=manager)
    assert "emergency_limitations" in info.value.message_dict
    ln = services.acknowledge_emergency_limitations(line=ln, actor=manager)
    assert ln.emergency_limitations_acknowledged_by == manager
    assert services.activate_line(line=ln, actor=manager).status == "active"


def test_emg1_no_activation_without_a_location(line):
    """EMG-1: a line cannot be activated without a registered location."""
    ln, manager = line
    services.acknowledge_emergency_limitations(line=ln, actor=manager)
    ln.emergency_location = ""
    ln.save()
    with pytest.raises(ValidationError) as info:
        services.activate_line(line=ln, actor=manager)
    assert "emergency_location" in info.value.message_dict


def test_life1_every_suspension_records_its_ground(line):
    """LIFE-1: a suspension without one of the grounds is refused; the ground is kept and logged."""
    ln, manager = line
    services.acknowledge_emergency_limitations(line=ln, actor=manager)
    services.activate_line(line=ln, actor=manager)
    with pytest.raises(ValidationError):
        services.suspend_line(line=ln, ground="because", actor=None)
    ln = services.suspend_line(line=ln, ground="security_risk", actor=None)
    assert (ln.status, ln.suspension_ground) == ("suspended", "security_risk")
    assert Event.objects.filter(
        action="lines.line_suspended", data__ground="security_risk"
    ).exists()


def test_acc6_sip_credentials_are_stored_only_as_digest_hashes(line, settings):
    """ACC-6: the SIP password is shown once; only ha1 and ha1b are kept."""
    ln, manager = line
    device, password = services.add_device(line=ln, kind="desk_phone", actor=manager)
    stored = Device.objects.values().get(pk=device.pk)
    assert password not in str(stored)
    realm = settings.SIP_DOMAIN
    assert (
        stored["ha1"]
        == hashlib.md5(f"{device.sip_username}:{realm}:{password}".encode()).hexdigest()
    )


def test_line4_blocking_a_device_is_immediate_and_needs_a_reason(line):
    """LINE-4: a theft or fraud report blocks the device's credentials at once."""
    ln, manager = line
    device, _ = services.add_device(line=ln, kind="softphone", actor=manager)
    with pytest.raises(ValidationError):
        services.block_device(device=device, actor=manager, reason=" ")
    blocked = services.block_device(device=device, actor=manager, reason="Phone stolen")
    assert blocked.blocked_at is not None and blocked.blocked_reason == "Phone stolen"


def test_a_number_already_assigned_cannot_be_taken_again(line):
    ln, manager = line
    with pytest.raises(ValidationError) as info:
        services.request_line(customer=manager.customer, number=ln.number, actor=manager)
    assert "number" in info.value.message_dict


def test_line3_a_terminated_lines_number_is_quarantined_for_90_days_then_reusable(line, test_clock):
    """LINE-3: after termination the number goes into quarantine; 90 days later it is free."""
    ln, _ = line
    services.terminate_line(line=ln, actor=None)
    number = Number.objects.get(pk=ln.number_id)
    assert number.status == "quarantined"
    test_clock.advance(dt.timedelta(days=89, hours=23))
    number.refresh_from_db()
    assert number.status == "quarantined"
    with pytest.raises(ValidationError):
        services.request_line(customer=CustomerFactory(), number=number, actor=None)
    test_clock.advance(dt.timedelta(hours=1))
    number.refresh_from_db()
    assert (number.status, number.quarantined_until) == ("available", None)
    assert Event.objects.filter(action="lines.number_released").count() == 1
    newcomer = services.request_line(customer=CustomerFactory(), number=number, actor=None)
    assert newcomer.number == number
