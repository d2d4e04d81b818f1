from django.db import models


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    # Taken by a worker, which sends it outside any transaction and then records the result.
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    # A marketing message whose recipient withdrew consent before it left (PRIV-4).
    WITHHELD = "withheld", "Withheld"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
