"""Payment providers behind one adapter: the sandbox (demo and tests) and Stripe.

Our tables hold only the provider's token, the brand, the last four digits and
the expiry of a card (ACC-3). Every charge and every refund carries an idempotency key, so
a retried run never charges or refunds twice. The provider in use comes from
``providers.get_provider``.
"""

from __future__ import annotations

from officeline.billing.payments.base import (
    CardDetails,
    ChargeOutcome,
    ChargeResult,
    PaymentProvider,
    PaymentProviderError,
    RefundOutcome,
    RefundResult,
)

__all__ = [
    "CardDetails",
    "ChargeOutcome",
    "ChargeResult",
    "PaymentProvider",
    "PaymentProviderError",
    "RefundOutcome",
    "RefundResult",
]
