"""Texts received from people, as the carrier's inbound-SMS webhook delivers them (PRIV-4).

The carrier POSTs each text to ``/hooks/sms/inbound/``; the adapter named by
the setting ``SMS_CARRIER`` (``"sandbox"`` when unset) checks the request and
reads the text out of it. The sandbox carrier (demo and tests) sends a JSON
body ``{"id": ..., "from": ..., "body": ...}`` signed with HMAC-SHA256 of the
raw body and ``SMS_WEBHOOK_SECRET``, hex in the ``X-Sms-Signature`` header. A
real carrier's adapter is written against ``InboundSmsCarrier``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

from officeline.privacy.signed_json import ForgedRequest, MalformedRequest, read_signed_json, sign


@dataclass(frozen=True)
class InboundText:
    """One text as the carrier hands it over: its message id, the sender and the words."""

    message_id: str
    from_number: str
    body: str


# What the webhook answers 403 (not signed by the carrier) and 400 (signed, but holds no text).
ForgedInboundText = ForgedRequest
MalformedInboundText = MalformedRequest


class InboundSmsCarrier(Protocol):
    name: str

    def read(self, *, payload: bytes, headers: Mapping[str, str]) -> InboundText:
        """The text in a webhook request; ForgedInboundText or MalformedInboundText otherwise."""


class SandboxSmsCarrier:
    """The sandbox carrier: ``sign`` is what the carrier does before it posts a text."""

    name = "sandbox"
    SIGNATURE_HEADER = "X-Sms-Signature"

    def sign(self, payload: bytes) -> str:
        return sign(payload, settings.SMS_WEBHOOK_SECRET)

    def read(self, *, payload: bytes, headers: Mapping[str, str]) -> InboundText:
        message = read_signed_json(
            payload=payload,
            headers=headers,
            header=self.SIGNATURE_HEADER,
            secret=settings.SMS_WEBHOOK_SECRET,
            fields=("id", "from", "body"),
            hook="inbound-SMS",
        )
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
