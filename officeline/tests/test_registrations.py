"""What the apps register at start-up in ``AppConfig.ready()``: the registries a lower app
offers are filled by the apps above it."""

from __future__ import annotations

from officeline import clock, navigation
from officeline.billing.services.subscriptions import end_subscription, subscribe_line
from officeline.events.services import record_clock_advance
from officeline.lines import hooks
from officeline.privacy.services.retention import held_customer_ids
from officeline.telephony import voicemail_receiver
from officeline.telephony.registrations import forget_device
from officeline.usage.services import voicemail


def test_lines_hooks_are_filled_by_billing_and_telephony():
    assert subscribe_line in hooks._line_requested
    assert end_subscription in hooks._line_terminated
    assert forget_device in hooks._device_blocked


def test_voicemail_has_its_receiver_and_the_legal_holds():
    assert voicemail_receiver.registered() is voicemail.receive_recording
    assert held_customer_ids in voicemail._held_customers


def test_the_events_record_test_clock_moves():
    assert record_clock_advance in clock._advance_listeners


def test_customer_links_are_registered_by_the_domains():
    assert {
        "billing_console:terminate",
        "lines_console:customer_lines",
        "privacy_console:record_request",
        "support_console:new_ticket",
        "usage_console:customer_calls",
    } <= set(navigation._customer_links)
