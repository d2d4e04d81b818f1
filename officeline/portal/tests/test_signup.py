"""Sign-up: businesses only, adults only, mandatory data, the card as a token, the terms signed."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail

from officeline.accounts.models import Customer, TermsAcceptance, User
from officeline.accounts.tests.factories import BuildingFactory
from officeline.billing.models import PaymentMethod
from officeline.billing.payments.sandbox import SandboxProvider
from officeline.billing.sandbox_models import SandboxCard
from officeline.documents.selectors import current_terms
from officeline.documents.services import publish_catalogue
from officeline.events.models import Event
from officeline.portal.signup import SignUpRefused, SignUpRequest, sign_up

pytestmark = pytest.mark.django_db

UK_DETAILS = {
    "legal_name": "Kestrel Design Ltd",
    "company_number": "12345678",
    "vat_number": "GB980780684",
    "contact_name": "Robin Kestrel",
    "email": "Robin@Kestrel.test",
    "phone": "020 7946 0321",
    "address_line1": "12 Example Street",
    "city": "London",
    "postcode": "ec2a4ne",
    "workers_count": 4,
}
FR_DETAILS = {
    "legal_name": "Studio Hirondelle SAS",
    "company_number": "732 829 320",
    "vat_number": "",
    "contact_name": "Claude Hirondelle",
    "email": "claude@hirondelle.test",
    "phone": "01 99 00 12 77",
    "address_line1": "8 rue de l'Exemple",
    "city": "Paris",
    "postcode": "75002",
    "workers_count": 25,
}


@pytest.fixture
def published(test_clock):
    publish_catalogue()


def card(number: str = "4242424242424242"):
    return SandboxProvider().tokenize(
        number=number, exp_month=12, exp_year=2030, cvc="123", today_year=2026, today_month=11
    )


def request(market: str = "uk", **overrides: Any) -> SignUpRequest:
    details = dict(UK_DETAILS if market == "uk" else FR_DETAILS)
    details.update(overrides.pop("details", {}))
    fields = {
        "market": market,
        "language": "en" if market == "uk" else "fr",
        "details": details,
        "building_id": None,
        "password_hash": make_password("a long enough passphrase 2026"),
        "is_business": True,
        "is_adult": True,
    } | overrides
    return SignUpRequest(**fields)


def do_sign_up(req: SignUpRequest, **kwargs: Any) -> User:
    user = sign_up_answer(req, **kwargs)
    assert user is not None, "this email already has an account"
    return user


def sign_up_answer(req: SignUpRequest, **kwargs: Any) -> User | None:
    """What sign_up returns: the new Office Manager, or None when the email has an account."""
    terms = current_terms(req.market, req.language)
    assert terms is not None
    args = {
        "card": card(),
        "provider": "sandbox",
        "terms": terms,
        "terms_wording": "I accept",
        "ip_address": "203.0.113.9",
        "user_agent": "Mozilla/5.0 test",
    } | kwargs
    return sign_up(request=req, **args)


def test_acc2_terms_acceptance_is_an_electronic_signature(published, test_clock):
    """ACC-2: who, when, from which address and browser, exactly which version and its hash."""
    user = do_sign_up(request())
    acceptance = TermsAcceptance.objects.get()
    terms = current_terms("uk", "en")
    assert acceptance.user == user and acceptance.customer == user.customer
    assert acceptance.document_version == terms and acceptance.document_sha256 == terms.sha256
    assert acceptance.accepted_at == test_clock.now()
    assert (acceptance.ip_address, acceptance.user_agent, acceptance.wording) == (
        "203.0.113.9",
        "Mozilla/5.0 test",
        "I accept",
    )


def test_sign_up_normalises_and_records(published):
    user = do_sign_up(request())
    customer = user.customer
    assert (customer.email, customer.phone, customer.postcode) == (
        "robin@kestrel.test",
        "+442079460321",
        "EC2A 4NE",
    )
    assert user.check_password("a long enough passphrase 2026") and user.is_office_manager
    assert Event.objects.filter(action="accounts.signed_up", customer=customer).exists()


def test_acc1_individuals_are_refused(published):
    """ACC-1: businesses only."""
    with pytest.raises(SignUpRefused) as info:
        do_sign_up(request(is_business=False))
    assert "is_business" in info.value.message_dict
    assert not Customer.objects.exists()


def test_acc1_under_18_is_refused(published):
    """ACC-1: the person signing up attests being 18 or over."""
    with pytest.raises(SignUpRefused) as info:
        do_sign_up(request(is_adult=False))
    assert "is_adult" in info.value.message_dict


@pytest.mark.parametrize(
    "field", ["legal_name", "contact_name", "email", "phone", "address_line1", "postcode"]
)
def test_acc3_mandatory_data(published, field):
    """ACC-3: name, company name, phone, postal address and email are mandatory."""
    with pytest.raises(SignUpRefused) as info:
        do_sign_up(request(details={field: ""}))
    assert field in info.value.message_dict
    assert not User.objects.exists() and not PaymentMethod.objects.exists()


def test_acc3_only_the_card_token_is_kept(published):
    """ACC-3: the card is held as a token; brand, last 4 and expiry only."""
    user = do_sign_up(request())
    method = PaymentMethod.objects.get(customer=user.customer)
    assert (
        method.token.startswith("sbx_card_") and method.last4 == "4242" and method.brand == "visa"
    )
    assert "4242424242424242" not in str(PaymentMethod.objects.values().get())


def test_acc4_micro_business_flag(published):
    """ACC-4: ten or fewer workers is a micro-business."""
    assert do_sign_up(request()).customer.is_micro_business is True
    assert do_sign_up(request("fr")).customer.is_micro_business is False


def test_fr_siren_is_checked(published):
    with pytest.raises(SignUpRefused) as info:
        do_sign_up(request("fr", details={"company_number": "732829321"}))
    assert "company_number" in info.value.message_dict


def test_terms_of_another_market_are_refused(published):
    terms_fr = current_terms("fr", "fr")
    with pytest.raises(SignUpRefused) as info:
        do_sign_up(request(), terms=terms_fr)
    assert "terms" in info.value.message_dict


def test_the_same_email_cannot_sign_up_twice(published):
    """Nothing is created the second time, and the caller is not told why: the address's
    owner gets an email instead (no account enumeration)."""
    from officeline.notifications.models import OutboxMessage

    do_sign_up(request())
    assert sign_up_answer(request()) is None
    assert Customer.objects.count() == 1 and User.objects.count() == 1
    told = OutboxMessage.objects.get(kind="accounts.address_in_use")
    assert told.to == "robin@kestrel.test"


def test_building_must_be_in_the_market(published):
    paris = BuildingFactory(market="fr")
    with pytest.raises(SignUpRefused) as info:
        do_sign_up(request(building_id=paris.pk))
    assert "building" in info.value.message_dict


def test_signup_pages_end_to_end_with_the_django_client(client, published):
    form = {
        **UK_DETAILS,
        "market": "uk",
        "password1": "a long enough passphrase 2026",
        "password2": "a long enough passphrase 2026",
        "is_business": "on",
        "is_adult": "on",
        "preferred_format": "large_print",
    }
    response = client.post("/signup/", form)
    assert response.status_code == 302 and "/sandbox-pay/" in response["Location"]
    response = client.post(
        response["Location"],
        {
            "number": "4242 4242 4242 4242",
            "exp_month": 12,
            "exp_year": 2030,
            "cvc": "123",
            "return_to": "/signup/card/",
        },
    )
    assert response.status_code == 302 and "card_token=sbx_card_" in response["Location"]
    response = client.get(response["Location"])
    assert response["Location"] == "/signup/terms/"
    assert client.post("/signup/terms/", {}).status_code == 400
    response = client.post("/signup/terms/", {"accept": "yes"})
    # The Office Manager confirms the address from the mailbox before the first login.
    assert response.status_code == 200
    assert "We sent a message to Robin@Kestrel.test" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")
    confirm_address(client, "robin@kestrel.test")
    response = client.post(
        "/accounts/login/",
        {"login": "robin@kestrel.test", "password": "a long enough passphrase 2026"},
    )
    assert response.status_code == 302
    page = client.get("/dashboard/").content.decode()
    assert "Kestrel Design Ltd" in page and "•••• 4242" in page
    assert Customer.objects.get().preferred_format == "large_print"


def confirm_address(client, email: str) -> None:
    """Follow the confirmation link emailed to ``email`` (allauth's confirm page, then its form)."""
    import re

    from officeline.notifications.models import OutboxMessage

    message = OutboxMessage.objects.filter(kind="accounts.confirm_address", to=email).latest("pk")
    url = re.search(r"https?://[^/\s]+(/\S+/)", message.body_text).group(1)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302


def test_signup_form_names_each_problem(client, published):
    response = client.post(
        "/signup/", {"market": "uk", "legal_name": "X", "password1": "short", "password2": "other"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    for field in ("is_business", "is_adult", "email", "phone", "password2"):
        assert field in errors


def test_the_sandbox_page_never_sends_the_customer_elsewhere(client, published):
    response = client.get("/sandbox-pay/?return_to=https://evil.test/steal")
    assert 'value="/signup/"' in response.content.decode()


def test_notice_tool_records_and_confirms_by_email(client, published, test_clock):
    """ACC-5: the customer's notice is recorded, and a receipt goes to the account email."""
    user = do_sign_up(request())
    client.force_login(user)
    response = client.post(
        "/notices/", {"subject": "Ending the contract", "body": "We will leave on 31 January."}
    )
    assert response.status_code == 302
    from officeline.notifications.models import OutboxMessage

    message = OutboxMessage.objects.get(kind="accounts.notice_to_operator")
    assert message.to == "robin@kestrel.test" and "N-" in message.subject
    assert client.post("/notices/", {"subject": "", "body": ""}).status_code == 400
    assert OutboxMessage.objects.filter(kind="accounts.notice_to_operator").count() == 1


def test_acc5_operator_notices_go_to_the_account_email(published, test_clock):
    """ACC-5: notices to the customer go by email to the account email, and show in the portal."""
    from officeline.accounts.services.notices import send_notice_to_customer
    from officeline.accounts.tests.factories import StaffFactory
    from officeline.notifications.delivery import deliver_pending
    from officeline.notifications.models import OutboxMessage

    user = do_sign_up(request("fr"))
    send_notice_to_customer(
        customer=user.customer,
        actor=StaffFactory(),
        subject="Changement de numéro",
        body="Votre numéro change.",
    )
    message = OutboxMessage.objects.get(kind="accounts.notice_to_customer")
    assert message.to == "claude@hirondelle.test"
    assert message.subject.startswith("Avis d'Officeline")
    deliver_pending()
    assert mail.outbox[0].to == ["claude@hirondelle.test"]


def test_portal_pages_show_only_the_callers_business(client, published):
    """Tenant isolation in the portal: each Office Manager sees their own business only."""
    a = do_sign_up(request())
    b = do_sign_up(request("fr"))
    client.force_login(b)
    for url in ("/dashboard/", "/account/", "/notices/"):
        page = client.get(url).content.decode()
        assert "Kestrel" not in page and "robin@kestrel.test" not in page, url
    client.force_login(a)
    assert "Kestrel Design Ltd" in client.get("/dashboard/").content.decode()


def test_portal_needs_a_customer_login(client, published):
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")
    from officeline.accounts.tests.factories import StaffFactory

    client.force_login(StaffFactory())
    assert client.get("/dashboard/").status_code == 403


@pytest.mark.parametrize("provider", ["stripe", ""])
def test_the_sandbox_card_page_is_not_there_where_the_sandbox_takes_no_payment(
    client, published, settings, provider
):
    settings.PAYMENT_PROVIDER = provider
    assert client.get("/sandbox-pay/").status_code == 404
    posted = client.post(
        "/sandbox-pay/",
        {"number": "4242424242424242", "exp_month": 12, "exp_year": 2035, "cvc": "123"},
    )
    assert posted.status_code == 404
    assert not SandboxCard.objects.exists()


def test_the_sandbox_keeps_no_hash_of_the_card_number(published):
    import hashlib

    number = "4242424242424242"
    details = SandboxProvider().tokenize(
        number=number, exp_month=12, exp_year=2035, cvc="123", today_year=2026, today_month=1
    )
    card = SandboxCard.objects.get(token=details.token)
    stored = " ".join(str(getattr(card, f.attname)) for f in SandboxCard._meta.concrete_fields)
    digests = (
        hashlib.sha256(number.encode()).hexdigest(),
        hashlib.md5(number.encode()).hexdigest(),
    )
    assert not any(d[:8] in stored for d in digests)
    assert number not in stored and card.last4 == "4242"
    other = SandboxProvider().tokenize(
        number=number, exp_month=12, exp_year=2035, cvc="123", today_year=2026, today_month=1
    )
    assert other.token != details.token
