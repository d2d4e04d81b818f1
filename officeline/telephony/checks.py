"""System checks of the telephony settings: how the carrier trunk's calls are trusted."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register
from django.core.checks import Warning as CheckWarning


@register()
def trunk_authentication(app_configs: Any = None, **kwargs: Any) -> list[Error | CheckWarning]:
    """A trunk trusted by its address alone can be impersonated by anyone who can send UDP
    from that address; one told to authenticate needs its credentials."""
    if not settings.CARRIER_TRUNK:
        return []
    if settings.TRUNK_AUTH == "ip":
        return [
            CheckWarning(
                "The carrier trunk's calls are trusted by their source address alone "
                "(OFFICELINE_TRUNK_AUTH=ip), which can be spoofed over UDP.",
                hint="Set OFFICELINE_TRUNK_AUTH=digest with OFFICELINE_TRUNK_USERNAME and "
                "OFFICELINE_TRUNK_PASSWORD, and give the carrier those credentials.",
                id="officeline.W101",
            )
        ]
    if settings.TRUNK_AUTH != "digest":
        return [
            Error(
                f"OFFICELINE_TRUNK_AUTH is {settings.TRUNK_AUTH!r}; it must be 'digest' or 'ip'.",
                id="officeline.E101",
            )
        ]
    if not settings.TRUNK_USERNAME or not settings.TRUNK_PASSWORD:
        return [
            CheckWarning(
                "The carrier trunk must authenticate (OFFICELINE_TRUNK_AUTH=digest) but has no "
                "credentials: every call from it is refused.",
                hint="Set OFFICELINE_TRUNK_USERNAME and OFFICELINE_TRUNK_PASSWORD.",
                id="officeline.W102",
            )
        ]
    return []
