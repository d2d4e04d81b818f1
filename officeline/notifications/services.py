"""Queueing messages. Every email a customer gets goes through ``queue_email``.

The message is rendered now, in the recipient's language, and written to the
outbox in the caller's transaction; it leaves after commit (a worker task, and
the ``notifications.deliver`` tick handler for anything left behind).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from officeline import clock
from officeline.notifications.choices import Channel
from officeline.notifications.models import OutboxAttachment, OutboxMessage
from officeline.notifications.tasks import deliver_outbox


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    content_type: str = "application/pdf"


def render_message(
    *, template: str, context: Mapping[str, Any], language: str
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
    subject, text, html = render_message(
        template=template, context={"language": language, **context}, language=language
    )
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
    deliver_outbox()
