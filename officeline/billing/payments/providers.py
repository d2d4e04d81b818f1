"""Choosing the payment provider: the one place that knows every implementation.

``base`` holds the types every provider shares and imports none of them; the sandbox and
Stripe build on ``base``; this module sits above them all.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from officeline.billing.payments.base import PaymentProvider
from officeline.billing.payments.sandbox import SandboxProvider
from officeline.billing.payments.stripe import StripeProvider

PROVIDERS: dict[str, Callable[[], PaymentProvider]] = {
    "sandbox": SandboxProvider,
    "stripe": StripeProvider,
}


def get_provider(name: str | None = None) -> PaymentProvider:
    """The configured provider (``OFFICELINE_PAYMENT_PROVIDER``, default the sandbox)."""
    name = name or getattr(settings, "PAYMENT_PROVIDER", "sandbox")
    if name not in PROVIDERS:
        raise ValueError(f"unknown payment provider {name!r}: expected sandbox or stripe")
    return PROVIDERS[name]()
