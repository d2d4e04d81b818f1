from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from officeline.accounts.choices import CustomerRole
from officeline.accounts.tests.factories import (
    CustomerFactory,
    OfficeManagerFactory,
    StaffFactory,
    api_token_for,
)


def client_for(user) -> APIClient:
    """An API client that sends a token of ``user``."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    return client


@pytest.fixture
def manager_a(db):
    return OfficeManagerFactory(
        customer=CustomerFactory(legal_name="Alpha Widgets Ltd", email="alpha@a.test")
    )


@pytest.fixture
def manager_b(db):
    return OfficeManagerFactory(
        customer=CustomerFactory(
            market="fr",
            legal_name="Bêta Conseil SARL",
            email="beta@b.test",
            company_number="732829320",
        )
    )


@pytest.fixture
def member_a(manager_a):
    return OfficeManagerFactory(customer=manager_a.customer, customer_role=CustomerRole.MEMBER)


@pytest.fixture
def staff(db):
    return StaffFactory()
