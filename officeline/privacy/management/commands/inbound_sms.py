"""``officeline inbound-sms``: a text received from a person, as the carrier would hand it over.

officeline inbound-sms --from +447946000321 --body STOP
opted_out: 1 consent withdrawn

The carrier's webhook (``/hooks/sms/inbound/``) calls ``privacy.services.handle_inbound_sms`` the
same way; this command is the hook for staff and for testing (PRIV-4).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from officeline.cli import command_error
from officeline.privacy.choices import InboundSmsOutcome
from officeline.privacy.services.sms_replies import handle_inbound_sms


class Command(BaseCommand):
    help = (
        "Handle a text received from a person: STOP withdraws their SMS marketing consent (PRIV-4)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="from_number", required=True, help="E.164, e.g. +44...")
        parser.add_argument("--body", required=True, help="the text received")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            inbound = handle_inbound_sms(from_number=options["from_number"], body=options["body"])
        except ValidationError as exc:
            raise command_error(exc, {"from_number": "from"}) from None
        if inbound.outcome == InboundSmsOutcome.REJECTED:
            raise CommandError(f"--body: {inbound.reason}")
        line = f"{inbound.outcome}: {inbound.consents_withdrawn} consent(s) withdrawn"
        if inbound.reason:
            line += f" ({inbound.reason})"
        self.stdout.write(line)
