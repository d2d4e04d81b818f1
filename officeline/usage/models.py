from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from officeline.usage.choices import DestinationType, Direction, Disposition


class CallRecord(models.Model):
    """A call detail record: every call attempt, answered or not (PRIV-2 traffic data).

    Folded from the call events Kamailio's routing writes (``telephony.CallEvent``) by
    ``usage.services.record_calls``; every time in it is Kamailio's time of the SIP
    message (the INVITE, the 2xx, the final answer, the BYE), never the web's clock.
    """

    call_id = models.CharField(max_length=255, unique=True)
    customer = models.ForeignKey(
        "accounts.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="call_records",
    )
    line = models.ForeignKey(
        "lines.Line", null=True, blank=True, on_delete=models.PROTECT, related_name="call_records"
    )
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    from_number = models.CharField(_("from"), max_length=32)
    to_number = models.CharField(_("to"), max_length=64)
    destination_type = models.CharField(
        _("destination"), max_length=16, choices=DestinationType.choices
    )
    started_at = models.DateTimeField(_("started"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), default=0)
    disposition = models.CharField(
        _("outcome"), max_length=12, choices=Disposition.choices, blank=True
    )
    sip_code = models.PositiveSmallIntegerField(_("SIP code"), null=True, blank=True)
    sip_reason = models.CharField(max_length=128, blank=True)

    class Meta:
        indexes = [
            # The customer's list of calls, newest first.
            models.Index(fields=["customer", "-started_at"], name="callrecord_customer_started"),
            # Retention (PRIV-8) deletes by the end of the call.
            models.Index(fields=["ended_at"], name="callrecord_ended"),
            # ... and a call whose end never arrived by its start.
            models.Index(
                fields=["started_at"],
                condition=models.Q(ended_at__isnull=True),
                name="callrecord_unended_started",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_number} -> {self.to_number} ({self.disposition or 'in progress'})"
