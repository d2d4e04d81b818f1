from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    AGENT = "agent", _("Support agent")
    SUPERVISOR = "supervisor", _("Supervisor")
    DIRECTOR = "director", _("Director of Customer Service")
    BILLING = "billing", _("Billing")
    DPO = "dpo", _("Data protection officer")
    ENGINEER = "engineer", _("Network engineer")


class CustomerRole(models.TextChoices):
    OFFICE_MANAGER = "office_manager", _("Office Manager")
    MEMBER = "member", _("Member")


class AccessKind(models.TextChoices):
    """PRIV-10: what kind of a customer's data a staff member looked at."""

    PERSONAL_DATA = "personal_data", _("Personal data")
    TRAFFIC_DATA = "traffic_data", _("Traffic data")
    TICKETS = "tickets", _("Tickets and complaints")
    COMMUNICATIONS = "communications", _("Communications (voicemail, fax)")


# PRIV-11: looking at these needs a stated reason, logged with the access.
REASON_REQUIRED = frozenset({AccessKind.COMMUNICATIONS})


class PreferredFormat(models.TextChoices):
    """INFO-3: how the customer wants written replies."""

    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")
    LARGE_PRINT = "large_print", _("Large-print letter")
    OTHER = "other", _("Other (tell us how)")


class CustomerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATION_PENDING = "termination_pending", _("Termination pending")
    TERMINATED = "terminated", _("Terminated")


# PRIV-8 (D): how long a former staff member's name and email are kept after the day they
# left: the longest limitation period of the markets (uk 6 years, Limitation Act 1980 s.5).
# The register of processing publishes it (``privacy.register``, entry ``former_staff``).
FORMER_STAFF_KEPT_MONTHS = 72
