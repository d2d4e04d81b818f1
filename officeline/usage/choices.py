from django.db import models
from django.utils.translation import gettext_lazy as _


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
