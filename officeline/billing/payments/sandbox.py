"""The sandbox payment provider: a working stand-in for a card network.

It plays the provider's part: its own page (served by the portal under
/sandbox-pay/, only where the sandbox is the payment provider) takes the card number, and
``tokenize`` returns a token; the number itself is never stored, nor any hash of it (a hash of
a card number is reversed by trying the card range): only which test behaviour it stands for,
a random token per tokenization and the last four digits.

Test cards (any future expiry, any CVC):

| number | behaviour |
| --- | --- |
| 4242 4242 4242 4242 | charges succeed |
| 5555 5555 5555 4444 | charges succeed (Mastercard) |
| 4000 0000 0000 0002 | charges are declined |
| 4000 0000 0000 0069 | charges fail: card expired |
| 4000 0000 0000 0259 | charges fail: payment stopped at the bank (BILL-7) |
"""

from __future__ import annotations

import secrets

from django.db.models import Sum

from officeline.billing.payments.base import (
    CardDetails,
    ChargeOutcome,
    ChargeResult,
    RefundOutcome,
    RefundResult,
)
from officeline.billing.sandbox_models import SandboxCard, SandboxCharge, SandboxRefund

TEST_CARDS: dict[str, ChargeOutcome] = {
    "4242424242424242": ChargeOutcome.SUCCEEDED,
    "5555555555554444": ChargeOutcome.SUCCEEDED,
    "4000000000000002": ChargeOutcome.DECLINED,
    "4000000000000069": ChargeOutcome.EXPIRED_CARD,
    "4000000000000259": ChargeOutcome.STOPPED_BY_BANK,
}


class CardRejected(ValueError):
    """The card details cannot be tokenized; the message names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


def _brand(number: str) -> str:
    if number.startswith("4"):
        return "visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or "2221" <= number[:4] <= "2720":
        return "mastercard"
    if number[:2] in {"34", "37"}:
        return "amex"
    return "card"


class SandboxProvider:
    name = "sandbox"

    def tokenize(
        self,
        *,
        number: str,
        exp_month: int,
        exp_year: int,
        cvc: str,
        today_year: int,
        today_month: int,
    ) -> CardDetails:
        """Check a card as a provider would and return its token (the number is not kept)."""
        digits = "".join(ch for ch in number if ch.isdigit())
        if len(digits) < 12 or len(digits) > 19 or not _luhn_ok(digits):
            raise CardRejected("number", "This card number is not valid.")
        if not 1 <= exp_month <= 12:
            raise CardRejected("exp_month", "The expiry month must be between 1 and 12.")
        if (exp_year, exp_month) < (today_year, today_month):
            raise CardRejected("exp_year", "This card has expired.")
        if not (cvc.isdigit() and len(cvc) in (3, 4)):
            raise CardRejected("cvc", "The security code must be 3 or 4 digits.")
        token = "sbx_card_" + secrets.token_hex(12)
        behaviour = TEST_CARDS.get(digits, ChargeOutcome.SUCCEEDED)
        details = CardDetails(
            token=token,
            brand=_brand(digits),
            last4=digits[-4:],
            exp_month=exp_month,
            exp_year=exp_year,
        )
        SandboxCard.objects.create(
            token=token,
            behaviour=behaviour,
            brand=details.brand,
            last4=details.last4,
            exp_month=exp_month,
            exp_year=exp_year,
        )
        return details

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
        existing = SandboxCharge.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return ChargeResult(
                ChargeOutcome(existing.outcome), existing.reference, existing.message
            )
        card = SandboxCard.objects.filter(token=token).first()
        outcome = ChargeOutcome.DECLINED if card is None else ChargeOutcome(card.behaviour)
        message = "" if outcome == ChargeOutcome.SUCCEEDED else ChargeOutcome(outcome).label
        charge = SandboxCharge.objects.create(
            idempotency_key=idempotency_key,
            token=token,
            amount_minor=amount_minor,
            currency=currency,
            outcome=outcome,
            message=message,
            reference="sbx_ch_" + secrets.token_hex(10),
            description=description[:200],
        )
        return ChargeResult(outcome, charge.reference, message)

    def refund(
        self,
        *,
        charge_reference: str,
        amount_minor: int,
        currency: str,
        idempotency_key: str,
        description: str,
    ) -> RefundResult:
        """Like a card network: one refund per key, never more than the charge less its refunds."""
        if amount_minor <= 0:
            raise ValueError("a refund must be for a positive amount")
        existing = SandboxRefund.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return RefundResult(
                RefundOutcome(existing.outcome), existing.reference, existing.message
            )
        charge = (
            SandboxCharge.objects.select_for_update()
            .filter(reference=charge_reference, outcome=ChargeOutcome.SUCCEEDED)
            .first()
        )
        message = ""
        if charge is None:
            message = "no such successful charge"
        else:
            refunded = charge.refunds.filter(outcome=RefundOutcome.SUCCEEDED).aggregate(
                total=Sum("amount_minor")
            )["total"]
            if amount_minor > charge.amount_minor - (refunded or 0):
                message = "the refund exceeds what is left of the charge"
            elif currency != charge.currency:
                message = "the refund's currency is not the charge's"
        if charge is None:
            return RefundResult(RefundOutcome.FAILED, "", message)
        refund = SandboxRefund.objects.create(
            idempotency_key=idempotency_key,
            charge=charge,
            amount_minor=amount_minor,
            currency=currency,
            outcome=RefundOutcome.FAILED if message else RefundOutcome.SUCCEEDED,
            message=message,
            reference="sbx_re_" + secrets.token_hex(10),
            description=description[:200],
        )
        return RefundResult(RefundOutcome(refund.outcome), refund.reference, message)

    def card_details(self, token: str) -> CardDetails:
        card = SandboxCard.objects.get(token=token)
        return CardDetails(
            token=card.token,
            brand=card.brand,
            last4=card.last4,
            exp_month=card.exp_month,
            exp_year=card.exp_year,
        )
