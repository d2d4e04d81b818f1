"""The payment-provider adapter: what billing and sign-up may ask of a provider."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.db import models


class ChargeOutcome(models.TextChoices):
    SUCCEEDED = "succeeded", "Succeeded"
    DECLINED = "declined", "Declined"
    EXPIRED_CARD = "expired_card", "Card expired"
    # BILL-7: the customer stopped the payment at their bank.
    STOPPED_BY_BANK = "stopped_by_bank", "Stopped at the bank"


@dataclass(frozen=True)
class CardDetails:
    """What we may keep of a card (ACC-3): the provider's token and what is printed on a receipt."""

    token: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int


@dataclass(frozen=True)
class ChargeResult:
    outcome: ChargeOutcome
    provider_reference: str
    message: str = ""

    @property
    def succeeded(self) -> bool:
        return self.outcome == ChargeOutcome.SUCCEEDED


class RefundOutcome(models.TextChoices):
    SUCCEEDED = "succeeded", "Succeeded"
    # The provider refused it (the charge is already refunded, say); nothing was paid back.
    FAILED = "failed", "Failed"


@dataclass(frozen=True)
class RefundResult:
    outcome: RefundOutcome
    provider_reference: str
    message: str = ""

    @property
    def succeeded(self) -> bool:
        return self.outcome == RefundOutcome.SUCCEEDED


class PaymentProviderError(RuntimeError):
    """The provider could not be reached or answered nonsense; the charge may be retried."""


class PaymentProvider(Protocol):
    name: str

    def charge(
        self,
        *,
        token: str,
        amount_minor: int,
        currency: str,
        idempotency_key: str,
        description: str,
    ) -> ChargeResult:
        """Charge a stored card off-session; the same idempotency key never charges twice."""
        ...

    def refund(
        self,
        *,
        charge_reference: str,
        amount_minor: int,
        currency: str,
        idempotency_key: str,
        description: str,
    ) -> RefundResult:
        """Pay back part or all of a charge to its card; the same idempotency key never refunds
        twice, and the provider never refunds more than the charge less its earlier refunds."""
        ...

    def card_details(self, token: str) -> CardDetails:
        """The current details of a stored card (after a card-updater change, say)."""
        ...
