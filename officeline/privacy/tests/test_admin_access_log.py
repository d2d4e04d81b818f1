"""PRIV-10: the Django admin's pages of a customer's data are in the staff access log."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import models

from officeline.accounts.access_log import LoggedAdmin
from officeline.accounts.models import AccessLogEntry, Building, Customer
from officeline.accounts.tests.factories import CustomerFactory, staff_with_totp

pytestmark = pytest.mark.django_db


def holds_customer_data(model: type[models.Model]) -> bool:
    """The model is a customer or points to one."""
    return model is Customer or any(
        field.is_relation and field.related_model is Customer and not field.auto_created
        for field in model._meta.get_fields()
    )


def test_priv10_every_admin_model_holding_customer_data_is_logged():
    unlogged = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if holds_customer_data(model) and not isinstance(model_admin, LoggedAdmin)
    ]
    assert not unlogged, (
        "these admin models hold customers' data but their admin is not a "
        "officeline.accounts.access_log.LoggedAdmin (PRIV-10): " + ", ".join(unlogged)
    )
    assert isinstance(admin.site._registry[Customer], LoggedAdmin)


@pytest.fixture
def superuser(client):
    user = staff_with_totp(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_priv10_a_superuser_opening_a_customer_in_the_admin_is_logged(client, superuser):
    customer = CustomerFactory()
    url = f"/django-admin/accounts/customer/{customer.pk}/change/"
    assert client.get(url).status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.customer, entry.staff_user, entry.kind) == (customer, superuser, "personal_data")
    assert entry.url_name == "admin:accounts_customer_change"


def test_priv10_a_customers_person_in_the_admin_is_logged_under_their_customer(client, superuser):
    customer = CustomerFactory()
    person = customer.people.create(email="anna@example.com", customer_role="office_manager")
    assert client.get(f"/django-admin/accounts/user/{person.pk}/change/").status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.customer, entry.subject_id) == (customer, str(person.pk))
    assert entry.url_name == "admin:accounts_user_change"


def test_priv10_admin_lists_and_pages_without_customer_data_are_not_logged(client, superuser):
    CustomerFactory()
    assert client.get("/django-admin/accounts/customer/").status_code == 200
    assert client.get(f"/django-admin/accounts/user/{superuser.pk}/change/").status_code == 200
    building = Building.objects.get()
    assert client.get(f"/django-admin/accounts/building/{building.pk}/change/").status_code == 200
    assert not AccessLogEntry.objects.exists()


def test_priv10_a_superuser_without_a_staff_role_cannot_see_a_customer_unlogged(client):
    client.force_login(staff_with_totp(staff_role="", is_staff=True, is_superuser=True))
    customer = CustomerFactory()
    assert client.get(f"/django-admin/accounts/customer/{customer.pk}/change/").status_code == 403
    assert not AccessLogEntry.objects.exists()
