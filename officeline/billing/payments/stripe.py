"""Stripe as the payment provider: off-session PaymentIntents with idempotency keys (BILL-1).

A stored card is the token ``"<customer id>/<payment method id>"``: the Stripe
customer and the card saved on it when the customer entered it on Stripe's
page. Every charge is a PaymentIntent confirmed off-session, sent with the
charge's idempotency key, so a retried charge is never made twice. Declines
map to the adapter's outcomes: an expired card asks the customer for a new one
and a payment stopped at the bank ends the account (BILL-7).

A refund is a Refund of the charge's PaymentIntent, sent with the refund's
idempotency key; Stripe itself refuses to refund more than is left of the
charge.

At sign-up the card is entered on Stripe's own page (ACC-3): a Stripe customer
is created and a Checkout Session in ``setup`` mode sends the person to
Stripe; back from it, the completed session gives the saved payment method,
whose token, brand, last four digits and expiry are all we keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import stripe
from django.conf import settings

from officeline.billing.payments.base import (
    CardDetails,
    ChargeOutcome,
    ChargeResult,
    PaymentProviderError,
    RefundOutcome,
    RefundResult,
)

# A refund Stripe has accepted: "pending" is paid back to the card without anything more from us.
REFUND_ACCEPTED = {"succeeded", "pending"}

# Stripe's decline codes for a payment the cardholder stopped or whose authority they revoked.
STOPPED_AT_THE_BANK = {
    "stop_payment_order",
    "revocation_of_authorization",
    "revocation_of_all_authorizations",
}


def split_token(token: str) -> tuple[str, str]:
    """'cus_X/pm_Y' -> ('cus_X', 'pm_Y'); anything else is not a Stripe card of ours."""
    customer, _, method = token.partition("/")
    if not customer.startswith("cus_") or not method.startswith("pm_"):
        raise ValueError(f"not a Stripe card token: {token!r}")
    return customer, method


def outcome_of_decline(code: str | None, decline_code: str | None) -> ChargeOutcome:
    if code == "expired_card" or decline_code == "expired_card":
        return ChargeOutcome.EXPIRED_CARD
    if decline_code in STOPPED_AT_THE_BANK:
        return ChargeOutcome.STOPPED_BY_BANK
    return ChargeOutcome.DECLINED


@dataclass(frozen=True)
class CardSetup:
    """A Checkout Session in setup mode: its id, and Stripe's page to send the person to."""

    session_id: str
    url: str
    customer_id: str


class CardSetupIncomplete(ValueError):
    """The Checkout Session did not save a card (abandoned, expired, or not a setup session)."""


class StripeProvider:
    name = "stripe"

    def __init__(self, client: stripe.StripeClient | None = None) -> None:
        self.client = client or stripe.StripeClient(
            settings.STRIPE_SECRET_KEY,
            base_addresses={"api": settings.STRIPE_API_BASE},
            max_network_retries=0,
            # A Stripe that does not answer is given up after this long (the charge is then
            # tried again later with its idempotency key), never waited on for minutes.
            http_client=stripe.new_default_http_client(timeout=settings.PAYMENT_PROVIDER_TIMEOUT),
        )

    def charge(
        self,
        *,
        token: str,
        amount_minor: int,
        currency: str,
        idempotency_key: str,
        description: str,
    ) -> ChargeResult:
        if amount_minor <= 0:
            raise ValueError("a charge must be for a positive amount")
        customer, method = split_token(token)
        params: dict[str, Any] = {
            "amount": amount_minor,
            "currency": currency.lower(),
            "customer": customer,
            "payment_method": method,
            "off_session": True,
            "confirm": True,
            "description": description[:200],
        }
        try:
            intent = self.client.v1.payment_intents.create(
                params=params,  # type: ignore[arg-type]
                options={"idempotency_key": idempotency_key},
            )
        except stripe.CardError as exc:
            error: Any = exc.error
            intent_id = getattr(getattr(error, "payment_intent", None), "id", "") or ""
            return ChargeResult(
                outcome_of_decline(exc.code, getattr(error, "decline_code", None)),
                intent_id,
                (exc.user_message or "card declined")[:200],
            )
        except stripe.StripeError as exc:
            # Unreachable, rate-limited or failing: nothing is known; the same key is retried.
            raise PaymentProviderError(f"Stripe: {exc.__class__.__name__}") from exc
        if intent.status == "succeeded":
            return ChargeResult(ChargeOutcome.SUCCEEDED, intent.id)
        # requires_action (the bank wants the cardholder) or requires_payment_method.
        return ChargeResult(ChargeOutcome.DECLINED, intent.id, f"payment {intent.status}")

    def refund(
        self,
        *,
        charge_reference: str,
        amount_minor: int,
        currency: str,
        idempotency_key: str,
        description: str,
    ) -> RefundResult:
        if amount_minor <= 0:
            raise ValueError("a refund must be for a positive amount")
        if not charge_reference.startswith("pi_"):
            raise ValueError(f"not a Stripe PaymentIntent: {charge_reference!r}")
        params: dict[str, Any] = {
            "payment_intent": charge_reference,
            "amount": amount_minor,
            "reason": "requested_by_customer",
            "metadata": {"description": description[:200], "currency": currency.lower()},
        }
        try:
            refund = self.client.v1.refunds.create(
                params=params,  # type: ignore[arg-type]
                options={"idempotency_key": idempotency_key},
            )
        except stripe.InvalidRequestError as exc:
            # Refused for good (already refunded, more than is left): retrying cannot help.
            message = getattr(exc.error, "message", None) or exc.code or "refund refused"
            return RefundResult(RefundOutcome.FAILED, "", str(message)[:200])
        except stripe.StripeError as exc:
            raise PaymentProviderError(f"Stripe: {exc.__class__.__name__}") from exc
        if refund.status in REFUND_ACCEPTED:
            return RefundResult(RefundOutcome.SUCCEEDED, refund.id)
        reason = getattr(refund, "failure_reason", None) or refund.status
        return RefundResult(RefundOutcome.FAILED, refund.id, f"refund {reason}"[:200])

    def card_details(self, token: str) -> CardDetails:
        _, method = split_token(token)
        try:
            found = self.client.v1.payment_methods.retrieve(method)
        except stripe.StripeError as exc:
            raise PaymentProviderError(f"Stripe: {exc.__class__.__name__}") from exc
        card: Any = found.card
        return CardDetails(
            token=token,
            brand=str(card.brand),
            last4=str(card.last4),
            exp_month=int(card.exp_month),
            exp_year=int(card.exp_year),
        )

    def start_card_setup(
        self, *, email: str, name: str, success_url: str, cancel_url: str, customer_id: str = ""
    ) -> CardSetup:
        """ACC-3: a Checkout Session in setup mode, where the person enters the card on Stripe's
        page, for the Stripe customer ``customer_id`` (one is created when none is given).
        ``success_url`` gets the session id appended by Stripe."""
        separator = "&" if "?" in success_url else "?"
        try:
            if not customer_id:
                created = self.client.v1.customers.create(params={"email": email, "name": name})
                customer_id = created.id
            params: dict[str, Any] = {
                "mode": "setup",
                "customer": customer_id,
                "payment_method_types": ["card"],
                "success_url": f"{success_url}{separator}session_id={{CHECKOUT_SESSION_ID}}",
                "cancel_url": cancel_url,
            }
            session = self.client.v1.checkout.sessions.create(params=params)  # type: ignore[arg-type]
        except stripe.StripeError as exc:
            raise PaymentProviderError(f"Stripe: {exc.__class__.__name__}") from exc
        return CardSetup(session_id=session.id, url=str(session.url), customer_id=customer_id)

    def finish_card_setup(self, session_id: str, customer_id: str = "") -> CardDetails:
        """The card saved by a completed setup session: token ``cus_.../pm_...`` and what is
        printed on a receipt. Raises ``CardSetupIncomplete`` when no card was saved, or when
        the session is not for the Stripe customer ``customer_id`` (when given)."""
        try:
            session = self.client.v1.checkout.sessions.retrieve(
                session_id, params={"expand": ["setup_intent.payment_method"]}
            )
        except stripe.InvalidRequestError as exc:
            raise CardSetupIncomplete(f"unknown Checkout Session {session_id!r}") from exc
        except stripe.StripeError as exc:
            raise PaymentProviderError(f"Stripe: {exc.__class__.__name__}") from exc
        intent: Any = session.setup_intent
        if session.mode != "setup" or session.status != "complete" or intent is None:
            raise CardSetupIncomplete(f"Checkout Session {session_id} saved no card")
        if customer_id and session.customer != customer_id:
            raise CardSetupIncomplete(f"Checkout Session {session_id} is not {customer_id}'s")
        method: Any = intent.payment_method
        card: Any = method.card
        return CardDetails(
            token=f"{session.customer}/{method.id}",
            brand=str(card.brand),
            last4=str(card.last4),
            exp_month=int(card.exp_month),
            exp_year=int(card.exp_year),
        )
