"""Webhook requests that the sandbox providers sign: a JSON object whose raw body is signed with
HMAC-SHA256 and a shared secret, hex in a header. The sandbox SMS carrier and the sandbox
unsubscribe mailbox both post this way; a real provider's adapter reads its own scheme."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping


class ForgedRequest(ValueError):
    """The request is not signed by the provider (or the hook has no secret to check it with)."""


class MalformedRequest(ValueError):
    """The request is signed but does not hold what the hook reads."""


def sign(payload: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


def read_signed_json(
    *,
    payload: bytes,
    headers: Mapping[str, str],
    header: str,
    secret: str,
    fields: Iterable[str],
    hook: str,
) -> dict[str, str]:
    """The named text fields of a signed JSON object; ForgedRequest or MalformedRequest otherwise.

    The signature is checked before the body is read at all."""
    if not secret:
        raise ForgedRequest(f"the {hook} webhook is not configured")
    if not hmac.compare_digest(headers.get(header, "").encode(), sign(payload, secret).encode()):
        raise ForgedRequest("invalid signature")
    try:
        message = json.loads(payload)
    except ValueError:
        raise MalformedRequest("the body is not JSON") from None
    if not isinstance(message, dict):
        raise MalformedRequest("the body is not a JSON object")
    fields = tuple(fields)
    missing = [f for f in fields if not isinstance(message.get(f), str)]
    if missing:
        raise MalformedRequest(f"missing or not text: {', '.join(missing)}")
    return {f: message[f] for f in fields}
