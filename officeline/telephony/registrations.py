"""Phones' registrations, which Kamailio keeps in the ``location`` table (usrloc, db_mode 3)."""

from __future__ import annotations

from officeline.telephony.models import Registration


def forget_device(*, sip_username: str) -> int:
    """LINE-4: a blocked device's registrations go at once, so nothing is left to call it on.

    Kamailio reads registrations from the database only, so a deleted row is gone for
    every Kamailio at once. Registered with ``lines.hooks.on_device_blocked``.
    """
    deleted, _unused = Registration.objects.filter(username=sip_username).delete()
    return deleted
