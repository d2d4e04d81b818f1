"""Who keeps the messages the voicemail endpoint records: registered at start-up.

The usage app registers its receiver in ``UsageConfig.ready()`` (telephony never imports
usage); the endpoint takes it once Django is set up (``endpoint.voicemail_receiver``). A
module of its own, so that the endpoint run as ``python -m`` reads the same registry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from officeline.telephony.media.endpoint import Recording

Receiver = Callable[["Recording"], object]

_receivers: list[Receiver] = []


def register(receive: Receiver) -> None:
    """The app that keeps messages registers what each recording is handed to."""
    _receivers[:] = [receive]


def registered() -> Receiver:
    if not _receivers:
        raise RuntimeError("no app registered a voicemail receiver")
    return _receivers[0]
