"""The carrier's report of third-party charges billed to our numbers (BILL-10), behind an adapter.

A carrier tells us what third parties (premium-rate services, directory
enquiries, and the like) billed to each of our numbers. The adapter gives the
charges not fetched yet and is told which were recorded. The sandbox (demo and
tests) keeps the carrier's side in a table; a real carrier's feed is written
against ``CarrierChargeFeed`` and named by the setting
``CARRIER_CHARGES_FEED`` (``"sandbox"`` when unset).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

from officeline import clock
from officeline.billing.sandbox_models import SandboxCarrierCharge


@dataclass(frozen=True)
class ReportedCharge:
    """One charge as the carrier reports it."""

    reference: str
    phone_number: str
    service: str
    description: str
    occurred_at: dt.datetime
    amount_minor: int
    currency: str


class CarrierChargeFeed(Protocol):
    name: str

    def pending(self, *, limit: int) -> list[ReportedCharge]:
        """Charges not acknowledged yet, oldest first."""

    def acknowledge(self, references: list[str]) -> None:
        """These charges are recorded on our side: do not report them again."""


class SandboxCarrierFeed:
    """The sandbox carrier: ``report`` stands for the carrier billing a number."""

    name = "sandbox"

    def report(
        self,
        *,
        reference: str,
        phone_number: str,
        service: str,
        amount_minor: int,
        currency: str,
        occurred_at: dt.datetime,
        description: str = "",
    ) -> SandboxCarrierCharge:
        return SandboxCarrierCharge.objects.create(
            reference=reference,
            phone_number=phone_number,
            service=service,
            description=description,
            occurred_at=occurred_at,
            amount_minor=amount_minor,
            currency=currency,
        )

    def pending(self, *, limit: int) -> list[ReportedCharge]:
        rows = SandboxCarrierCharge.objects.filter(collected_at__isnull=True).order_by(
            "occurred_at", "pk"
        )[:limit]
        return [
            ReportedCharge(
                reference=row.reference,
                phone_number=row.phone_number,
                service=row.service,
                description=row.description,
                occurred_at=row.occurred_at,
                amount_minor=row.amount_minor,
                currency=row.currency,
            )
            for row in rows
        ]

    def acknowledge(self, references: list[str]) -> None:
        SandboxCarrierCharge.objects.filter(reference__in=references).update(
            collected_at=clock.now()
        )


FEEDS: dict[str, type[SandboxCarrierFeed]] = {"sandbox": SandboxCarrierFeed}


def get_feed() -> CarrierChargeFeed:
    name = getattr(settings, "CARRIER_CHARGES_FEED", "sandbox")
    try:
        return FEEDS[name]()
    except KeyError:
        raise ValueError(f"CARRIER_CHARGES_FEED: no carrier feed named {name!r}") from None
