from __future__ import annotations

from django.conf import settings
from django.db import models

from officeline.events.labels import label_for


class Event(models.Model):
    """One domain action: who did what to which thing, when, with before/after.

    Written by every domain function in the same transaction as the change it
    records. Timelines (CMP-14), the staff access log (PRIV-10) and the audit
    trail are views of this table.
    """

    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who, as text: kept when the user is gone, and names the system ("tick") when no one acted.
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=100, db_index=True)
    customer = models.ForeignKey(
        "accounts.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    subject_type = models.CharField(max_length=100, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Shown to the customer in the portal's timeline (CMP-14 "the customer's part").
    customer_visible = models.BooleanField(default=False)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["customer", "occurred_at"]),
            models.Index(fields=["subject_type", "subject_id", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    @property
    def label(self) -> str:
        """What a person reads for this action, in the active language (``labels.py``)."""
        return label_for(self.action)
