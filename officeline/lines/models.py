from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from officeline.lines.choices import DeviceKind, LineStatus, NumberStatus, SuspensionGround
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
    # EMG-5: the customer's acknowledgement of the limitations of emergency calls.
    emergency_limitations_acknowledged_at = models.DateTimeField(null=True, blank=True)
    emergency_limitations_acknowledged_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # EMG-4: emergency calls are not provided outside the market's country.
    in_use_abroad = models.BooleanField(default=False)

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
