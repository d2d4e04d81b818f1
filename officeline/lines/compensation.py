"""PORT-2: what the ports pages and the API show and do about the compensation for a late port.

The compensation is money, so it is billing's (``billing.porting``), and billing sits above
lines: lines never imports it. Billing registers its implementation in its
``AppConfig.ready()`` (``compensation.register(...)``); the portal's and the console's ports
pages and the API reach it through ``compensations()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from officeline.actors import Actor
from officeline.lines.models import PortRequest


@dataclass(frozen=True)
class Compensation:
    """A claim for a port completed after its due date, as the pages and the API show it."""

    port_id: int
    e164: str
    customer_name: str
    claim: str
    claimed_at: dt.datetime
    days_late: int
    monthly_fee_minor: int
    amount_minor: int
    currency: str
    # The amount as people read it, in the language of the page ("£4.93", "5,75 €").
    amount: str
    paid_at: dt.datetime | None
    payment_reference: str


class Compensations(Protocol):
    def of_ports(self, port_ids: Iterable[int]) -> dict[int, Compensation]:
        """The compensation claimed for each of these ports that has one, by port id."""

    def unpaid(self) -> list[Compensation]:
        """The compensations claimed and not yet paid."""

    def claim(self, *, port: PortRequest, claim: str, actor: Actor) -> Compensation:
        """Record a customer's written claim for a late port, with the amount owed."""

    def pay(self, *, port: PortRequest, reference: str, actor: Actor) -> Compensation:
        """Record the payment of the port's compensation, which settles its delay."""


_registered: list[Compensations] = []


def register(provider: Compensations) -> None:
    """The app that owns the compensation of late ports offers it (once, at start-up)."""
    _registered[:] = [provider]


def compensations() -> Compensations:
    if not _registered:
        raise ImproperlyConfigured("No app registered the compensation of late ports (PORT-2).")
    return _registered[0]
