"""Who can have a login, and with which address: no sign-up outside the portal's business
sign-up, no telling whether an email has an account, and an address becomes a login (and the
account email) only once confirmed from its mailbox."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress

from officeline.accounts.choices import StaffRole
from officeline.accounts.models import Customer, User
from officeline.accounts.tests.factories import PASSWORD, OfficeManagerFactory, staff_with_totp
from officeline.documents.services import publish_catalogue
from officeline.events.models import Event
from officeline.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long enough passphrase 2026"


@pytest.fixture
def published(test_clock):
    publish_catalogue()


def _outbox(kind: str, to: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=kind, to=to.lower()).order_by("pk"))


def _confirm(client, to: str) -> None:
    message = _outbox("accounts.confirm_address", to)[-1]
    url = re.search(r"https?://[^/\s]+(/\S+/)", message.body_text).group(1)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302


def _portal_sign_up(client, email: str, legal_name: str = "Kestrel Design Ltd"):
    """The portal's three steps; the answer to the last one."""
    form = {
        "legal_name": legal_name,
        "company_number": "12345678",
        "contact_name": "Robin Kestrel",
        "email": email,
        "phone": "020 7946 0321",
        "address_line1": "12 Example Street",
        "city": "London",
        "postcode": "EC2A 4NE",
        "workers_count": 4,
        "market": "uk",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "is_business": "on",
        "is_adult": "on",
        "preferred_format": "email",
    }
    response = client.post("/signup/", form)
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
    client.get(response["Location"])
    return client.post("/signup/terms/", {"accept": "yes"})


# Sign-up


def test_allauths_own_sign_up_creates_no_user(client):
    """A user with no customer could ask for an API token and hold a business's address."""
    response = client.post(
        "/accounts/signup/",
        {
            "email": "office@target-business.test",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code in (200, 302, 403)
    assert not User.objects.filter(email="office@target-business.test").exists()
    assert not EmailAddress.objects.filter(email="office@target-business.test").exists()
    assert client.post(
        "/api/v1/tokens/", {"email": "office@target-business.test", "password": NEW_PASSWORD}
    ).status_code in (401, 403)


def test_the_portal_sign_up_answers_the_same_whether_the_email_has_an_account(client, published):
    existing = OfficeManagerFactory(email="robin@kestrel.test")
    taken = _portal_sign_up(client, "robin@kestrel.test", legal_name="Squatter Ltd")
    client.logout()
    fresh = _portal_sign_up(client, "new@kestrel.test", legal_name="Kestrel Design Ltd")

    def page(response, email):
        html = response.content.decode().replace(email, "EMAIL")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)

    assert taken.status_code == fresh.status_code == 200
    assert page(taken, "robin@kestrel.test") == page(fresh, "new@kestrel.test")
    assert "already" not in page(taken, "robin@kestrel.test")
    # Nothing was created for the taken address; its owner was told.
    assert not Customer.objects.filter(legal_name="Squatter Ltd").exists()
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)
    assert _outbox("accounts.address_in_use", "robin@kestrel.test")
    assert not _outbox("accounts.confirm_address", "robin@kestrel.test")
    assert _outbox("accounts.confirm_address", "new@kestrel.test")


def test_the_new_office_manager_logs_in_once_the_address_is_confirmed(client, published):
    _portal_sign_up(client, "new@kestrel.test")
    assert "_auth_user_id" not in client.session
    login = {"login": "new@kestrel.test", "password": NEW_PASSWORD}
    client.post("/accounts/login/", login)
    assert client.get("/dashboard/").status_code == 302  # not before the confirmation
    _confirm(client, "new@kestrel.test")
    assert client.post("/accounts/login/", login).status_code == 302
    assert client.get("/dashboard/").status_code == 200


# Changing the account email


def test_portal_the_account_email_changes_only_once_the_new_address_is_confirmed(client):
    manager = OfficeManagerFactory()
    customer = manager.customer
    old = manager.email
    client.force_login(manager)
    form = client.get("/account/").context["form"].initial
    data = {k: v for k, v in form.items() if v is not None}
    data["email"] = "new.manager@example.test"
    response = client.post("/account/", data)
    assert response.status_code == 302
    manager.refresh_from_db()
    customer.refresh_from_db()
    # Nothing moved yet: the login and the account email wait for the confirmation.
    assert manager.email == old and customer.email != "new.manager@example.test"
    assert not client.login(email="new.manager@example.test", password=PASSWORD)
    pending = EmailAddress.objects.get(email="new.manager@example.test")
    assert pending.user == manager and not pending.verified and not pending.primary
    assert Event.objects.filter(action="accounts.email_change_requested").exists()

    _confirm(client, "new.manager@example.test")
    manager.refresh_from_db()
    customer.refresh_from_db()
    assert manager.email == "new.manager@example.test"
    assert customer.email == "new.manager@example.test"
    assert list(EmailAddress.objects.filter(user=manager).values_list("email", "verified")) == [
        ("new.manager@example.test", True)
    ]
    assert Event.objects.filter(action="accounts.login_email_changed").exists()


def test_the_account_email_follows_the_office_managers_confirmed_login(client):
    manager = OfficeManagerFactory()
    customer = manager.customer
    customer.email = manager.email
    customer.save()
    client.force_login(manager)
    response = client.patch(
        "/api/v1/account/", {"email": "moved@example.test"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["email"] == manager.email
    assert response.json()["email_pending"] == "moved@example.test"
    _confirm(client, "moved@example.test")
    customer.refresh_from_db()
    assert customer.email == "moved@example.test"


def test_api_the_account_email_cannot_be_set_to_another_customers_address(client):
    victim = OfficeManagerFactory(email="boss@victim.test")
    attacker = OfficeManagerFactory()
    before = attacker.customer.email
    client.force_login(attacker)
    response = client.patch(
        "/api/v1/account/", {"email": "boss@victim.test"}, content_type="application/json"
    )
    assert response.status_code == 200
    attacker.customer.refresh_from_db()
    assert attacker.customer.email == before
    assert not EmailAddress.objects.filter(user=attacker, email="boss@victim.test").exists()
    # The owner of the address is told; no link is sent that could take it.
    assert _outbox("accounts.address_in_use", "boss@victim.test")
    assert not _outbox("accounts.confirm_address", "boss@victim.test")
    victim.refresh_from_db()
    assert victim.email == "boss@victim.test"


def test_api_an_unconfirmed_address_of_another_customer_is_never_the_account_email(client):
    """Even an address nobody has yet waits for its mailbox: the account email stays."""
    attacker = OfficeManagerFactory()
    before = attacker.customer.email
    client.force_login(attacker)
    client.patch(
        "/api/v1/account/",
        {"email": "office@not-yet-a-customer.test"},
        content_type="application/json",
    )
    attacker.customer.refresh_from_db()
    attacker.refresh_from_db()
    assert attacker.customer.email == before
    assert attacker.email != "office@not-yet-a-customer.test"


def test_staff_changing_the_account_email_send_the_link_to_the_new_address(client):
    manager = OfficeManagerFactory()
    customer = manager.customer
    customer.email = manager.email
    customer.save()
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    response = client.patch(
        f"/api/v1/account/?customer={customer.pk}",
        {"email": "fresh@example.test"},
        content_type="application/json",
    )
    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.email == manager.email
    assert EmailAddress.objects.get(email="fresh@example.test").user == manager
    assert _outbox("accounts.confirm_address", "fresh@example.test")


def test_the_django_admin_cannot_edit_a_login_or_an_account_email(client):
    manager = OfficeManagerFactory()
    admin = staff_with_totp(staff_role=StaffRole.DIRECTOR, is_superuser=True)
    client.force_login(admin)
    for url in (
        f"/django-admin/accounts/user/{manager.pk}/change/",
        f"/django-admin/accounts/customer/{manager.customer_id}/change/",
    ):
        html = client.get(url).content.decode()
        assert 'name="full_name"' in html or 'name="legal_name"' in html, url
        assert 'name="email"' not in html, url


def test_the_account_email_stays_another_office_managers_login(client):
    first = OfficeManagerFactory()
    customer = first.customer
    customer.email = first.email
    customer.save()
    second = OfficeManagerFactory(customer=customer)
    client.force_login(second)
    client.get("/accounts/email/")  # allauth's own page changes the login of its user only
    client.post("/accounts/email/", {"action_add": "", "email": "second@example.test"})
    _confirm_any(client, "second@example.test")
    second.refresh_from_db()
    customer.refresh_from_db()
    assert second.email == "second@example.test"
    assert customer.email == first.email


def _confirm_any(client, to: str) -> None:
    """Confirm an address allauth sent its own link to (its email goes to Django's outbox)."""
    from django.core import mail

    body = next(m.body for m in reversed(mail.outbox) if to in m.to)
    url = re.search(r"https?://[^/\s]+(/\S+/)", body).group(1)
    assert client.post(url).status_code == 302
