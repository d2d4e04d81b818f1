from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from officeline.lines.choices import (
    DeviceKind,
    LineStatus,
    LocationChange,
    MaintenanceStatus,
    NumberChangeStatus,
    NumberStatus,
    PortDirection,
    PortState,
    ReplacementStatus,
    SuspensionGround,
)
from officeline.markets.choices import MarketCode


class Number(models.Model):
    """A phone number of a building's pool, in E.164."""

    e164 = models.CharField(max_length=16, unique=True)
    market = models.CharField(max_length=2, choices=MarketCode.choices)
    building = models.ForeignKey(
        "accounts.Building", on_delete=models.PROTECT, related_name="numbers"
    )
    status = models.CharField(
        max_length=12, choices=NumberStatus.choices, default=NumberStatus.AVAILABLE
    )
    # LINE-3: a number of a terminated line is reusable only after its quarantine.
    quarantined_until = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return self.e164


class Line(models.Model):
    """LINE-1: a customer's line: a number, devices with SIP credentials, an emergency location."""

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.PROTECT, related_name="lines"
    )
    number = models.ForeignKey(Number, on_delete=models.PROTECT, related_name="lines")
    status = models.CharField(
        max_length=12, choices=LineStatus.choices, default=LineStatus.REQUESTED
    )
    suspension_ground = models.CharField(
        max_length=20, choices=SuspensionGround.choices, blank=True
    )
    activation_requested_at = models.DateTimeField()
    activated_at = models.DateTimeField(null=True, blank=True)
    terminated_at = models.DateTimeField(null=True, blank=True)
    # EMG-1: the registered emergency location (the building's address); EMG-2: its confirmation.
    emergency_location = models.TextField(_("emergency location"), blank=True)
    location_confirmed_at = models.DateTimeField(null=True, blank=True)
    # EMG-2: set when a number is added, changed or ported; cleared by the customer's confirmation.
    location_unconfirmed_since = models.DateTimeField(null=True, blank=True, db_index=True)
    location_unconfirmed_reason = models.CharField(
        max_length=20, choices=LocationChange.choices, blank=True
    )
    # EMG-5: the customer's acknowledgement of the limitations of emergency calls.
    emergency_limitations_acknowledged_at = models.DateTimeField(null=True, blank=True)
    emergency_limitations_acknowledged_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # EMG-4: emergency calls are not provided outside the market's country.
    in_use_abroad = models.BooleanField(default=False)
    # Call barring (``lines.services.barring``): premium-rate and international numbers (satellite
    # networks included) are barred until the Office Manager opts the line in.
    premium_calls_allowed = models.BooleanField(_("premium-rate calls allowed"), default=False)
    international_calls_allowed = models.BooleanField(
        _("international calls allowed"), default=False
    )
    # Set while the line, or its customer, has spent its market's limit in the current
    # month: its external calls are refused until the month ends (``lines.services.barring``).
    spend_limit_reached_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=~models.Q(status=LineStatus.TERMINATED),
                name="one_live_line_per_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.status})"


class Device(models.Model):
    """A device of a line, with its own SIP credentials stored only as digest hashes (ACC-6).

    ``ha1`` = MD5(username:realm:password) and ``ha1b`` = MD5(username@realm:realm:password),
    what Kamailio's digest authentication needs; the password itself is shown once.
    """

    line = models.ForeignKey(Line, on_delete=models.CASCADE, related_name="devices")
    kind = models.CharField(max_length=20, choices=DeviceKind.choices)
    label = models.CharField(max_length=100, blank=True)
    sip_username = models.CharField(max_length=64, unique=True)
    sip_domain = models.CharField(max_length=128)
    ha1 = models.CharField(max_length=32)
    ha1b = models.CharField(max_length=32)
    created_at = models.DateTimeField()
    # LINE-4: a theft or fraud report blocks the device at once.
    blocked_at = models.DateTimeField(null=True, blank=True)
    blocked_reason = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.sip_username

    @property
    def may_register(self) -> bool:
        """What the SIP core's device view holds: not blocked, on an active or suspended line."""
        return self.blocked_at is None and self.line.status in (
            LineStatus.ACTIVE,
            LineStatus.SUSPENDED,
        )


class PortRequest(models.Model):
    """PORT-1: a port-in or port-out of one number, with its state and due date.

    The due date is the date by which the port must be complete: the agreed
    port date plus the market's allowance of business days (default 1), computed
    and stored when the date is agreed. A port completed after it gives a right to
    compensation (PORT-2, billing).
    """

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.PROTECT, related_name="port_requests"
    )
    direction = models.CharField(max_length=3, choices=PortDirection.choices)
    e164 = models.CharField(_("number"), max_length=16)
    # Port-in: the building whose pool the number joins; port-out: the line it leaves.
    building = models.ForeignKey(
        "accounts.Building", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    line = models.ForeignKey(
        Line, on_delete=models.PROTECT, null=True, blank=True, related_name="port_requests"
    )
    other_provider = models.CharField(_("other provider"), max_length=200)
    other_account_reference = models.CharField(
        _("account reference at the other provider"), max_length=100, blank=True
    )
    state = models.CharField(max_length=10, choices=PortState.choices, default=PortState.REQUESTED)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # PORT-3: the customer was told, before asking, that porting may not be possible.
    warning_acknowledged_at = models.DateTimeField()
    agreed_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True, db_index=True)
    completed_on = models.DateField(null=True, blank=True)
    closed_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["e164"],
                condition=models.Q(state__in=["requested", "agreed"]),
                name="one_open_port_per_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.e164} ({self.state})"

    @property
    def days_late(self) -> int:
        """Calendar days between the due date and the completion (0 when in time or not done)."""
        if self.due_date is None or self.completed_on is None:
            return 0
        return max(0, (self.completed_on - self.due_date).days)


class NumberChange(models.Model):
    """LINE-2: the operator changes a number it assigned. The customer is emailed a notice
    in their language; the change is made when the notice period ends (``effective_at``,
    stored when the change is scheduled); the old number is then quarantined (LINE-3) and
    the line's location awaits the customer's confirmation (EMG-2)."""

    line = models.ForeignKey(Line, on_delete=models.PROTECT, related_name="number_changes")
    old_number = models.ForeignKey(Number, on_delete=models.PROTECT, related_name="+")
    new_number = models.ForeignKey(Number, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    status = models.CharField(
        max_length=12, choices=NumberChangeStatus.choices, default=NumberChangeStatus.SCHEDULED
    )
    noticed_at = models.DateTimeField()
    effective_at = models.DateTimeField(db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["line"],
                condition=models.Q(status="scheduled"),
                name="one_scheduled_number_change_per_line",
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_number} -> {self.new_number} ({self.status})"


class ReplacementRequest(models.Model):
    """LINE-5: a defective device supplied by the operator, replaced at no cost; tracked from
    the request to the shipment and to the customer's working replacement."""

    line = models.ForeignKey(Line, on_delete=models.PROTECT, related_name="replacements")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="replacements")
    description = models.TextField()
    status = models.CharField(
        max_length=12, choices=ReplacementStatus.choices, default=ReplacementStatus.REQUESTED
    )
    requested_at = models.DateTimeField(db_index=True)
    requested_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shipped_at = models.DateTimeField(null=True, blank=True)
    shipment_reference = models.CharField(max_length=100, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.device} ({self.status})"


class Maintenance(models.Model):
    """LIFE-6: planned maintenance of the network in some buildings of a market, or in all of
    them, announced to the customers with a live line there (``lines.services.maintenance``).

    The window is stored in UTC and shown in the market's time zone. ``urgent_reason`` says
    why the customers could not be told the market's notice ahead (empty when they were).
    """

    market = models.CharField(_("market"), max_length=2, choices=MarketCode.choices)
    description_en = models.TextField(_("what is done (English)"))
    description_fr = models.TextField(_("what is done (French)"))
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"), db_index=True)
    whole_market = models.BooleanField(_("every building of the market"), default=False)
    buildings = models.ManyToManyField(
        "accounts.Building", blank=True, related_name="maintenances", verbose_name=_("buildings")
    )
    urgent_reason = models.CharField(
        _("why more notice was not feasible"), max_length=500, blank=True
    )
    status = models.CharField(
        max_length=12, choices=MaintenanceStatus.choices, default=MaintenanceStatus.SCHEDULED
    )
    scheduled_at = models.DateTimeField()
    scheduled_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The last notice sent (the announcement, an update or the cancellation).
    noticed_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.market} {self.starts_at:%Y-%m-%d %H:%M} ({self.status})"

    def description(self, language: str) -> str:
        return self.description_fr if language == "fr" else self.description_en
