"""The sandbox providers' own records: what a real provider keeps on its side.

The cards, charges and refunds stand for the card network's state (our own billing
tables refer to cards by token only); the carrier charges for what the carrier
reports as billed to our numbers by third parties (BILL-10).
"""

from __future__ import annotations

from django.db import models


class SandboxCard(models.Model):
    token = models.CharField(max_length=64, unique=True)
    behaviour = models.CharField(max_length=20)
    brand = models.CharField(max_length=20)
    last4 = models.CharField(max_length=4)
    exp_month = models.PositiveSmallIntegerField()
    exp_year = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"sandbox card {self.last4}"


class SandboxCharge(models.Model):
    idempotency_key = models.CharField(max_length=200, unique=True)
    token = models.CharField(max_length=64)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    outcome = models.CharField(max_length=20)
    message = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=64, unique=True)
    description = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.reference


class SandboxRefund(models.Model):
    """A refund of a sandbox charge, kept by its idempotency key as a provider would."""

    idempotency_key = models.CharField(max_length=200, unique=True)
    charge = models.ForeignKey(SandboxCharge, on_delete=models.PROTECT, related_name="refunds")
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    outcome = models.CharField(max_length=20)
    message = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=64, unique=True)
    description = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.reference


class SandboxCarrierCharge(models.Model):
    """A third-party charge the sandbox carrier reports (BILL-10): the carrier's side."""

    reference = models.CharField(max_length=100, unique=True)
    phone_number = models.CharField(max_length=20)
    service = models.CharField(max_length=100)
    description = models.CharField(max_length=200, blank=True)
    occurred_at = models.DateTimeField()
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    # When our side fetched it; the carrier reports each charge until it is fetched.
    collected_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.reference
