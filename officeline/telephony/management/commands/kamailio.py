"""``officeline kamailio``: render Kamailio's configuration from the settings and run it in the foreground."""

from __future__ import annotations

import logging
import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from officeline.lines.services.barring import call_limits_text
from officeline.telephony.kamailio import (
    KamailioConfig,
    KamailioProcess,
    digest_ha1,
    kamailio_db_url,
    route_secret,
)

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run Kamailio with Officeline's routing (KEMI, Python) on the configured address."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--render-only", action="store_true", help="write the configuration and print its path"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        config = KamailioConfig(
            listen_host=settings.SIP_LISTEN_HOST,
            listen_port=settings.SIP_LISTEN_PORT,
            domain=settings.SIP_DOMAIN,
            db_url=kamailio_db_url(connection.settings_dict),
            workdir=settings.VAR_DIR / "kamailio",
            emergency_gateway=settings.EMERGENCY_GATEWAY,
            carrier_trunk=settings.CARRIER_TRUNK,
            trunk_sources=settings.CARRIER_TRUNK_SOURCES,
            trunk_auth=settings.TRUNK_AUTH,
            trunk_username=settings.TRUNK_USERNAME,
            # Kamailio is given the HA1, never the password.
            trunk_ha1=(
                digest_ha1(settings.TRUNK_USERNAME, settings.SIP_DOMAIN, settings.TRUNK_PASSWORD)
                if settings.TRUNK_USERNAME and settings.TRUNK_PASSWORD
                else ""
            ),
            route_secret=settings.SIP_ROUTE_SECRET or route_secret(settings.SECRET_KEY),
            cdr_spool_dir=settings.SIP_CDR_SPOOL_DIR,
            rtpengine_control=f"udp:127.0.0.1:{settings.RTPENGINE_NG_PORT}",
            echo_test_numbers=",".join(f"{m}={n}" for m, n in settings.ECHO_TEST_NUMBERS.items()),
            echo_test=settings.ECHO_TEST,
            voicemail=settings.VOICEMAIL,
            voicemail_ring_seconds=settings.VOICEMAIL_RING_SECONDS,
            flood_requests=settings.SIP_FLOOD_REQUESTS,
            invite_limit=settings.SIP_INVITE_LIMIT,
            register_limit=settings.SIP_REGISTER_LIMIT,
            rpc_socket_path=settings.SIP_RPC_SOCKET,
            call_limits=call_limits_text(),
        )
        if settings.CARRIER_TRUNK and settings.TRUNK_AUTH == "ip":
            log.warning(
                "The carrier trunk's calls are trusted by their source address alone "
                "(OFFICELINE_TRUNK_AUTH=ip); set it to digest with the trunk's credentials."
            )
        process = KamailioProcess(config)
        path = process.write_config()
        if options["render_only"]:
            self.stdout.write(str(path))
            return
        self.stdout.write(
            f"Kamailio on sip:{config.listen_host}:{config.listen_port} (domain {config.domain})"
        )
        command = process.command()
        os.environ.update(config.environment())
        os.execv(command[0], command)  # noqa: S606  (Kamailio replaces this process, as Procfile expects)
