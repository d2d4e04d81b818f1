from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from officeline.markets.choices import MarketCode
from officeline.usage.choices import (
    OPEN_CASE_STATUSES,
    CaseKind,
    CaseStatus,
    DestinationType,
    Direction,
    Disposition,
)


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
            # The daily acceptable-use review reads one day of calls (AUP-1, AUP-3) ...
            models.Index(fields=["started_at"], name="callrecord_started"),
            # ... and one line's calls over a few days (AUP-2: back to normal?).
            models.Index(fields=["line", "started_at"], name="callrecord_line_started"),
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
    database; deleting a message deletes its file (``usage.services.voicemail``).
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


class UseReviewRun(models.Model):
    """AUP-1, AUP-3: the last local day of a market whose calls the daily review has costed.

    The review costs each day once: the next run starts the day after this one.
    """

    market = models.CharField(max_length=2, choices=MarketCode.choices, unique=True)
    reviewed_through = models.DateField()
    ran_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.market}: reviewed through {self.reviewed_through}"


class LinePeriodUsage(models.Model):
    """What a line called in one monthly service period so far (AUP-1), added day by day by the
    review, so that a day's run reads that day's calls only."""

    line = models.ForeignKey("lines.Line", on_delete=models.CASCADE, related_name="period_usage")
    period_start = models.DateField()
    period_ends_before = models.DateField()
    answered_calls = models.PositiveIntegerField(default=0)
    short_calls = models.PositiveIntegerField(default=0)
    seconds = models.PositiveBigIntegerField(default=0)
    # The sum of each day's distinct destinations: the period's own count is never above it,
    # so the period's numbers are only counted when this reaches the threshold.
    destinations_bound = models.PositiveIntegerField(default=0)
    # The period signals already raised, so that a period raises each one once.
    signalled = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["line", "period_start"], name="line_period_usage_unique"
            )
        ]

    def __str__(self) -> str:
        return f"line {self.line_id} from {self.period_start}"


class UseReviewCase(models.Model):
    """AUP-2: a review of a line's use, opened by a signal of abnormal use (AUP-1) or a
    prohibited-use pattern (AUP-3), with the evidence, the customer's written answer and
    the deadline; one case under review per line at a time."""

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.PROTECT, related_name="use_review_cases"
    )
    line = models.ForeignKey("lines.Line", on_delete=models.PROTECT, related_name="use_reviews")
    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    # Each signal: its code, rule, value, threshold, and the days it covers.
    signals = models.JSONField(default=list)
    # A sample of the calls behind the signals (when, to which number, how long, outcome).
    sample_calls = models.JSONField(default=list)
    # The period of abnormal use the evidence covers, in the market's calendar (AUP-4).
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    opened_at = models.DateTimeField(_("opened"))
    respond_by = models.DateTimeField(_("respond by"))
    response = models.TextField(_("response"), blank=True)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    responded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    for_decision_at = models.DateTimeField(_("for decision since"), null=True, blank=True)
    decision_reason = models.CharField(max_length=300, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closing_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["line"],
                condition=models.Q(status__in=OPEN_CASE_STATUSES),
                name="use_review_one_open_case_per_line",
            )
        ]
        indexes = [
            # Tick takes the open cases whose deadline has passed; the console lists by deadline.
            models.Index(fields=["status", "respond_by"], name="use_review_status_deadline"),
            models.Index(fields=["customer", "-opened_at"], name="use_review_customer_opened"),
        ]

    def __str__(self) -> str:
        return f"use review {self.pk} of line {self.line_id} ({self.status})"

    @property
    def under_review(self) -> bool:
        return self.status in OPEN_CASE_STATUSES
