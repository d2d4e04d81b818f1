"""What usage registers at start-up (``UsageConfig.ready()``), one function per topic."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from officeline import clock, navigation
from officeline.telephony import voicemail_receiver
from officeline.usage.services.voicemail import receive_recording
from officeline.usage.tick import enforce_limits, fold_call_events, review_deadlines, review_usage


def register_tick_handlers() -> None:
    clock.register("usage.record_calls")(fold_call_events)
    clock.register("usage.voicemail_limits")(enforce_limits)
    # AUP-1, AUP-3, after the calls are folded (handlers run in the order of their names).
    clock.register("usage.use_review")(review_usage)
    clock.register("usage.use_review_deadlines")(review_deadlines)


def register_pages() -> None:
    navigation.portal("usage_portal:reviews", _("Acceptable use"), order=80)
    navigation.console("usage_console:reviews", _("Acceptable use"), order=45)
    navigation.portal("usage_portal:calls", _("Calls"), order=20)
    navigation.customer_link("usage_console:customer_calls", _("Calls"), order=20)
    navigation.customer_link("usage_console:customer_voicemails", _("Voicemail"), order=21)
    navigation.customer_link("usage_console:customer_reviews", _("Acceptable use"), order=22)


def register_voicemail() -> None:
    # The voicemail endpoint hands each recorded message to usage, which keeps it on the line.
    voicemail_receiver.register(receive_recording)
