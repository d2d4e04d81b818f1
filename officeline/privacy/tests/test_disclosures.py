"""PRIV-9: disclosures to authorities are recorded (who asked, what was given, the legal basis,
their reference) by the DPO only; they are on the customer's staff timeline, not the portal's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from officeline.accounts.choices import StaffRole
from officeline.accounts.tests.factories import CustomerFactory, staff_with_totp
from officeline.events.models import Event
from officeline.events.selectors import customer_timeline
from officeline.privacy.models import Disclosure
from officeline.privacy.services.disclosures import record_disclosure
from officeline.support.tests.factories import manager

pytestmark = pytest.mark.django_db

REQUEST = {
    "authority": "Metropolitan Police Service",
    "requester_name": "DC Alex Harrow",
    "given": "Call records of +44 20 7946 0999, 1 to 15 November 2026, by encrypted email.",
    "legal_basis": "Investigatory Powers Act 2016, Part 3 authorisation",
    "reference": "MPS/2026/4411",
    "disclosed_on": dt.date(2026, 11, 24),
}


def dpo():
    return staff_with_totp(staff_role=StaffRole.DPO)


def test_priv9_a_disclosure_records_who_asked_what_was_given_the_basis_and_reference(
    client, test_clock
):
    customer = manager().customer
    officer = dpo()
    disclosure = record_disclosure(actor=officer, customer=customer, **REQUEST)
    disclosure.refresh_from_db()
    for field, value in REQUEST.items():
        assert getattr(disclosure, field) == value
    assert disclosure.customer == customer and disclosure.recorded_by == officer
    assert disclosure.recorded_at == test_clock.now()

    event = Event.objects.get(action="privacy.disclosure_recorded")
    assert (event.customer, event.actor, event.customer_visible) == (customer, officer, False)
    assert event.data["reference"] == "MPS/2026/4411"
    # On the staff timeline of the customer, never in the customer's own.
    assert event in customer_timeline(customer.pk)
    assert event not in customer_timeline(customer.pk, customer_view=True)
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    assert (
        "privacy.disclosure_recorded"
        in client.get(f"/console/customers/{customer.pk}/").content.decode()
    )
    client.force_login(customer.people.get())
    assert "privacy.disclosure_recorded" not in client.get("/dashboard/").content.decode()
    assert "MPS/2026/4411" not in client.get("/dashboard/").content.decode()


def test_priv9_a_disclosure_may_concern_no_single_customer(test_clock):
    disclosure = record_disclosure(actor=dpo(), **REQUEST)
    assert disclosure.customer is None
    assert Event.objects.get(action="privacy.disclosure_recorded").customer is None


def test_priv9_only_the_dpo_records_a_disclosure(test_clock):
    customer = CustomerFactory()
    for role in (StaffRole.AGENT, StaffRole.SUPERVISOR, StaffRole.DIRECTOR, StaffRole.ENGINEER):
        with pytest.raises(PermissionDenied):
            record_disclosure(actor=staff_with_totp(staff_role=role), customer=customer, **REQUEST)
    with pytest.raises(PermissionDenied):
        record_disclosure(actor=manager().customer.people.get(), **REQUEST)
    assert not Disclosure.objects.exists() and not Event.objects.exists()


def test_priv9_each_missing_field_is_named_and_nothing_is_written(test_clock):
    blank = dict.fromkeys(("authority", "requester_name", "given", "legal_basis", "reference"), " ")
    with pytest.raises(ValidationError) as info:
        record_disclosure(
            actor=dpo(), **{**REQUEST, **blank, "disclosed_on": dt.date(2026, 12, 25)}
        )
    assert set(info.value.message_dict) == {*blank, "disclosed_on"}
    assert "future" in info.value.message_dict["disclosed_on"][0]
    assert not Disclosure.objects.exists()
    assert not Event.objects.filter(action="privacy.disclosure_recorded").exists()


def test_priv9_the_dpo_records_and_lists_disclosures_in_the_console(client, test_clock):
    customer = CustomerFactory(legal_name="Kestrel Design Ltd")
    client.force_login(dpo())
    form = client.get(f"/console/privacy/disclosures/new/?customer={customer.pk}")
    assert form.status_code == 200 and f'value="{customer.pk}"' in form.content.decode()

    data = {**REQUEST, "disclosed_on": "2026-11-24", "customer": customer.pk}
    bad = client.post("/console/privacy/disclosures/new/", {**data, "legal_basis": ""})
    assert bad.status_code == 400 and "legal_basis" in bad.context["form"].errors
    unknown = client.post("/console/privacy/disclosures/new/", {**data, "customer": 999999})
    assert unknown.status_code == 400 and "customer" in unknown.context["form"].errors
    future = client.post(
        "/console/privacy/disclosures/new/", {**data, "disclosed_on": "2027-01-01"}
    )
    assert future.status_code == 400 and "disclosed_on" in future.context["form"].errors
    assert not Disclosure.objects.exists()

    done = client.post("/console/privacy/disclosures/new/", data)
    assert done.status_code == 302 and done["Location"] == "/console/privacy/disclosures/"
    page = client.get("/console/privacy/disclosures/").content.decode()
    for text in ("Metropolitan Police Service", "DC Alex Harrow", "MPS/2026/4411", "Part 3"):
        assert text in page
    assert "Kestrel Design Ltd" in page
    assert Disclosure.objects.get().customer == customer

    fr = client.get("/fr/console/privacy/disclosures/").content.decode()
    assert "Communications aux autorités" in fr


def test_priv9_only_the_dpo_opens_the_disclosure_pages(client, test_clock):
    for role in (StaffRole.AGENT, StaffRole.DIRECTOR, StaffRole.BILLING):
        client.force_login(staff_with_totp(staff_role=role))
        assert client.get("/console/privacy/disclosures/").status_code == 403
        assert client.get("/console/privacy/disclosures/new/").status_code == 403
        post = client.post("/console/privacy/disclosures/new/", {**REQUEST})
        assert post.status_code == 403
    assert not Disclosure.objects.exists()
    client.force_login(dpo())
    assert "/console/privacy/disclosures/" in client.get("/console/").content.decode()
