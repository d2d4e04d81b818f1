"""Sign-up with Stripe as the provider: the card is entered on Stripe Checkout in setup mode
(ACC-3), tested at the HTTP boundary with recorded responses."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
import responses

from officeline.billing.models import PaymentMethod
from officeline.billing.tests.factories import STRIPE_API as API
from officeline.billing.tests.factories import recording
from officeline.portal.tests.test_signup import UK_DETAILS

pytestmark = pytest.mark.django_db

SESSION = "cs_test_c1QExampleSetup"
FORM = {
    **UK_DETAILS,
    "market": "uk",
    "password1": "a long enough passphrase 2026",
    "password2": "a long enough passphrase 2026",
    "is_business": "on",
    "is_adult": "on",
    "preferred_format": "email",
}


@pytest.fixture
def stripe_signup(settings, test_clock):
    from officeline.documents.services import publish_catalogue

    publish_catalogue()
    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_officeline"
    settings.STRIPE_API_BASE = API
    return settings


def start(client) -> str:
    responses.post(f"{API}/v1/customers", json=recording("customer_created"))
    responses.post(f"{API}/v1/checkout/sessions", json=recording("checkout_session_setup_open"))
    response = client.post("/signup/", FORM)
    assert response.status_code == 302
    return str(response["Location"])


def returned(client, status: str, session_id: str = SESSION):
    responses.get(
        f"{API}/v1/checkout/sessions/{SESSION}", json=recording(f"checkout_session_setup_{status}")
    )
    return client.get(f"/signup/card/?session_id={session_id}")


@responses.activate
def test_acc3_signup_sends_the_person_to_stripe_checkout_in_setup_mode(client, stripe_signup):
    assert start(client) == f"https://checkout.stripe.com/c/pay/{SESSION}"
    customer = parse_qs(str(responses.calls[0].request.body))
    assert customer["email"] == ["robin@kestrel.test"]
    assert customer["name"] == ["Kestrel Design Ltd"]
    session = parse_qs(str(responses.calls[1].request.body))
    assert session["mode"] == ["setup"] and session["customer"] == ["cus_QExample02"]
    assert session["payment_method_types[0]"] == ["card"]
    assert session["success_url"] == [
        "http://testserver/signup/card/?session_id={CHECKOUT_SESSION_ID}"
    ]
    assert session["cancel_url"] == ["http://testserver/signup/card/start/"]

    response = returned(client, "complete")
    assert response["Location"] == "/signup/terms/"
    sent = responses.calls[2].request
    assert sent.method == "GET" and "expand%5B0%5D=setup_intent.payment_method" in str(sent.url)
    response = client.post("/signup/terms/", {"accept": "yes"})
    # The Office Manager confirms the email address before logging in (test_signup.py).
    assert response.status_code == 200 and "Check your email" in response.content.decode()
    card = PaymentMethod.objects.get()
    assert (card.provider, card.token, card.brand, card.last4, card.exp_month, card.exp_year) == (
        "stripe",
        "cus_QExample02/pm_1QExampleSignup",
        "mastercard",
        "4444",
        9,
        2031,
    )
    client.force_login(card.customer.people.get())
    assert "•••• 4444" in client.get("/dashboard/").content.decode()


@responses.activate
def test_acc3_an_abandoned_or_foreign_checkout_session_saves_no_card(client, stripe_signup):
    start(client)
    response = returned(client, "expired")
    assert response["Location"] == "/signup/card/start/"
    # A session id that is not the one started for this sign-up is refused without asking Stripe.
    calls = len(responses.calls)
    response = client.get("/signup/card/?session_id=cs_test_someone_elses")
    assert response["Location"] == "/signup/card/start/" and len(responses.calls) == calls
    assert client.get("/signup/terms/")["Location"] == "/signup/"
    assert not PaymentMethod.objects.exists()


@responses.activate
def test_acc3_starting_the_card_page_again_creates_no_second_stripe_customer(client, stripe_signup):
    start(client)
    responses.post(f"{API}/v1/checkout/sessions", json=recording("checkout_session_setup_open"))
    response = client.get("/signup/card/start/")
    assert response["Location"] == f"https://checkout.stripe.com/c/pay/{SESSION}"
    assert [call.request.url.rsplit("/", 1)[-1] for call in responses.calls] == [
        "customers",
        "sessions",
        "sessions",
    ]
    assert parse_qs(str(responses.calls[2].request.body))["customer"] == ["cus_QExample02"]


@responses.activate
def test_stripe_unreachable_at_signup_asks_to_try_again(client, stripe_signup):
    responses.post(f"{API}/v1/customers", json=recording("api_error"), status=500)
    response = client.post("/signup/", FORM, follow=True)
    assert "cannot be reached just now" in response.content.decode()
