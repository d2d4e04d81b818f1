"""Billing's refusals: each a ``BillingError`` with a stable snake_case code."""

from __future__ import annotations

from officeline.errors import DomainError


class BillingError(DomainError):
    """A billing rule refused what was asked."""

    default_code = "billing_refused"
