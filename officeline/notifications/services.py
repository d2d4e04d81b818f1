"""Queueing messages. Every email a customer gets goes through ``queue_email``.

The message is rendered now, in the recipient's language, and written to the
outbox in the caller's transaction; it leaves after commit (a worker task, and
the ``notifications.deliver`` tick handler for anything left behind).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from officeline import clock
from officeline.notifications.choices import Channel, OutboxStatus
from officeline.notifications.models import OutboxAttachment, OutboxMessage

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


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    content_type: str = "application/pdf"


def render_message(
    template: str, context: Mapping[str, Any], language: str
) -> tuple[str, str, str]:
    """(subject, text, html) from ``<template>.subject.txt``, ``.txt`` and optional ``.html``."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}.subject.txt", context).split())
        text: str = render_to_string(f"{template}.txt", context)
        try:
            html: str = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            html = ""
    return subject, text, html


def queue_email(
    *,
    to: str,
    template: str,
    context: Mapping[str, Any],
    language: str,
    kind: str,
    customer: Any = None,
    attachments: Iterable[Attachment] = (),
    marketing: bool = False,
    headers: Mapping[str, str] | None = None,
) -> OutboxMessage:
    """Render and queue one email; it is sent after the current transaction commits."""
    subject, text, html = render_message(template, {"language": language, **context}, language)
    message = OutboxMessage.objects.create(
        channel=Channel.EMAIL,
        customer=customer,
        to=to,
        subject=subject,
        body_text=text,
        body_html=html,
        headers=dict(headers or {}),
        kind=kind,
        marketing=marketing,
        language=language,
        queued_at=clock.now(),
    )
    for attachment in attachments:
        OutboxAttachment.objects.create(
            message=message,
            filename=attachment.filename,
            content=attachment.content,
            content_type=attachment.content_type,
        )
    _deliver_after_commit()
    return message


def _deliver_after_commit() -> None:
    """Ask the worker to send once per transaction, however many messages it queues.

    A message whose request is lost (its savepoint rolled back while an outer one
    committed) is still sent: ``deliver_due`` sends what is queued on every tick.
    """
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        func is _deliver_soon for _, func, *_ in connection.run_on_commit
    ):
        return
    transaction.on_commit(_deliver_soon)


def _deliver_soon() -> None:
    from officeline.notifications.tasks import deliver_outbox

    deliver_outbox()


def deliver_pending(limit: int = 100) -> int:
    """Send queued emails (oldest first); each is taken under a row lock so no two workers send it."""
    sent = 0
    ids = list(
        OutboxMessage.objects.filter(status=OutboxStatus.QUEUED, channel=Channel.EMAIL)
        .order_by("queued_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    for message_id in ids:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=message_id, status=OutboxStatus.QUEUED)
                .first()
            )
            if message is None:
                continue
            withheld = _withheld_because(message)
            if withheld:
                message.status = OutboxStatus.WITHHELD
                message.last_error = withheld[:2000]
                message.save(update_fields=["status", "last_error"])
                continue
            message.attempts += 1
            try:
                _send(message)
            except Exception as exc:  # the mail server's fault, not ours: retry later
                log.warning(
                    "email %s not sent (attempt %s): %s",
                    message.pk,
                    message.attempts,
                    type(exc).__name__,
                )
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                if message.attempts >= MAX_ATTEMPTS:
                    message.status = OutboxStatus.FAILED
            else:
                message.status = OutboxStatus.SENT
                message.sent_at = clock.now()
                sent += 1
            message.save(update_fields=["attempts", "last_error", "status", "sent_at"])
    return sent


def deliver_due(now: Any) -> int:
    """Tick handler: send whatever is still queued (after a mail server outage, say)."""
    return deliver_pending()


def _send(message: OutboxMessage) -> None:
    email = EmailMultiAlternatives(
        subject=message.subject, body=message.body_text, to=[message.to], headers=message.headers
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments.all():
        email.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
    email.send()
