"""The message-waiting indicator (RFC 3842): a registered phone is sent a NOTIFY with its line's
new and old messages when a message is kept, listened to or deleted, through Kamailio."""

from __future__ import annotations

import re

import pytest

from officeline.telephony.kamailio import free_port
from officeline.telephony.sipp import Answerer, run_scenario
from officeline.telephony.tests.phones import PASSWORD, phone_line, register_phone
from officeline.telephony.tests.raw_sip import RawSip, status
from officeline.usage.services import voicemail as voicemails
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
    messages = _notified(
        port, lambda: voicemails.mark_listened(voicemail=message, now=test_clock.now())
    )
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
        lambda: voicemails.delete_voicemail(voicemail=message, actor=manager, now=test_clock.now()),
    )
    assert "Messages-Waiting: no" in messages and "Voice-Message: 0/0 (0/0)" in messages


def test_a_phone_subscribing_to_its_lines_messages_is_answered_and_told_at_once(
    module_kamailio, test_clock, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    line, username = phone_line("+442079460403")
    voicemail(line, received_at=test_clock.now())  # no phone registered: nobody told yet
    subscribed = run_scenario(
        "subscribe_mwi.xml",
        host="127.0.0.1",
        port=module_kamailio.listen_port,
        username=username,
        password=PASSWORD,
        timeout=5,
    )
    assert subscribed.succeeded, subscribed.output
    assert "Expires: 600" in subscribed.messages
    assert "Subscription-State: active;expires=600" in subscribed.messages
    assert "Messages-Waiting: yes" in subscribed.messages
    assert "Voice-Message: 1/0 (0/0)" in subscribed.messages
    # The NOTIFY belongs to the subscription: its From tag is the To tag of the 200.
    blocks = subscribed.messages.split("\n\n")
    answer = next(b for b in blocks if "SIP/2.0 200 OK" in b and "SUBSCRIBE" in b)
    notify = next(b for b in blocks if "NOTIFY sip:" in b)
    to_tag = re.search(r"^To: .*;tag=(\S+)", answer, re.M)
    from_tag = re.search(r"^From: .*;tag=(\S+)", notify, re.M)
    assert to_tag and from_tag and to_tag.group(1) == from_tag.group(1), subscribed.messages


def test_a_subscription_to_another_event_is_refused_with_bad_event(module_kamailio):
    with RawSip(module_kamailio.listen_port) as phone:
        answer = phone.ask(
            phone.request("SUBSCRIBE", "sip:probe@officeline.test", headers="Event: presence\r\n")
        )
    assert status(answer) == 489, answer
    assert "Allow-Events: message-summary" in (answer or "")
