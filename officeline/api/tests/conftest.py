from __future__ import annotations

import pytest

from officeline.accounts.choices import CustomerRole
from officeline.accounts.tests.factories import (
    CustomerFactory,
    OfficeManagerFactory,
    StaffFactory,
)


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
