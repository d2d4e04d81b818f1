"""The sandbox provider's own records: what a real provider keeps on its side.

They stand for the card network's state; our own billing tables refer to cards
by token only.
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
    fingerprint = models.CharField(max_length=16)

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
