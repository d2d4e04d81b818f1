"""The Office Manager replaces the card on Stripe Checkout when Stripe is the provider (BILL-7,
ACC-3): the same card setup as sign-up, tested at the HTTP boundary with recorded responses."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
import responses

from officeline.billing.models import Invoice, PaymentMethod
from officeline.billing.tests.factories import STRIPE_API as API
from officeline.billing.tests.factories import recording, suspended_for_non_payment

pytestmark = pytest.mark.django_db

SESSION = "cs_test_c1QExampleSetup"
CHECKOUT = f"https://checkout.stripe.com/c/pay/{SESSION}"


@pytest.fixture
def stripe_provider(settings):
    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_officeline"
    settings.STRIPE_API_BASE = API
    return settings


def back_from_checkout(client, status: str, session_id: str = SESSION):
    responses.get(
        f"{API}/v1/checkout/sessions/{SESSION}", json=recording(f"checkout_session_setup_{status}")
    )
    return client.get(f"/account/card/return/?session_id={session_id}")


@responses.activate
def test_bill7_the_card_is_replaced_on_stripe_checkout_and_what_is_owed_is_paid(
    test_clock, client, stripe_provider
):
    """BILL-7: with Stripe configured, the replacement goes through Stripe Checkout in setup
    mode; the new card is the one charged and the unpaid invoice is paid at once."""
    manager, customer, line = suspended_for_non_payment(test_clock)
    client.force_login(manager)
    assert "/account/card/start/" in client.get("/account/card/").content.decode()
    # A plain GET starts nothing and creates no Stripe customer.
    assert client.get("/account/card/start/").status_code == 405
    assert not responses.calls

    responses.post(f"{API}/v1/customers", json=recording("customer_created"))
    responses.post(f"{API}/v1/checkout/sessions", json=recording("checkout_session_setup_open"))
    assert client.post("/account/card/start/")["Location"] == CHECKOUT
    created = parse_qs(str(responses.calls[0].request.body))
    assert created["email"] == [customer.email] and created["name"] == [customer.legal_name]
    session = parse_qs(str(responses.calls[1].request.body))
    assert session["mode"] == ["setup"] and session["customer"] == ["cus_QExample02"]
    assert session["success_url"] == [
        "http://testserver/account/card/return/?session_id={CHECKOUT_SESSION_ID}"
    ]
    assert session["cancel_url"] == ["http://testserver/account/card/"]

    responses.post(f"{API}/v1/payment_intents", json=recording("payment_intent_succeeded"))
    response = back_from_checkout(client, "complete")
    assert response["Location"] == "/account/card/"
    card = PaymentMethod.objects.get(customer=customer, is_default=True)
    assert (card.provider, card.token, card.brand, card.last4, card.exp_month, card.exp_year) == (
        "stripe",
        "cus_QExample02/pm_1QExampleSignup",
        "mastercard",
        "4444",
        9,
        2031,
    )
    charged = parse_qs(str(responses.calls[-1].request.body))
    assert charged["customer"] == ["cus_QExample02"]
    assert charged["payment_method"] == ["pm_1QExampleSignup"]
    assert Invoice.objects.get(number="UK-00000001").status == "paid"
    line.refresh_from_db()
    assert line.status == "active"
    assert "•••• 4444" in client.get("/account/card/").content.decode()


@responses.activate
def test_bill7_an_expired_foreign_or_other_customers_session_saves_nothing(
    test_clock, client, stripe_provider
):
    """BILL-7, ACC-3: only the Checkout Session started for this account, completed, and for
    its own Stripe customer replaces the card; the account's Stripe customer is reused."""
    manager, customer, _line = suspended_for_non_payment(test_clock)
    PaymentMethod.objects.filter(customer=customer).update(
        provider="stripe", token="cus_QExample01/pm_1QExampleCard"
    )
    before = list(PaymentMethod.objects.values_list("pk", "token", "is_default"))
    client.force_login(manager)
    responses.post(f"{API}/v1/checkout/sessions", json=recording("checkout_session_setup_open"))
    assert client.post("/account/card/start/")["Location"] == CHECKOUT
    assert len(responses.calls) == 1  # no new Stripe customer
    assert parse_qs(str(responses.calls[0].request.body))["customer"] == ["cus_QExample01"]

    assert back_from_checkout(client, "expired")["Location"] == "/account/card/"
    calls = len(responses.calls)
    assert client.get("/account/card/return/?session_id=cs_test_someone_elses").status_code == 302
    assert client.get("/account/card/return/").status_code == 302
    assert len(responses.calls) == calls  # refused without asking Stripe
    # Completed, but the session's Stripe customer is not this account's.
    back_from_checkout(client, "complete")
    assert list(PaymentMethod.objects.values_list("pk", "token", "is_default")) == before
    assert Invoice.objects.get(number="UK-00000001").status == "unpaid"


@responses.activate
def test_stripe_unreachable_when_replacing_the_card_asks_to_try_again(
    test_clock, client, stripe_provider
):
    manager, _customer, _line = suspended_for_non_payment(test_clock)
    client.force_login(manager)
    responses.post(f"{API}/v1/customers", json=recording("api_error"), status=500)
    response = client.post("/account/card/start/", follow=True)
    assert "cannot be reached just now" in response.content.decode()
