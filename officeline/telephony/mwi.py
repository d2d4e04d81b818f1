"""The message-waiting indicator (RFC 3842): a phone's lamp lit while its line has new voicemail.

When the number of a line's new messages changes, every registered contact of the line's
devices is sent a NOTIFY with ``Event: message-summary`` and the counts, out of any
subscription (an "unsolicited" NOTIFY, which desk phones and softphones show). Kamailio
sends it, asked through its JSON-RPC socket (``tm.t_uac_start``), so that it leaves from
the address the phones registered with and reaches a phone behind NAT at the address its
REGISTER came from (the ``received`` of its registration), through the pinhole that
REGISTER opened. A phone's own SUBSCRIBE for ``message-summary`` is answered by the
routing (``routing/kemi.py``).

Nothing here raises: the indicator is a convenience, and a message is kept whether or not
a phone could be told.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import tempfile
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from officeline.telephony.models import Registration
from officeline.telephony.routing.contract import (
    MESSAGE_SUMMARY_EVENT,
    MESSAGE_SUMMARY_TYPE,
    message_summary,
)

log = logging.getLogger(__name__)

RPC_TIMEOUT_SECONDS = 1.0


def notify_line(*, number: str, usernames: Iterable[str], new: int, old: int) -> int:
    """Tell every registered phone of a line (its devices' ``usernames``) how many new and old
    messages it has. How many contacts Kamailio took the NOTIFY for; failures are logged."""
    domain = settings.SIP_DOMAIN
    account = f"sip:{number}@{domain}"
    body = message_summary(account, new, old)
    sent = 0
    registrations = Registration.objects.filter(username__in=list(usernames)).values_list(
        "username", "contact", "received"
    )
    for username, contact, received in registrations:
        headers = (
            f"From: <{account}>;tag={uuid.uuid4().hex[:16]}\r\n"
            f"To: <sip:{username}@{domain}>\r\n"
            f"Contact: <{account}>\r\n"
            f"Event: {MESSAGE_SUMMARY_EVENT}\r\n"
            "Subscription-State: active\r\n"
            f"Content-Type: {MESSAGE_SUMMARY_TYPE}\r\n"
        )
        # A phone behind NAT is reached where its REGISTER came from, not at its Contact.
        next_hop = received or "."
        if _rpc("tm.t_uac_start", ["NOTIFY", contact, next_hop, ".", headers, body]):
            sent += 1
    return sent


def _rpc(method: str, params: list[str]) -> bool:
    """One JSON-RPC command to Kamailio over its Unix datagram socket; whether it succeeded."""
    request = {"jsonrpc": "2.0", "method": method, "params": params, "id": 1}
    path = Path(settings.SIP_RPC_SOCKET)
    reply_dir = tempfile.mkdtemp(prefix="officeline-rpc-")
    reply_path = os.path.join(reply_dir, "reply.sock")
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.bind(reply_path)  # Kamailio answers to the sender's address
            sock.settimeout(RPC_TIMEOUT_SECONDS)
            sock.sendto(json.dumps(request).encode(), str(path))
            answer = json.loads(sock.recv(65535))
    except (OSError, ValueError) as exc:
        log.warning("Kamailio's RPC %s at %s failed: %s", method, path, exc)
        return False
    finally:
        with contextlib.suppress(OSError):
            os.unlink(reply_path)
        os.rmdir(reply_dir)
    if "error" in answer:
        log.warning("Kamailio's RPC %s refused: %s", method, answer["error"])
        return False
    return True
