"""API tokens: issued per client, stored only as a SHA-256 (ACC-6), expiring, revocable.

A token is ``olt_`` and 43 characters of ``secrets.token_urlsafe(32)`` (256 random bits): a
hash of it cannot be reversed or guessed, so a plain SHA-256 is enough (no salt or slow hash,
which only help against guessable secrets such as passwords) and lets a request find its token
by an indexed lookup of the digest. Tokens expire (``API_TOKEN_DAYS``, staff
``STAFF_API_TOKEN_DAYS``) and are revoked when the password changes (``User.save``), when a
staff member leaves and when a person is erased.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.models import ApiToken, User
from officeline.actors import Actor
from officeline.errors import DomainError
from officeline.events.services import record_event

TOKEN_MARK = "olt_"
PREFIX_LENGTH = 12
CLIENT_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,39}")
DEFAULT_CLIENT = "api"


@dataclass(frozen=True)
class IssuedToken:
    """A new token: the row, and the value that is shown this once and never stored."""

    token: ApiToken
    value: str


def new_token_value() -> str:
    """A new token: the mark and 256 random bits."""
    return TOKEN_MARK + secrets.token_urlsafe(32)


def token_digest(value: str) -> str:
    """The SHA-256 (hex) that the database keeps of a token."""
    return hashlib.sha256(value.encode()).hexdigest()


def token_lifetime(user: User) -> dt.timedelta:
    """How long a new token of ``user`` lives: staff tokens are shorter-lived."""
    days = settings.STAFF_API_TOKEN_DAYS if user.staff_role else settings.API_TOKEN_DAYS
    return dt.timedelta(days=days)


def check_client(client: str) -> str:
    """The client's name as stored (lower case), or a DomainError naming the field."""
    name = client.strip().lower()
    if not CLIENT_PATTERN.fullmatch(name):
        raise DomainError(
            _(
                "Name the client in 1 to 40 letters, digits, dots, dashes or "
                "underscores, starting with a letter or digit (for example "
                "“cli” or “integration-x”)."
            ),
            code="invalid_client",
            field="client",
        )
    return name


def issue_api_token(
    *, user: User, client: str, actor: Actor | str, now: dt.datetime | None = None
) -> IssuedToken:
    """A new token of ``user`` for ``client``; it replaces that client's previous token."""
    client = check_client(client)
    now = now or clock.now()
    value = new_token_value()
    with transaction.atomic():
        # Lock the user's row so that two requests for the same client do not both insert.
        User.objects.select_for_update().only("pk").get(pk=user.pk)
        replaced = ApiToken.objects.filter(user=user, client=client).delete()[0]
        token = ApiToken.objects.create(
            user=user,
            client=client,
            prefix=value[:PREFIX_LENGTH],
            digest=token_digest(value),
            created_at=now,
            expires_at=now + token_lifetime(user),
        )
        record_event(
            action="accounts.api_token_issued",
            actor=actor,
            subject=user,
            data={
                "client": client,
                "prefix": token.prefix,
                "expires_at": token.expires_at.isoformat(),
                "replaced": replaced,
            },
            at=now,
        )
    return IssuedToken(token=token, value=value)


def revoke_api_tokens(
    *,
    user: User,
    actor: Actor | str,
    reason: str,
    token_id: int | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Delete ``user``'s tokens (only ``token_id`` when given); returns how many went.

    ``reason`` says why ("revoked", "password_changed", ...) in the event; nothing is
    recorded when there was nothing to revoke.
    """
    tokens = ApiToken.objects.filter(user=user)
    if token_id is not None:
        tokens = tokens.filter(pk=token_id)
    with transaction.atomic():
        clients = sorted(tokens.values_list("client", flat=True))
        revoked = tokens.delete()[0]
        if revoked:
            record_event(
                action="accounts.api_tokens_revoked",
                actor=actor,
                subject=user,
                data={"reason": reason, "clients": clients},
                at=now or clock.now(),
            )
    return revoked


def find_api_token(value: str, now: dt.datetime) -> ApiToken | None:
    """The live token whose value is ``value``, with its user; None when unknown or expired.

    Tokens carried over from before the ``olt_`` mark have no mark: they are found alike.
    """
    return (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(value), expires_at__gt=now)
        .first()
    )


def delete_expired_api_tokens(now: dt.datetime) -> int:
    """Tick: expired tokens no longer authenticate; their rows go too."""
    return ApiToken.objects.filter(expires_at__lte=now).delete()[0]
