"""Registrations live in the database (usrloc db_mode 3): they outlive a Kamailio restart,
and a blocked device's registrations go with its credentials (LINE-4)."""

from __future__ import annotations

import pytest

from officeline.lines.services import lines as services
from officeline.telephony.kamailio import KamailioProcess, free_port
from officeline.telephony.models import Registration
from officeline.telephony.sipp import Answerer, run_scenario
from officeline.telephony.tests.fixtures import kamailio_config
from officeline.telephony.tests.phones import PASSWORD, active_line

pytestmark = [pytest.mark.sip, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def kamailio(django_db_setup, tmp_path_factory):
    """This module's Kamailio, which the tests stop and start again."""
    process = KamailioProcess(kamailio_config(tmp_path_factory.mktemp("kamailio")))
    process.start()
    yield process
    process.stop()


def _register(process: KamailioProcess, username: str) -> int:
    port = free_port()
    registered = run_scenario(
        "register.xml",
        host="127.0.0.1",
        port=process.config.listen_port,
        username=username,
        password=PASSWORD,
        local_port=port,
    )
    assert registered.succeeded, registered.output
    return port


def test_a_registration_outlives_a_kamailio_restart(kamailio, test_clock):
    _, caller = active_line("+442079460401")
    _, callee = active_line("+442079460402")
    callee_port = _register(kamailio, callee.sip_username)
    assert Registration.objects.filter(username=callee.sip_username).count() == 1

    kamailio.stop()
    kamailio.start()

    with Answerer(callee_port) as phone:
        call = run_scenario(
            "call.xml",
            host="127.0.0.1",
            port=kamailio.config.listen_port,
            username=caller.sip_username,
            password=PASSWORD,
            dial="442079460402",
        )
        answered = phone.result()
    assert call.succeeded, call.output
    assert answered.succeeded, answered.output


def test_line4_blocking_a_device_removes_its_registrations(kamailio, test_clock):
    """LINE-4: a theft report blocks the credentials and the phone's current registrations go too."""
    _, stolen = active_line("+442079460403")
    _, other = active_line("+442079460404")
    _register(kamailio, stolen.sip_username)
    _register(kamailio, other.sip_username)
    assert Registration.objects.filter(username=stolen.sip_username).exists()

    services.block_device(device=stolen, actor=None, reason="Stolen from the desk")

    assert not Registration.objects.filter(username=stolen.sip_username).exists()
    assert Registration.objects.filter(username=other.sip_username).exists()
