"""Signals of the lines app that the SIP core listens to (dependencies point down: lines never imports telephony)."""

from django.dispatch import Signal

# Sent after a device's credentials are blocked (LINE-4), with ``sip_username``.
device_blocked = Signal()

# Sent inside the transaction that creates a line, with ``line``: billing starts its
# subscription there, so a line never exists without its billing (BILL-2).
line_requested = Signal()

# Sent inside the transaction that ends a line, with ``line`` and ``at``: billing stops its
# subscription there when no cancellation already decided its last period (a port-out).
line_terminated = Signal()
