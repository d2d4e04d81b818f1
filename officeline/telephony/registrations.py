"""Phones' registrations, which Kamailio keeps in the ``location`` table (usrloc, db_mode 3)."""

from __future__ import annotations

from typing import Any

from officeline.telephony.models import Registration


def forget_device(*, sip_username: str, **_: Any) -> int:
    """LINE-4: a blocked device's registrations go at once, so nothing is left to call it on.

    Kamailio reads registrations from the database only, so a deleted row is gone for
    every Kamailio at once. Connected to ``lines.signals.device_blocked``.
    """
    deleted, _unused = Registration.objects.filter(username=sip_username).delete()
    return deleted
