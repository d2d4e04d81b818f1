"""PRIV-7: a person corrects their own details in the portal; requests to correct or delete are
tracked like access requests; erasure anonymises what no law or legal hold keeps and records
what it did."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from officeline.accounts.choices import CustomerStatus
from officeline.accounts.models import User
from officeline.events.models import Event
from officeline.notifications.models import OutboxMessage
from officeline.privacy.choices import RequestKind, RequestState
from officeline.privacy.models import CookieChoice, MarketingConsent
from officeline.privacy.services import rights
from officeline.privacy.services.consents import set_marketing_preferences
from officeline.privacy.services.cookie_choices import record_cookie_choice
from officeline.privacy.services.disclosures import record_disclosure
from officeline.privacy.tests.factories import dpo, member, portal_request
from officeline.support.models import Ticket
from officeline.support.services import tickets as support
from officeline.support.tests.factories import manager
from officeline.usage.models import CallRecord

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_priv7_a_person_corrects_their_own_name_and_language_in_the_portal(client, test_clock):
    office_manager = manager().customer.people.get()
    colleague = member(office_manager.customer, full_name="Robin Colegue", language="en")
    client.force_login(colleague)
    page = client.get("/account/")
    assert page.status_code == 200 and 'value="Robin Colegue"' in page.text
    assert "/account/me/" in page.text

    bad = client.post("/account/me/", {"full_name": "  ", "language": "de"}, follow=True)
    colleague.refresh_from_db()
    assert colleague.full_name == "Robin Colegue" and colleague.language == "en"
    assert "Your name: This field is required." in bad.text and "Your language:" in bad.text

    done = client.post("/account/me/", {"full_name": "Robin Colleague", "language": "fr"})
    assert done.status_code == 302
    colleague.refresh_from_db()
    assert (colleague.full_name, colleague.language) == ("Robin Colleague", "fr")
    event = Event.objects.get(action="privacy.own_details_corrected")
    assert event.before == {"full_name": "Robin Colegue", "language": "en"}
    assert event.after == {"full_name": "Robin Colleague", "language": "fr"}
    assert event.actor == colleague
    assert "Vos propres coordonnées" in client.get("/fr/account/").text

    # Nobody corrects someone else's details, not even the Office Manager.
    with pytest.raises(PermissionDenied):
        rights.correct_own_details(
            person=colleague, actor=office_manager, changes={"full_name": "Someone Else"}
        )
    with pytest.raises(ValidationError) as info:
        rights.correct_own_details(person=colleague, actor=colleague, changes={"email": "x@y.z"})
    assert "email" in info.value.message_dict
    colleague.refresh_from_db()
    assert colleague.full_name == "Robin Colleague"


def test_priv7_requests_to_correct_or_delete_are_tracked_like_access_requests(client, test_clock):
    person = manager().customer.people.get()
    with pytest.raises(ValidationError) as info:
        portal_request(person, kind=RequestKind.RECTIFICATION)
    assert "corrected" in info.value.message_dict["details"][0]
    with pytest.raises(ValidationError) as info:
        portal_request(person, kind=RequestKind.ERASURE)
    assert "deleted" in info.value.message_dict["details"][0]

    client.force_login(person)
    made = client.post(
        "/privacy/requests/",
        {"kind": "rectification", "about": person.email, "details": "My billing address is old."},
    )
    assert made.status_code == 302
    request = person.privacy_requests.get()
    assert request.kind == RequestKind.RECTIFICATION
    assert request.due_at == dt.datetime(2026, 12, 25, 23, 59, 59, 999999, tzinfo=dt.UTC)
    officer = dpo()
    rights.extend(request=request, actor=officer, reason="Address held in three systems.")
    rights.complete(request=request, actor=officer, outcome="Billing address corrected.")
    request.refresh_from_db()
    assert request.state == RequestState.COMPLETED

    erasure = portal_request(person, kind=RequestKind.ERASURE, details="Everything.")
    with pytest.raises(ValidationError) as info:
        rights.complete(request=erasure, actor=officer, outcome="Deleted it all by hand.")
    assert "erase step" in info.value.message_dict["kind"][0]
    listing = client.get("/privacy/requests/").text
    assert request.reference in listing and erasure.reference in listing


def erasable_member(test_clock):
    office_manager = manager().customer.people.get()
    customer = office_manager.customer
    colleague = member(customer, email="robin@kestrel.test", full_name="Robin Colleague")
    set_marketing_preferences(person=colleague, actor=colleague, preferences={"email": True})
    record_cookie_choice(choice="performance", anonymous_id="b" * 32, user=colleague)
    support.raise_ticket(
        customer=customer,
        actor=colleague,
        subject="Robin's handset",
        description="It buzzes.",
        category="technical",
        channel="portal",
    )
    CallRecord.objects.create(
        call_id="kept-1",
        customer=customer,
        direction="outbound",
        from_number="+442079460701",
        to_number="+447700900123",
        destination_type="mobile",
        started_at=dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC),
        duration_seconds=60,
        disposition="answered",
    )
    return office_manager, colleague


def test_priv7_erasure_anonymises_what_no_law_keeps_and_records_what_it_did(test_clock):
    _office_manager, colleague = erasable_member(test_clock)
    rights.correct_own_details(
        person=colleague, actor=colleague, changes={"full_name": "Robin Q. Colleague"}
    )
    request = portal_request(colleague, kind=RequestKind.ERASURE, details="Everything about me.")
    officer = dpo()
    rights.erase(request=request, actor=officer)

    colleague.refresh_from_db()
    assert colleague.email == f"erased-{colleague.pk}@erased.invalid"
    assert colleague.full_name == "" and not colleague.is_active
    assert not colleague.has_usable_password()
    assert not User.objects.filter(email="robin@kestrel.test").exists()
    assert not MarketingConsent.objects.filter(person=colleague).exists()
    assert CookieChoice.objects.filter(anonymous_id="b" * 32, user=None).exists()
    assert not Event.objects.filter(actor_label="robin@kestrel.test").exists()
    corrected = Event.objects.get(action="privacy.own_details_corrected")
    assert corrected.before is None and corrected.after is None
    # What the law keeps stays: the business's ticket, its traffic data.
    assert Ticket.objects.get(subject="Robin's handset").raised_by == colleague
    assert CallRecord.objects.filter(call_id="kept-1", to_number="+447700900123").exists()

    request.refresh_from_db()
    assert request.state == RequestState.COMPLETED and request.completed_by == officer
    assert "marketing_consents 1" in request.outcome and "call_records 1" in request.outcome
    event = Event.objects.get(action="privacy.request_erasure_done")
    assert event.data["erased"]["login"] == 1 and event.data["kept"]["tickets"] == 1
    assert event.data["held"] is False
    # The answer goes to the address as it was, before the erasure.
    answer = OutboxMessage.objects.get(kind="privacy.request_completed")
    assert answer.to == "robin@kestrel.test" and "Robin Q. Colleague" in answer.body_text
    assert "Kept" in answer.body_text


def test_priv7_a_customer_with_a_recorded_disclosure_is_not_erased(test_clock):
    _office_manager, colleague = erasable_member(test_clock)
    record_disclosure(
        actor=dpo(),
        customer=colleague.customer,
        authority="Metropolitan Police Service",
        requester_name="DC Alex Harrow",
        given="Call records, November 2026.",
        legal_basis="Investigatory Powers Act 2016",
        reference="MPS/2026/4411",
        disclosed_on=dt.date(2026, 11, 24),
    )
    request = portal_request(colleague, kind=RequestKind.ERASURE, details="Everything.")
    rights.erase(request=request, actor=dpo())
    colleague.refresh_from_db()
    assert colleague.email == "robin@kestrel.test" and colleague.is_active
    assert MarketingConsent.objects.filter(person=colleague).exists()
    request.refresh_from_db()
    assert request.state == RequestState.COMPLETED
    assert request.outcome.startswith("Not erased") and "disclosure" in request.outcome
    assert Event.objects.get(action="privacy.request_erasure_done").data["held"] is True


def test_priv7_the_office_manager_of_a_live_account_is_not_erased_until_it_ends(test_clock):
    office_manager = manager("fr").customer.people.get()
    request = portal_request(office_manager, kind=RequestKind.ERASURE, details="Tout.")
    rights.erase(request=request, actor=dpo())
    office_manager.refresh_from_db()
    assert office_manager.is_active and office_manager.full_name == "Pat Person"
    request.refresh_from_db()
    # The answer is in the requester's language.
    assert request.outcome.startswith("Non effacé")

    customer = office_manager.customer
    customer.status = CustomerStatus.TERMINATED
    customer.save(update_fields=["status"])
    again = portal_request(office_manager, kind=RequestKind.ERASURE, details="Tout.")
    with pytest.raises(PermissionDenied):
        rights.erase(request=again, actor=office_manager)  # not staff
    rights.erase(request=again, actor=dpo())
    office_manager.refresh_from_db()
    assert not office_manager.is_active and office_manager.full_name == ""
    again.refresh_from_db()
    assert again.outcome.startswith("Effacé") and again.state == RequestState.COMPLETED


def test_priv7_a_legal_hold_in_force_keeps_everything_from_erasure(test_clock):
    from officeline.privacy.services.legal_holds import place_legal_hold, release_legal_hold

    _office_manager, colleague = erasable_member(test_clock)
    officer = dpo()
    hold = place_legal_hold(
        actor=officer, customer=colleague.customer, reason="Dispute over the March invoice"
    )
    request = portal_request(colleague, kind=RequestKind.ERASURE, details="Everything.")
    rights.erase(request=request, actor=officer)
    colleague.refresh_from_db()
    assert colleague.is_active and colleague.email == "robin@kestrel.test"
    request.refresh_from_db()
    assert "Dispute over the March invoice" in request.outcome

    release_legal_hold(actor=officer, hold=hold, reason="The dispute is settled.")
    again = portal_request(colleague, kind=RequestKind.ERASURE, details="Everything.")
    rights.erase(request=again, actor=officer)
    colleague.refresh_from_db()
    assert not colleague.is_active and colleague.email.endswith("@erased.invalid")
