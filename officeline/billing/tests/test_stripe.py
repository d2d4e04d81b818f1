"""Stripe at the HTTP boundary, with recorded responses (BILL-1, BILL-7)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from urllib.parse import parse_qs

import pytest
import responses

from officeline import clock
from officeline.accounts.tests.factories import CustomerFactory
from officeline.billing.models import Invoice, Payment
from officeline.billing.payments.base import (
    ChargeOutcome,
    PaymentProviderError,
    RefundOutcome,
)
from officeline.billing.payments.stripe import StripeProvider
from officeline.billing.tests.factories import STRIPE_API as API
from officeline.billing.tests.factories import PaymentMethodFactory, new_line, recording
from officeline.events.models import Event

TOKEN = "cus_QExample01/pm_1QExampleCard"
SECRET = "whsec_test_officeline"


@pytest.fixture
def stripe_settings(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_officeline"
    settings.STRIPE_API_BASE = API
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    return settings


def charge(key: str = "invoice-UK-00000001-attempt-1"):
    return StripeProvider().charge(
        token=TOKEN, amount_minor=3000, currency="GBP", idempotency_key=key, description="x"
    )


@responses.activate
def test_bill1_an_off_session_payment_intent_with_the_idempotency_key(stripe_settings):
    responses.post(f"{API}/v1/payment_intents", json=recording("payment_intent_succeeded"))
    result = charge()
    assert result.outcome == ChargeOutcome.SUCCEEDED and result.provider_reference.startswith("pi_")
    sent = responses.calls[0].request
    assert sent.headers["Idempotency-Key"] == "invoice-UK-00000001-attempt-1"
    form = parse_qs(str(sent.body))
    assert form["amount"] == ["3000"] and form["currency"] == ["gbp"]
    assert form["customer"] == ["cus_QExample01"] and form["payment_method"] == ["pm_1QExampleCard"]
    assert form["off_session"] == ["true"] and form["confirm"] == ["true"]


@pytest.mark.parametrize(
    ("name", "status", "outcome"),
    [
        ("card_declined_stop_payment_order", 402, ChargeOutcome.STOPPED_BY_BANK),
        ("card_expired", 402, ChargeOutcome.EXPIRED_CARD),
        ("card_declined_insufficient_funds", 402, ChargeOutcome.DECLINED),
        ("payment_intent_requires_action", 200, ChargeOutcome.DECLINED),
    ],
)
@responses.activate
def test_bill7_declines_map_to_what_billing_does_next(stripe_settings, name, status, outcome):
    responses.post(f"{API}/v1/payment_intents", json=recording(name), status=status)
    result = charge()
    assert result.outcome == outcome and result.provider_reference.startswith("pi_")


@responses.activate
def test_an_unreachable_provider_is_retried_later_with_the_same_key(stripe_settings, test_clock):
    """Nothing is recorded of an attempt whose outcome is unknown; the same key goes again."""
    responses.post(f"{API}/v1/payment_intents", json=recording("api_error"), status=500)
    with pytest.raises(PaymentProviderError):
        charge()
    test_clock.set(dt.datetime(2026, 1, 18, 10, tzinfo=dt.UTC))
    customer = CustomerFactory(market="uk")
    PaymentMethodFactory(
        customer=customer, provider="stripe", token=TOKEN, brand="visa", last4="4242",
        exp_month=12, exp_year=2030,
    )  # fmt: skip
    new_line(customer)
    test_clock.advance(dt.timedelta(days=7))
    invoice = Invoice.objects.get()
    assert not Payment.objects.exists() and invoice.status == "open"
    assert invoice.collect_at == clock.now() + dt.timedelta(minutes=10)
    responses.replace(
        responses.POST, f"{API}/v1/payment_intents", json=recording("payment_intent_succeeded")
    )
    test_clock.advance(dt.timedelta(minutes=10))
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    keys = {call.request.headers["Idempotency-Key"] for call in responses.calls}
    assert keys == {"invoice-UK-00000001-attempt-1"}


def refund(key: str = "refund-UK-00000002"):
    return StripeProvider().refund(
        charge_reference="pi_3QExample0001",
        amount_minor=3000,
        currency="GBP",
        idempotency_key=key,
        description="Credit note UK-00000002",
    )


@responses.activate
def test_bill5_a_credit_note_is_refunded_with_a_refund_of_the_payment_intent(stripe_settings):
    """The Refund API, for the charge's PaymentIntent and the amount, with the refund's key."""
    responses.post(f"{API}/v1/refunds", json=recording("refund_succeeded"))
    result = refund()
    assert result.outcome == RefundOutcome.SUCCEEDED
    assert result.provider_reference == "re_3QExample0001"
    sent = responses.calls[0].request
    assert sent.headers["Idempotency-Key"] == "refund-UK-00000002"
    assert sent.headers["Authorization"] == "Bearer sk_test_officeline"
    form = parse_qs(str(sent.body))
    assert form["payment_intent"] == ["pi_3QExample0001"] and form["amount"] == ["3000"]
    assert form["reason"] == ["requested_by_customer"]


@pytest.mark.parametrize(
    ("name", "status", "message"),
    [
        ("refund_failed", 200, "refund expired_or_canceled_card"),
        ("refund_already_refunded", 400, "has already been refunded"),
    ],
)
@responses.activate
def test_a_refused_refund_is_failed_not_retried(stripe_settings, name, status, message):
    responses.post(f"{API}/v1/refunds", json=recording(name), status=status)
    result = refund()
    assert result.outcome == RefundOutcome.FAILED and message in result.message


@responses.activate
def test_an_unreachable_provider_leaves_the_refund_to_be_asked_again(stripe_settings):
    responses.post(f"{API}/v1/refunds", json=recording("api_error"), status=500)
    with pytest.raises(PaymentProviderError):
        refund()


@responses.activate
def test_card_details_come_from_the_provider(stripe_settings):
    responses.get(f"{API}/v1/payment_methods/pm_1QExampleCard", json=recording("payment_method"))
    card = StripeProvider().card_details(TOKEN)
    assert (card.brand, card.last4, card.exp_month, card.exp_year) == ("visa", "4242", 12, 2030)


def signed(body: bytes, at: dt.datetime, secret: str = SECRET) -> str:
    stamp = str(int(at.timestamp()))
    mac = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={mac}"


@pytest.mark.django_db
def test_bill7_the_card_updater_changes_the_stored_card_without_new_consent(
    stripe_settings, test_clock, client
):
    customer = CustomerFactory(market="uk")
    method = PaymentMethodFactory(
        customer=customer, provider="stripe", token=TOKEN, brand="visa", last4="4242",
        exp_month=12, exp_year=2026,
    )  # fmt: skip
    body = json.dumps(recording("event_payment_method_automatically_updated")).encode()
    response = client.post(
        "/hooks/stripe/",
        body,
        content_type="application/json",
        headers={"Stripe-Signature": signed(body, clock.now())},
    )
    assert response.status_code == 200
    method.refresh_from_db()
    assert (method.last4, method.exp_month, method.exp_year) == ("1881", 3, 2031)
    assert Event.objects.filter(
        action="billing.card_updated_by_network", customer=customer
    ).exists()


@pytest.mark.parametrize(
    ("secret", "age", "message"),
    [
        ("whsec_someone_else", dt.timedelta(), "invalid signature"),
        (SECRET, dt.timedelta(minutes=6), "too old"),
    ],
)
@pytest.mark.django_db
def test_bill7_unsigned_or_replayed_webhooks_are_refused_and_change_nothing(
    stripe_settings, test_clock, client, secret, age, message
):
    customer = CustomerFactory(market="uk")
    method = PaymentMethodFactory(
        customer=customer, provider="stripe", token=TOKEN, brand="visa", last4="4242",
        exp_month=12, exp_year=2026,
    )  # fmt: skip
    body = json.dumps(recording("event_payment_method_automatically_updated")).encode()
    response = client.post(
        "/hooks/stripe/",
        body,
        content_type="application/json",
        headers={"Stripe-Signature": signed(body, clock.now() - age, secret)},
    )
    assert response.status_code == 400 and message in response.json()["message"]
    method.refresh_from_db()
    assert method.last4 == "4242"
