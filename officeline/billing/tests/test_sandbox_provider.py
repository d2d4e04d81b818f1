"""The sandbox payment provider behaves like a card network, and keeps no card number."""

from __future__ import annotations

from typing import Any

import pytest

from officeline.billing.payments import ChargeOutcome
from officeline.billing.payments.providers import get_provider
from officeline.billing.payments.sandbox import CardRejected, SandboxProvider
from officeline.billing.sandbox_models import SandboxCard

pytestmark = pytest.mark.django_db


def tokenize(number: str, **kw):
    args: dict[str, Any] = {
        "exp_month": 12,
        "exp_year": 2030,
        "cvc": "123",
        "today_year": 2026,
        "today_month": 11,
    } | kw
    return SandboxProvider().tokenize(number=number, **args)


def test_acc3_tokenized_card_keeps_only_token_brand_last4_expiry():
    """ACC-3: the card number is not stored anywhere, only token, brand, last 4 and expiry."""
    card = tokenize("4242 4242 4242 4242")
    assert (card.brand, card.last4, card.exp_month, card.exp_year) == ("visa", "4242", 12, 2030)
    stored = SandboxCard.objects.get(token=card.token)
    assert "4242424242424242" not in str(stored.__dict__)


@pytest.mark.parametrize(
    ("number", "outcome"),
    [
        ("4242424242424242", ChargeOutcome.SUCCEEDED),
        ("4000000000000002", ChargeOutcome.DECLINED),
        ("4000000000000069", ChargeOutcome.EXPIRED_CARD),
        ("4000000000000259", ChargeOutcome.STOPPED_BY_BANK),
    ],
)
def test_test_cards_behave_as_documented(number, outcome):
    card = tokenize(number)
    result = get_provider("sandbox").charge(
        token=card.token,
        amount_minor=1000,
        currency="GBP",
        idempotency_key=f"k-{number}",
        description="t",
    )
    assert result.outcome == outcome


def test_same_idempotency_key_never_charges_twice():
    card = tokenize("4242424242424242")
    provider = get_provider("sandbox")
    first = provider.charge(
        token=card.token,
        amount_minor=1000,
        currency="GBP",
        idempotency_key="inv-1",
        description="t",
    )
    again = provider.charge(
        token=card.token,
        amount_minor=1000,
        currency="GBP",
        idempotency_key="inv-1",
        description="t",
    )
    assert first.provider_reference == again.provider_reference


@pytest.mark.parametrize(
    ("number", "kw", "field"),
    [
        ("4242424242424241", {}, "number"),
        ("4242424242424242", {"exp_month": 13}, "exp_month"),
        ("4242424242424242", {"exp_year": 2025}, "exp_year"),
        ("4242424242424242", {"cvc": "12a"}, "cvc"),
    ],
)
def test_bad_card_details_name_the_field(number, kw, field):
    with pytest.raises(CardRejected) as info:
        tokenize(number, **kw)
    assert info.value.field == field
