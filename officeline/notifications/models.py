from __future__ import annotations

from django.db import models

from officeline.notifications.choices import Channel, OutboxStatus


class OutboxMessage(models.Model):
    """A message to send, written in the transaction of the action that caused it.

    The worker delivers queued messages (``notifications.deliver`` tick handler);
    the outbox page shows what was sent in a demo deployment.
    """

    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    customer = models.ForeignKey(
        "accounts.Customer",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
    )
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=300, blank=True)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # A short name of what this is ("support.ticket_receipt"), for tests and the outbox page.
    kind = models.CharField(max_length=100, db_index=True)
    marketing = models.BooleanField(default=False)
    language = models.CharField(max_length=5, default="en")
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED
    )
    queued_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When a worker took it to send (status "sending"); an old claim is a worker that died.
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "queued_at"])]
        ordering = ["-queued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to}"


class OutboxAttachment(models.Model):
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, default="application/pdf")
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.filename
