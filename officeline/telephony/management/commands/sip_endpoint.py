"""``officeline sip_endpoint ROLE``: run the echo test, voicemail, or the local carrier trunk or
emergency gateway, on the address the settings give it (``make run`` starts all four)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from officeline.telephony.media.endpoint import (
    ROLES,
    EndpointConfig,
    run,
    sip_host_port,
    voicemail_receiver,
)

# The setting naming each role's address, and its first RTP port (each role gets 200 ports,
# above rtpengine's default range).
ROLE_SETTINGS = {
    "echo": ("ECHO_TEST", 31000),
    "trunk": ("CARRIER_TRUNK", 31200),
    "gateway": ("EMERGENCY_GATEWAY", 31400),
    "voicemail": ("VOICEMAIL", 31600),
}


class Command(BaseCommand):
    help = (
        "Run one of the project's SIP endpoints: the echo test, voicemail, the local trunk or "
        "gateway."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", choices=ROLES)
        parser.add_argument("--rtp-port", type=int, help="the first RTP port to use")
        parser.add_argument(
            "--max-seconds",
            type=int,
            help="hang up a call after this long (voicemail: OFFICELINE_VOICEMAIL_MAX_SECONDS, "
            "else 300)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        role = options["role"]
        setting, rtp_port = ROLE_SETTINGS[role]
        uri = getattr(settings, setting)
        if not uri:
            raise CommandError(
                f"OFFICELINE_{setting} is not set: give the SIP URI the {role} endpoint answers on"
            )
        try:
            host, port = sip_host_port(uri)
        except ValueError as exc:
            raise CommandError(f"OFFICELINE_{setting}: {exc}") from exc
        voicemail = role == "voicemail"
        default_seconds = settings.VOICEMAIL_MAX_SECONDS if voicemail else 300
        run(
            EndpointConfig(
                role=role,
                host=host,
                port=port,
                rtp_port=options["rtp_port"] or rtp_port,
                workdir=settings.VAR_DIR / "sip-endpoints",
                max_seconds=options["max_seconds"] or default_seconds,
            ),
            out=self.stdout,
            on_message=voicemail_receiver() if voicemail else None,
        )
