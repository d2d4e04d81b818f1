"""The message-waiting indicator (RFC 3842): a registered phone is sent a NOTIFY with its line's
new and old messages when a message is kept, listened to or deleted, through Kamailio."""

from __future__ import annotations

import pytest

from officeline.telephony.kamailio import free_port
from officeline.telephony.sipp import Answerer, run_scenario
from officeline.telephony.tests.phones import PASSWORD, phone_line, register_phone
from officeline.usage import voicemail as voicemails
from officeline.usage.tests.factories import voicemail

pytestmark = [pytest.mark.sip, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def rpc_socket(settings, module_kamailio):
    """Django asks the module's Kamailio to send the NOTIFYs."""
    settings.SIP_RPC_SOCKET = module_kamailio.rpc_socket


def _notified(port: int, action) -> str:
    """What the phone on ``port`` received while ``action`` ran: one NOTIFY, answered 200."""
    with Answerer(port, scenario="notify.xml", timeout=5) as phone:
        action()
        told = phone.result()
    assert told.succeeded, told.output
    return told.messages


def test_a_kept_message_lights_the_phones_lamp_and_listening_to_it_puts_it_out(
    module_kamailio, test_clock, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    line, username = phone_line("+442079460401")
    port = register_phone(module_kamailio, username)

    messages = _notified(port, lambda: voicemail(line, received_at=test_clock.now()))
    assert "NOTIFY sip:" in messages and "Event: message-summary" in messages
    assert "Content-Type: application/simple-message-summary" in messages
    assert "Messages-Waiting: yes" in messages
    assert "Message-Account: sip:+442079460401@officeline.test" in messages
    assert "Voice-Message: 1/0 (0/0)" in messages

    message = line.voicemails.get()
    messages = _notified(port, lambda: voicemails.mark_listened(message, now=test_clock.now()))
    assert "Messages-Waiting: no" in messages and "Voice-Message: 0/1 (0/0)" in messages


def test_a_phone_behind_nat_is_told_where_its_register_came_from(
    module_kamailio, test_clock, tmp_path, settings
):
    """Its Contact names a private address (10.0.0.5:5999); the NOTIFY still reaches it, at
    the address and port its REGISTER came from, and a deleted new message puts the lamp out."""
    settings.MEDIA_ROOT = tmp_path
    line, username = phone_line("+442079460402")
    port = free_port()
    registered = run_scenario(
        "register_nat.xml",
        host="127.0.0.1",
        port=module_kamailio.listen_port,
        username=username,
        password=PASSWORD,
        local_port=port,
    )
    assert registered.succeeded, registered.output
    messages = _notified(port, lambda: voicemail(line, received_at=test_clock.now()))
    assert f"NOTIFY sip:{username}@10.0.0.5:5999" in messages
    assert "Voice-Message: 1/0 (0/0)" in messages

    message = line.voicemails.get()
    manager = line.customer.people.get()
    messages = _notified(
        port,
        lambda: voicemails.delete_voicemail(message, actor=manager, now=test_clock.now()),
    )
    assert "Messages-Waiting: no" in messages and "Voice-Message: 0/0 (0/0)" in messages
