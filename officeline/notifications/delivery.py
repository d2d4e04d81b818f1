"""Sending what the outbox holds: claimed one at a time, sent outside any transaction.

The worker task (``tasks.deliver_outbox``) and the ``notifications.deliver`` tick handler
call ``deliver_pending``; ``services.queue_email`` writes the outbox.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q

from officeline import clock
from officeline.notifications.choices import Channel, OutboxStatus
from officeline.notifications.models import OutboxMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5

# Checks run on a marketing message just before it leaves; each returns why it must not be
# sent ("" to let it go). The privacy app registers the consent check (PRIV-4).
_marketing_checks: list[Callable[[OutboxMessage], str]] = []


def register_marketing_check(check: Callable[[OutboxMessage], str]) -> None:
    if check not in _marketing_checks:
        _marketing_checks.append(check)


def _withheld_because(message: OutboxMessage) -> str:
    if not message.marketing:
        return ""
    for check in _marketing_checks:
        reason = check(message)
        if reason:
            return reason
    return ""


def deliver_pending(*, limit: int = 100, now: dt.datetime | None = None) -> int:
    """Send queued emails (oldest first), one at a time, never inside a database transaction.

    Each email is claimed in a short transaction of its own (``sending``, under a row lock
    that other workers skip), sent with no transaction open and the mail server's timeout
    (``EMAIL_TIMEOUT``), and its result recorded in another. A mail server that does not
    answer holds no lock and no database connection's transaction; a worker that dies between
    claim and record leaves a claim that another worker takes again once it is older than
    ``EMAIL_CLAIM_EXPIRY_SECONDS`` (the email is then sent again rather than lost).
    """
    sent = 0
    tried: set[int] = set()  # a failed email waits for the next run, not this loop
    for _ in range(limit):
        claimed = _claim_next(clock.now() if now is None else now, skip=tried)
        if claimed is None:
            break
        message, claimed_at = claimed
        tried.add(message.pk)
        try:
            _send(message)
        except Exception as exc:  # the mail server's fault, not ours: retry later
            log.warning(
                "email %s not sent (attempt %s): %s",
                message.pk,
                message.attempts,
                type(exc).__name__,
            )
            _record(message, claimed_at, error=f"{type(exc).__name__}: {exc}")
        else:
            sent += _record(message, claimed_at, error="")
    return sent


def _claim_next(
    now: dt.datetime, *, skip: Iterable[int] = ()
) -> tuple[OutboxMessage, dt.datetime] | None:
    """The oldest email due, marked ``sending`` by this worker (with its claim time), or None.

    A marketing email whose recipient withdrew consent is withheld here instead (PRIV-4).
    """
    stale = now - dt.timedelta(seconds=settings.EMAIL_CLAIM_EXPIRY_SECONDS)
    while True:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(
                    Q(status=OutboxStatus.QUEUED)
                    | Q(status=OutboxStatus.SENDING, claimed_at__lt=stale),
                    channel=Channel.EMAIL,
                )
                .exclude(pk__in=list(skip))
                .order_by("queued_at", "id")
                .first()
            )
            if message is None:
                return None
            withheld = _withheld_because(message)
            if withheld:
                message.status = OutboxStatus.WITHHELD
                message.last_error = withheld[:2000]
                message.save(update_fields=["status", "last_error"])
                continue
            message.status = OutboxStatus.SENDING
            message.claimed_at = now
            message.attempts += 1
            message.save(update_fields=["status", "claimed_at", "attempts"])
            return message, now


def _record(message: OutboxMessage, claimed_at: dt.datetime, *, error: str) -> int:
    """Write what the send gave, if the claim is still this worker's; 1 when recorded as sent."""
    if error:
        changes: dict[str, Any] = {
            "last_error": error[:2000],
            "status": OutboxStatus.FAILED
            if message.attempts >= MAX_ATTEMPTS
            else OutboxStatus.QUEUED,
        }
    else:
        changes = {"status": OutboxStatus.SENT, "sent_at": clock.now()}
    with transaction.atomic():
        updated = OutboxMessage.objects.filter(
            pk=message.pk, status=OutboxStatus.SENDING, claimed_at=claimed_at
        ).update(claimed_at=None, **changes)
    return int(updated == 1 and not error)


def deliver_due(now: dt.datetime) -> int:
    """Tick handler: send whatever is still queued (after a mail server outage, say), and
    what a worker that died left claimed."""
    return deliver_pending(now=now)


def _send(message: OutboxMessage) -> None:
    email = EmailMultiAlternatives(
        subject=message.subject, body=message.body_text, to=[message.to], headers=message.headers
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments.all():
        email.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
    email.send()
