"""Emails to the unsubscribe mailbox, as the mail provider's inbound webhook delivers them (PRIV-4).

Every marketing email's ``List-Unsubscribe`` header names, beside its https link, a
``mailto:`` of ``UNSUBSCRIBE_EMAIL`` whose subject is ``unsubscribe <token>``. The provider
that receives that mailbox POSTs each email to ``/hooks/email/unsubscribe/``; the adapter
named by ``UNSUBSCRIBE_MAILBOX`` (``"sandbox"`` when unset) checks the request and reads the
email's subject out of it. The sandbox mailbox (demo and tests) sends a JSON body
``{"subject": ...}`` signed with HMAC-SHA256 of the raw body and
``UNSUBSCRIBE_WEBHOOK_SECRET``, hex in the ``X-Mailbox-Signature`` header.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from django.conf import settings

from officeline.privacy.signed_json import read_signed_json, sign


class UnsubscribeMailbox(Protocol):
    name: str

    def subject(self, *, payload: bytes, headers: Mapping[str, str]) -> str:
        """The subject of the email in a webhook request; ForgedRequest or MalformedRequest
        otherwise."""


class SandboxMailbox:
    """The sandbox mail provider: ``sign`` is what it does before it posts an email."""

    name = "sandbox"
    SIGNATURE_HEADER = "X-Mailbox-Signature"

    def sign(self, payload: bytes) -> str:
        return sign(payload, settings.UNSUBSCRIBE_WEBHOOK_SECRET)

    def subject(self, *, payload: bytes, headers: Mapping[str, str]) -> str:
        email = read_signed_json(
            payload=payload,
            headers=headers,
            header=self.SIGNATURE_HEADER,
            secret=settings.UNSUBSCRIBE_WEBHOOK_SECRET,
            fields=("subject",),
            hook="unsubscribe mailbox",
        )
        return email["subject"]


MAILBOXES: dict[str, type[SandboxMailbox]] = {"sandbox": SandboxMailbox}


def get_mailbox() -> UnsubscribeMailbox:
    name = getattr(settings, "UNSUBSCRIBE_MAILBOX", "sandbox")
    try:
        return MAILBOXES[name]()
    except KeyError:
        raise ValueError(f"UNSUBSCRIBE_MAILBOX: no mailbox named {name!r}") from None
