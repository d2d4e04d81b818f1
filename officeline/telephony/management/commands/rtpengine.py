"""``officeline rtpengine``: run the media relay in the foreground with the configured ports."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from officeline.telephony.rtpengine import RtpengineConfig


def rtpengine_config() -> RtpengineConfig:
    return RtpengineConfig(
        interface=settings.RTPENGINE_INTERFACE,
        ng_port=settings.RTPENGINE_NG_PORT,
        port_min=settings.RTPENGINE_PORT_MIN,
        port_max=settings.RTPENGINE_PORT_MAX,
        workdir=settings.VAR_DIR / "rtpengine",
    )


class Command(BaseCommand):
    help = "Run rtpengine (userspace) as the media relay for Kamailio."

    def handle(self, *args: Any, **options: Any) -> None:
        config = rtpengine_config()
        config.workdir.mkdir(parents=True, exist_ok=True)
        self.stdout.write(
            f"rtpengine: media on {config.interface} ports {config.port_min}-{config.port_max}, "
            f"control on {config.control}"
        )
        command = config.command()
        os.execv(command[0], command)  # noqa: S606  (rtpengine replaces this process, as Procfile expects)
