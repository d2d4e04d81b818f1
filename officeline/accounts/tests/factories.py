"""Factories for the accounts app; every app's tests build customers and people with these."""

from __future__ import annotations

import datetime as dt

import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache
from rest_framework.test import APIClient

from officeline.accounts.choices import CustomerRole, StaffRole
from officeline.accounts.mfa import current_code, enrol_totp
from officeline.accounts.models import Building, Customer, Operator, OperatorMarket, User

PASSWORD = "correct horse battery staple 42"
FIXED = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


class OperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operator
        django_get_or_create = ("name",)

    name = "Officeline"


class OperatorMarketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperatorMarket
        django_get_or_create = ("market",)

    operator = factory.SubFactory(OperatorFactory)
    market = "uk"
    legal_name = factory.LazyAttribute(lambda o: f"Officeline {o.market.upper()} Ltd")
    company_number = "09876543"
    vat_number = "GB123456782"
    registered_office = "1 Example Yard, London EC1A 1AA"
    support_phone = "+442079460000"
    support_email = "support@officeline.test"
    postal_address = "Complaints, 1 Example Yard, London EC1A 1AA"
    adr_scheme_name = "Ombudsman Services: Communications"
    adr_scheme_contact = "PO Box 730, Warrington WA4 6WU"
    adr_scheme_url = "https://www.ombudsman-services.org"


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    name = factory.Sequence(lambda n: f"Building {n}")
    market = "uk"
    address_line1 = factory.Sequence(lambda n: f"{n} Example Street")
    city = factory.LazyAttribute(lambda o: "Paris" if o.market == "fr" else "London")
    postcode = factory.LazyAttribute(lambda o: "75002" if o.market == "fr" else "EC2A 4NE")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    market = "uk"
    legal_name = factory.Sequence(lambda n: f"Example Business {n} Ltd")
    company_number = factory.Sequence(lambda n: f"{10000000 + n}")
    contact_name = "Sam Example"
    email = factory.Sequence(lambda n: f"office{n}@customer.test")
    phone = "+442079460999"
    address_line1 = "12 Example Street"
    city = factory.LazyAttribute(lambda o: "Paris" if o.market == "fr" else "London")
    postcode = factory.LazyAttribute(lambda o: "75002" if o.market == "fr" else "EC2A 4NE")
    building = factory.SubFactory(BuildingFactory, market=factory.SelfAttribute("..market"))
    workers_count = 5
    language = factory.LazyAttribute(lambda o: "fr" if o.market == "fr" else "en")
    created_at = FIXED


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@people.test")
    full_name = "Pat Person"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()
            # Logins are confirmed addresses (allauth's mandatory email verification).
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=instance, email=instance.email, defaults={"verified": True, "primary": True}
            )


class OfficeManagerFactory(UserFactory):
    customer = factory.SubFactory(CustomerFactory)
    customer_role = CustomerRole.OFFICE_MANAGER
    language = factory.LazyAttribute(lambda o: o.customer.language)


class StaffFactory(UserFactory):
    staff_role = StaffRole.AGENT
    is_staff = True


def api_token_for(user: User, *, client: str = "tests") -> str:
    """A token of ``user`` for ``client`` (replacing that client's), as ``issue_api_token``
    makes it but without its event: the value to send as ``Authorization: Token <value>``."""
    from officeline import clock
    from officeline.accounts.models import ApiToken
    from officeline.accounts.tokens import (
        PREFIX_LENGTH,
        new_token_value,
        token_digest,
        token_lifetime,
    )

    value = new_token_value()
    now = clock.now()
    ApiToken.objects.update_or_create(
        user=user,
        client=client,
        defaults={
            "prefix": value[:PREFIX_LENGTH],
            "digest": token_digest(value),
            "created_at": now,
            "expires_at": now + token_lifetime(user),
        },
    )
    return value


# A fixed base32 secret for tests (RFC 6238 test key, "12345678901234567890").
TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def staff_with_totp(**fields):
    """A staff user (agent unless ``staff_role`` says otherwise) enrolled with TOTP_SECRET."""
    user = StaffFactory(**fields)
    enrol_totp(user, TOTP_SECRET)
    return user


def log_in_with_totp(client, user, secret: str = TOTP_SECRET) -> None:
    """Log in through allauth's pages as a person does: the password, then the TOTP code."""
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].startswith("/accounts/2fa/authenticate/"), response["Location"]
    code = current_code(secret)
    _forget_used_code(user, code)
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302, response.content.decode()[:2000]


def _forget_used_code(user, code: str) -> None:
    """allauth refuses a code used in the last period by the same user id; a database that
    reuses ids after a rolled-back test (SQLite) would make it refuse a fresh login."""
    totp = TOTP(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP))
    cache.delete(totp._get_used_cache_key(code))


def client_for(user) -> APIClient:
    """An API client that sends a token of ``user``."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    return client
