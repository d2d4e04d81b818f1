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


def voicemail_upload_to(instance: Voicemail, filename: str) -> str:
    """Audio files under the media root, by line and month; the name carries no personal data."""
    received = instance.received_at
    return f"voicemail/{instance.line_id}/{received:%Y/%m}/{filename}"


class Voicemail(models.Model):
    """A message left on a line (PRIV-3: kept within the market's limits; PRIV-11: confidential).

    The audio is a WAV file in Django's storage under the media root, never in the
    database; deleting a message deletes its file (``usage.voicemail``).
    """

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.PROTECT, related_name="voicemails"
    )
    line = models.ForeignKey("lines.Line", on_delete=models.PROTECT, related_name="voicemails")
    # The SIP Call-ID of the call that left it: one message per call, written once.
    call_id = models.CharField(max_length=255, unique=True)
    caller = models.CharField(_("caller"), max_length=64)
    received_at = models.DateTimeField(_("received"))
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"))
    audio = models.FileField(upload_to=voicemail_upload_to, max_length=255)
    listened_at = models.DateTimeField(_("listened to"), null=True, blank=True)

    class Meta:
        indexes = [
            # A line's messages, newest first (the portal, and the limit on how many, PRIV-3).
            models.Index(fields=["line", "-received_at"], name="voicemail_line_received"),
            # How long they are kept (PRIV-3) reads the oldest first.
            models.Index(fields=["received_at"], name="voicemail_received"),
            models.Index(fields=["customer", "-received_at"], name="voicemail_customer_received"),
        ]

    def __str__(self) -> str:
        return f"voicemail {self.pk} on line {self.line_id}"

    @property
    def listened(self) -> bool:
        return self.listened_at is not None
