"""Every free text a person types has a bound: an oversized value is refused with an error that
names the field, and nothing is written (2 MB once went into a ticket and into accessibility
needs)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from rest_framework import serializers

import officeline
from officeline.accounts.models import Notice
from officeline.accounts.tests.factories import client_for
from officeline.forms import TEXT_MAX_LENGTH
from officeline.support.models import Ticket
from officeline.support.tests.factories import manager

HUGE = "x" * 2_000_000
# Serializers that only ever answer (their fields are read, never written by a client).
OUTPUT_ONLY = {
    "accounts.api.serializers.MeSerializer",
    "accounts.api.serializers.EventSerializer",
    "lines.api.serializers.LineSerializer",
    "lines.api.serializers.LineDetailSerializer",
    "lines.api.serializers.AbroadAnswerSerializer",
    "lines.api.serializers.PortSerializer",
    "lines.api.serializers.AvailableNumberSerializer",
    "lines.api.serializers.DeviceCredentialsSerializer",
    "lines.api.serializers.ReplacementSerializer",
    "lines.api.serializers.MaintenanceSerializer",
    "privacy.api.PrivacyRequestSerializer",
    "support.api.TicketSerializer",
    "support.api.TimelineEventSerializer",
    "support.api.ComplaintSerializer",
    "support.api.DisputeSerializer",
}
# Never stored as sent: the login's email and password are only compared. (A password is
# stored as its Argon2 hash, whatever its length.)
EXEMPT = {
    "accounts.api.serializers.TokenRequestSerializer.email",
    "accounts.api.serializers.TokenRequestSerializer.password",
}


def _classes():
    for info in pkgutil.walk_packages(officeline.__path__, "officeline."):
        if ".tests" in info.name or ".migrations" in info.name:
            continue
        if info.name.endswith(("__main__", ".kemi")):
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if inspect.isclass(obj) and obj.__module__ == module.__name__:
                yield obj


def test_every_text_field_of_a_form_or_an_api_input_has_a_max_length():
    unbounded = []
    for cls in _classes():
        name = cls.__module__.removeprefix("officeline.") + "." + cls.__name__
        if issubclass(cls, forms.BaseForm):
            fields = cls.base_fields
            for field_name, field in fields.items():
                if (
                    isinstance(field, forms.CharField)
                    and not isinstance(field.widget, forms.HiddenInput | forms.PasswordInput)
                    and field.max_length is None
                ):
                    unbounded.append(f"{name}.{field_name}")
        elif issubclass(cls, serializers.Serializer) and name not in OUTPUT_ONLY:
            for field_name, field in cls().fields.items():
                if (
                    isinstance(field, serializers.CharField)
                    and not field.read_only
                    and field.max_length is None
                ):
                    unbounded.append(f"{name}.{field_name}")
    left = sorted(set(unbounded) - EXEMPT)
    assert left == [], left


@pytest.mark.django_db
def test_an_oversized_ticket_description_is_refused_in_the_portal(client, test_clock):
    client.force_login(manager())
    response = client.post(
        "/support/new/", {"subject": "No sound", "category": "technical", "description": HUGE}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["description"]
    assert f"at most {TEXT_MAX_LENGTH} characters" in errors["description"][0]
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_an_oversized_ticket_description_is_refused_in_the_api(test_clock):
    response = client_for(manager()).post(
        "/api/v1/tickets/",
        {"subject": "No sound", "category": "technical", "description": HUGE},
        format="json",
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["description"]
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_oversized_accessibility_needs_are_refused_in_the_api_and_the_portal(client, test_clock):
    office_manager = manager()
    response = client_for(office_manager).patch(
        "/api/v1/account/", {"accessibility_needs": HUGE}, format="json"
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["accessibility_needs"]
    office_manager.customer.refresh_from_db()
    assert office_manager.customer.accessibility_needs == ""

    client.force_login(office_manager)
    page = client.post("/account/", {"accessibility_needs": HUGE})
    assert page.status_code == 400
    assert "at most" in page.context["form"].errors["accessibility_needs"][0]
    office_manager.customer.refresh_from_db()
    assert office_manager.customer.accessibility_needs == ""


@pytest.mark.django_db
def test_an_oversized_notice_is_refused(client, test_clock):
    client.force_login(manager())
    response = client.post("/notices/", {"subject": "Leaving", "body": HUGE})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["body"]
    assert not Notice.objects.exists()
