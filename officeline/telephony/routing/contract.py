"""What the routing shares with the Django side: the names of the tables, views, columns and
function it reads and writes, the values it writes, and the message-summary body.

Both sides import these names from here; the contract tests (``telephony/tests/
test_routing_contract.py``, and ``usage/tests/test_routing_contract.py`` for usage's table)
check them against the models and the database.
"""

from __future__ import annotations

from enum import StrEnum

# The devices allowed to register, with their digest hashes (a view, migration 0001).
SUBSCRIBER_VIEW = "telephony_subscriber"
# The devices' lines, numbers, markets and locations (a view, migrations 0001, 0005, 0008).
ROUTING_VIEW = "telephony_routing"
# On PostgreSQL, a call's reads in one function with its plan kept (migration 0007).
CALL_ROUTE_FUNCTION = "telephony_call_route"
# Kamailio's usrloc table (``telephony.Registration``).
LOCATION_TABLE = "location"
# Where the call events go (``telephony.CallEvent``).
CALL_EVENT_TABLE = "telephony_callevent"
# Voicemail messages, which the usage app keeps: read for a phone's message-summary.
VOICEMAIL_TABLE = "usage_voicemail"
VOICEMAIL_COLUMNS = ("id", "line_id", "listened_at")

# The columns of a caller's line the routing reads, in its order.
LINE_COLUMNS = (
    "line_id",
    "number",
    "status",
    "in_use_abroad",
    "market",
    "location",
    "building",
    "address_line1",
    "address_line2",
    "city",
    "postcode",
    "customer_id",
    "premium_allowed",
    "international_allowed",
    "spend_limited",
)
# A line's status as the routing reads it (``lines.LineStatus``).
LINE_ACTIVE = "active"
LINE_SUSPENDED = "suspended"

EVENT_COLUMNS = (
    "event_id",
    "call_id",
    "kind",
    "at_us",
    "line_id",
    "market",
    "caller",
    "dialled",
    "route",
    "code",
    "reason",
)

# The longest text the routing writes into each text column of a call event.
EVENT_LENGTHS = {"call_id": 255, "market": 2, "caller": 32, "dialled": 64, "reason": 128}


class EventKind(StrEnum):
    """The kinds of call event the routing writes (``telephony.CallEventKind``)."""

    START = "start"  # an authenticated INVITE and where the routing sent it
    ANSWER = "answer"  # a 2xx to the INVITE
    FAIL = "fail"  # a final negative answer, from us or the far end
    END = "end"  # a BYE from either side
    DIVERT = "divert"  # the call went to voicemail, after this final answer of the line


class Route(StrEnum):
    """Where the routing sent a call, in its ``start`` event."""

    INTERNAL = "internal"
    EMERGENCY = "emergency"
    EXTERNAL = "external"
    INBOUND = "inbound"


# The event package of a line's voicemail (RFC 3842) and its body's type.
MESSAGE_SUMMARY_EVENT = "message-summary"
MESSAGE_SUMMARY_TYPE = "application/simple-message-summary"


def message_summary(account: str, new: int, old: int) -> str:
    """The body of a message-summary NOTIFY (RFC 3842): whether messages wait, for which
    account, and the new and old voice messages (none of them urgent)."""
    return (
        f"Messages-Waiting: {'yes' if new else 'no'}\r\n"
        f"Message-Account: {account}\r\n"
        f"Voice-Message: {new}/{old} (0/0)\r\n"
    )
