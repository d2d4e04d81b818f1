"""Texts received from people, as the carrier's inbound-SMS webhook delivers them (PRIV-4).

The carrier POSTs each text to ``/hooks/sms/inbound/``; the adapter named by
the setting ``SMS_CARRIER`` (``"sandbox"`` when unset) checks the request and
reads the text out of it. The sandbox carrier (demo and tests) sends a JSON
body ``{"id": ..., "from": ..., "body": ...}`` signed with HMAC-SHA256 of the
raw body and ``SMS_WEBHOOK_SECRET``, hex in the ``X-Sms-Signature`` header. A
real carrier's adapter is written against ``InboundSmsCarrier``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings


@dataclass(frozen=True)
class InboundText:
    """One text as the carrier hands it over: its message id, the sender and the words."""

    message_id: str
    from_number: str
    body: str


class ForgedInboundText(ValueError):
    """The request is not signed by the carrier."""


class MalformedInboundText(ValueError):
    """The request is signed but does not hold a text."""


class InboundSmsCarrier(Protocol):
    name: str

    def read(self, *, payload: bytes, headers: Mapping[str, str]) -> InboundText:
        """The text in a webhook request; ForgedInboundText or MalformedInboundText otherwise."""


class SandboxSmsCarrier:
    """The sandbox carrier: ``sign`` is what the carrier does before it posts a text."""

    name = "sandbox"
    SIGNATURE_HEADER = "X-Sms-Signature"

    def sign(self, payload: bytes) -> str:
        secret = settings.SMS_WEBHOOK_SECRET.encode()
        return hmac.new(secret, payload, hashlib.sha256).hexdigest()

    def read(self, *, payload: bytes, headers: Mapping[str, str]) -> InboundText:
        if not settings.SMS_WEBHOOK_SECRET:
            raise ForgedInboundText("the inbound-SMS webhook is not configured")
        given = headers.get(self.SIGNATURE_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.sign(payload).encode()):
            raise ForgedInboundText("invalid signature")
        try:
            message = json.loads(payload)
        except ValueError:
            raise MalformedInboundText("the body is not JSON") from None
        if not isinstance(message, dict):
            raise MalformedInboundText("the body is not a text message")
        missing = [f for f in ("id", "from", "body") if not isinstance(message.get(f), str)]
        if missing:
            raise MalformedInboundText(f"missing or not text: {', '.join(missing)}")
        return InboundText(
            message_id=message["id"], from_number=message["from"], body=message["body"]
        )


CARRIERS: dict[str, type[SandboxSmsCarrier]] = {"sandbox": SandboxSmsCarrier}


def get_carrier() -> InboundSmsCarrier:
    name = getattr(settings, "SMS_CARRIER", "sandbox")
    try:
        return CARRIERS[name]()
    except KeyError:
        raise ValueError(f"SMS_CARRIER: no SMS carrier named {name!r}") from None
