"""PRIV-6, PRIV-7: a person's own access, rectification and erasure requests through the API."""

from __future__ import annotations

import datetime as dt

import pytest

from officeline.accounts.tests.factories import client_for
from officeline.notifications.models import OutboxMessage
from officeline.privacy.models import PrivacyRequest
from officeline.privacy.tests.factories import dpo, member
from officeline.support.tests.factories import manager

pytestmark = pytest.mark.django_db

URL = "/api/v1/privacy-requests/"


def test_priv6_a_person_asks_for_a_copy_of_their_data_through_the_api(test_clock):
    person = manager("uk")
    api = client_for(person)
    response = api.post(URL, {"kind": "access"}, format="json")
    assert response.status_code == 201
    body = response.json()
    request = PrivacyRequest.objects.get()
    assert (request.person, request.channel, request.state) == (person, "api", "verified")
    assert request.verification_method == "portal_login"  # their own login verifies them
    assert body["reference"] == request.reference and body["state"] == "verified"
    # PRIV-6: due one month after receipt (the test clock is on 25 November 2026).
    assert body["answer_by"].startswith("2026-12-25")
    assert OutboxMessage.objects.filter(to=person.email).exists()  # the receipt
    assert [r["reference"] for r in api.get(URL).json()] == [request.reference]
    assert api.get(f"{URL}{request.reference}/").json()["kind"] == "access"


@pytest.mark.parametrize("kind", ["rectification", "erasure"])
def test_priv7_a_correction_or_a_deletion_says_what_is_asked(test_clock, kind):
    api = client_for(manager("fr"))
    response = api.post(URL, {"kind": kind}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "details"
    assert not PrivacyRequest.objects.exists()
    response = api.post(URL, {"kind": kind, "details": "My name is misspelt."}, format="json")
    assert response.status_code == 201 and response.json()["kind"] == kind


def test_priv6_bad_requests_get_a_clear_error_and_record_nothing(test_clock):
    api = client_for(manager("uk"))
    response = api.post(URL, {"kind": "everything"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert response.json()["message"].startswith("kind:")
    response = api.post(URL, {"kind": "access", "details": "x" * 5001}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "details"
    assert not PrivacyRequest.objects.exists()
    anonymous = client_for(manager("uk"))
    anonymous.credentials()
    assert anonymous.get(URL).status_code in (401, 403)


def test_priv6_a_person_sees_only_their_own_requests_and_staff_use_the_console(test_clock):
    office_manager = manager("uk")
    colleague = member(office_manager.customer)
    client_for(colleague).post(URL, {"kind": "access"}, format="json")
    theirs = PrivacyRequest.objects.get()
    api = client_for(office_manager)
    assert api.get(URL).json() == []  # not even the Office Manager sees a colleague's
    assert api.get(f"{URL}{theirs.reference}/").status_code == 404
    staff = client_for(dpo())
    response = staff.post(URL, {"kind": "access"}, format="json")
    assert response.status_code == 403 and "for customers" in response.json()["message"]
    test_clock.advance(dt.timedelta(days=1))
    assert PrivacyRequest.objects.count() == 1
