from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Direction(models.TextChoices):
    OUTBOUND = "outbound", _("Outgoing")
    INBOUND = "inbound", _("Incoming")


class DestinationType(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    NATIONAL = "national", _("National")
    MOBILE = "mobile", _("Mobile")
    INTERNATIONAL = "international", _("International")
    EMERGENCY = "emergency", _("Emergency")
    UNKNOWN = "unknown", _("Not a valid number")


class Disposition(models.TextChoices):
    IN_PROGRESS = "", _("In progress")
    ANSWERED = "answered", _("Answered")
    VOICEMAIL = "voicemail", _("Voicemail")  # answered by voicemail, for the line
    BUSY = "busy", _("Busy")
    NO_ANSWER = "no_answer", _("No answer")
    FAILED = "failed", _("Failed")
    REFUSED = "refused", _("Refused")


# PRIV-3: the call log's limits when the operator sets none for a market (``calllog.py``).
CALL_LOG_DEFAULT_MONTHS = 3
CALL_LOG_DEFAULT_MAX_ENTRIES = 1000

# PRIV-3: the voicemail limits when the operator sets none for a market (``voicemail.py``).
VOICEMAIL_DEFAULT_DAYS = 30
VOICEMAIL_DEFAULT_MAX_MESSAGES = 100


class UseSignal(models.TextChoices):
    """What the acceptable-use review saw (``acceptable_use.py`` decides each, naming its rule)."""

    # AUP-1: signals of abnormal use.
    SHORT_CALLS = "short_calls", _("Many very short calls (no continuous conversation)")
    CALLS_PER_DAY = "calls_per_day", _("Excessive calls in a day")
    DESTINATIONS = "destinations", _("Excessive distinct destinations in the service period")
    MINUTES = "minutes", _("Excessive minutes in the service period")
    BARRED_ATTEMPTS = (
        "barred_attempts",
        _("Repeated calls to barred numbers or over the call limits (a sign of toll fraud)"),
    )
    # AUP-3: prohibited uses that show in call records.
    AUTO_DIALLING = "auto_dialling", _("Auto-dialling or predictive dialling")
    TRUNKING = "trunking", _("Trunking or continuous conferencing")


class CaseKind(models.TextChoices):
    ABNORMAL_USE = "abnormal_use", _("Abnormal use (AUP-1)")
    PROHIBITED_USE = "prohibited_use", _("Prohibited use (AUP-3)")


class CaseStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("review case", "Open")
    FOR_DECISION = "for_decision", _("For decision")
    MOVED = "moved", _("Moved to the commercial plan")
    REMEDIED = "remedied", _("Closed as remedied")


# The statuses of a case still under review: one such case per line at a time (AUP-2).
OPEN_CASE_STATUSES = (CaseStatus.OPEN, CaseStatus.FOR_DECISION)
