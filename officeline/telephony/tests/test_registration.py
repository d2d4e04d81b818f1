"""Phones register with our Kamailio: real SIP over loopback, SIPp as the phone (LINE-4, ACC-6)."""

from __future__ import annotations

import pytest

from officeline.accounts.tests.factories import (
    BuildingFactory,
    CustomerFactory,
    OfficeManagerFactory,
)
from officeline.lines.models import Number
from officeline.lines.services import lines as services
from officeline.telephony.sipp import run_scenario

pytestmark = [pytest.mark.sip, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kamailio(module_kamailio):
    return module_kamailio


@pytest.fixture
def device(test_clock):
    manager = OfficeManagerFactory(customer=CustomerFactory())
    building = BuildingFactory()
    number = Number.objects.create(e164="+442079460101", market="uk", building=building)
    line = services.request_line(customer=manager.customer, number=number, actor=manager)
    services.acknowledge_emergency_limitations(line=line, actor=manager)
    services.activate_line(line=line, actor=manager)
    device, password = services.add_device(
        line=line, kind="softphone", actor=manager, password="desk-phone-secret-1"
    )
    return device, password, manager


def test_a_phone_registers_with_its_credentials(kamailio, device):
    dev, password, _ = device
    result = run_scenario(
        "register.xml",
        host="127.0.0.1",
        port=kamailio.listen_port,
        username=dev.sip_username,
        password=password,
    )
    assert result.succeeded, result.output


def test_acc6_a_wrong_password_is_refused(kamailio, device):
    dev, _, _ = device
    result = run_scenario(
        "register.xml",
        host="127.0.0.1",
        port=kamailio.listen_port,
        username=dev.sip_username,
        password="wrong",
    )
    assert not result.succeeded


def test_line4_a_blocked_device_cannot_register(kamailio, device):
    """LINE-4: after a theft report, the device's credentials are refused at once."""
    dev, password, manager = device
    services.block_device(device=dev, actor=manager, reason="Stolen from the desk")
    result = run_scenario(
        "register.xml",
        host="127.0.0.1",
        port=kamailio.listen_port,
        username=dev.sip_username,
        password=password,
    )
    assert not result.succeeded
