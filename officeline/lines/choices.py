from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NumberStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    ASSIGNED = "assigned", _("Assigned")
    QUARANTINED = "quarantined", _("Quarantined")
    # The number left for another provider (a port-out): it is no longer ours to give.
    PORTED_OUT = "ported_out", _("Ported out")


class LineStatus(models.TextChoices):
    # In the line's context: French agrees "active", "suspendue" with "la ligne".
    REQUESTED = "requested", pgettext_lazy("line", "Requested")
    ACTIVE = "active", pgettext_lazy("line", "Active")
    SUSPENDED = "suspended", pgettext_lazy("line", "Suspended")
    TERMINATED = "terminated", pgettext_lazy("line", "Terminated")


class SuspensionGround(models.TextChoices):
    """LIFE-1: every suspension records one of these grounds."""

    BREACH = "breach", _("Breach of the terms")
    ABUSE_OF_STAFF = "abuse_of_staff", _("Abuse of staff")
    UNLAWFUL_USE = "unlawful_use", _("Unlawful use")
    LEGAL_ORDER = "legal_order", _("Legal order")
    SECURITY_RISK = "security_risk", _("Security risk")
    PROTECTION = "protection", _("Protection of the network or other customers")
    NON_PAYMENT = "non_payment", _("Non-payment")


class DeviceKind(models.TextChoices):
    DESK_PHONE = "desk_phone", _("Desk phone")
    SOFTPHONE = "softphone", _("Softphone")
    COMPANION_APP = "companion_app", _("Companion app")


class PortDirection(models.TextChoices):
    IN = "in", _("Port in (a number comes to us)")
    OUT = "out", _("Port out (a number leaves us)")


class PortState(models.TextChoices):
    """PORT-1: where a port stands; a port is due by a date once the other provider agrees one."""

    REQUESTED = "requested", _("Requested")
    AGREED = "agreed", _("Date agreed")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class LocationChange(models.TextChoices):
    """EMG-2: why a line's emergency location waits for the customer's confirmation."""

    NUMBER_ADDED = "number_added", _("A number was added")
    NUMBER_CHANGED = "number_changed", _("The number was changed")
    NUMBER_PORTED = "number_ported", _("A number was ported in")


class TheftOrFraud(models.TextChoices):
    """LINE-4: what the customer reports when a device is blocked."""

    STOLEN = "stolen", _("The device was stolen")
    FRAUD = "fraud", _("Fraud or use we did not allow")


class NumberChangeStatus(models.TextChoices):
    """LINE-2: an operator-initiated number change, noticed first, made when the notice ends."""

    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ReplacementStatus(models.TextChoices):
    """LINE-5: a defective device supplied by the operator, replaced at no cost."""

    REQUESTED = "requested", _("Requested")
    SHIPPED = "shipped", _("Shipped")
    DONE = "done", _("Done")


class MaintenanceStatus(models.TextChoices):
    """LIFE-6: a planned maintenance window, announced to the customers it affects."""

    SCHEDULED = "scheduled", pgettext_lazy("maintenance", "Scheduled")
    CANCELLED = "cancelled", pgettext_lazy("maintenance", "Cancelled")
