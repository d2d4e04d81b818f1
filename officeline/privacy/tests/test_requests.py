"""PRIV-6, PRIV-7: privacy requests: received, verified, charged only on grounds, extended
within the first month, answered; made in the portal or recorded by staff; listed for the DPO."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from officeline.accounts.choices import StaffRole
from officeline.accounts.models import AccessLogEntry, OperatorMarket
from officeline.accounts.tests.factories import staff_with_totp
from officeline.events.models import Event
from officeline.notifications.models import OutboxMessage
from officeline.privacy.choices import (
    FeeGround,
    RequestChannel,
    RequestKind,
    RequestState,
    VerificationMethod,
)
from officeline.privacy.models import PrivacyRequest
from officeline.privacy.services import rights
from officeline.privacy.tests.factories import dpo, member, phone_request, portal_request
from officeline.support.tests.factories import manager

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are read in English; a page asked in French leaves French active."""
    with translation.override("en"):
        yield


LONDON = ZoneInfo("Europe/London")
PARIS = ZoneInfo("Europe/Paris")


def end_of(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59, 999999), tzinfo=tz)


def test_priv6_a_portal_request_is_due_one_month_after_receipt_and_verified_by_the_login(
    test_clock,
):
    person = manager().customer.people.get()
    request = portal_request(person)
    request.refresh_from_db()
    # Received Wednesday 25 November 2026: due at the end of 25 December, London time.
    assert request.received_at == test_clock.now()
    assert request.due_at == end_of(dt.date(2026, 12, 25), LONDON)
    assert request.answer_by == request.due_at
    assert (request.person, request.channel, request.kind) == (person, "portal", "access")
    # The login is the proof of identity: nothing more is asked of the person.
    assert request.state == RequestState.VERIFIED
    assert request.verification_method == VerificationMethod.PORTAL_LOGIN
    assert (request.verified_by, request.verified_at) == (person, test_clock.now())
    assert request.fee_minor == 0 and not request.more_proof_asked_at
    actions = list(
        Event.objects.filter(
            subject_type="privacy.privacyrequest", subject_id=str(request.pk)
        ).values_list("action", "customer_visible")
    )
    assert actions == [
        ("privacy.request_received", False),
        ("privacy.request_identity_verified", False),
    ]
    receipt = OutboxMessage.objects.get(kind="privacy.request_received")
    assert receipt.to == person.email and request.reference in receipt.subject
    assert "25 December 2026" in receipt.body_text


def test_priv6_the_month_ends_on_the_last_day_of_a_shorter_month_in_the_markets_time(test_clock):
    test_clock.set(dt.datetime(2027, 1, 31, 23, 30, tzinfo=dt.UTC))  # 00:30 on 1 February in Paris
    person = manager("fr").customer.people.get()
    request = portal_request(person)
    assert request.due_at == end_of(dt.date(2027, 3, 1), PARIS)
    test_clock.set(dt.datetime(2027, 1, 31, 12, 0, tzinfo=dt.UTC))
    assert portal_request(person).due_at == end_of(dt.date(2027, 2, 28), PARIS)


def test_priv6_a_request_for_someone_elses_data_is_refused_with_a_clear_error(client, test_clock):
    office_manager = manager().customer.people.get()
    colleague = member(office_manager.customer)
    with pytest.raises(ValidationError) as info:
        rights.receive_request(
            customer=office_manager.customer,
            person=colleague,
            actor=office_manager,
            kind=RequestKind.ACCESS,
            channel=RequestChannel.PORTAL,
        )
    assert "your own personal data" in info.value.message_dict["person"][0]
    # A person of another customer cannot be named by staff either.
    stranger = manager().customer.people.get()
    with pytest.raises(ValidationError) as info:
        phone_request_for(office_manager.customer, stranger)
    assert "not one of this customer's people" in info.value.message_dict["person"][0]

    client.force_login(office_manager)
    page = client.post(
        "/privacy/requests/", {"kind": "access", "about": colleague.email, "details": ""}
    )
    assert page.status_code == 400
    assert "your own personal data" in page.context["form"].errors["about"][0]
    french = client.post(
        "/fr/privacy/requests/", {"kind": "access", "about": colleague.email, "details": ""}
    )
    assert "vos propres données" in french.content.decode()
    assert not PrivacyRequest.objects.exists()
    assert not Event.objects.filter(action__startswith="privacy.request").exists()


def phone_request_for(customer, person):
    return rights.receive_request(
        customer=customer,
        person=person,
        actor=staff_with_totp(staff_role=StaffRole.AGENT),
        kind=RequestKind.ACCESS,
        channel=RequestChannel.STAFF,
    )


def test_priv6_a_person_asks_in_the_portal_and_sees_their_requests(client, test_clock):
    office_manager = manager().customer.people.get()
    colleague = member(office_manager.customer)
    client.force_login(colleague)
    page = client.get("/privacy/requests/")
    assert page.status_code == 200 and f'value="{colleague.email}"' in page.content.decode()
    bad = client.post("/privacy/requests/", {"kind": "copy", "about": colleague.email})
    assert bad.status_code == 400 and "kind" in bad.context["form"].errors
    done = client.post("/privacy/requests/", {"kind": "access", "about": colleague.email})
    assert done.status_code == 302
    request = PrivacyRequest.objects.get()
    assert request.person == colleague and request.customer == office_manager.customer
    listing = client.get("/privacy/requests/").content.decode()
    assert request.reference in listing
    # Another person of the same business does not see it.
    client.force_login(office_manager)
    assert request.reference not in client.get("/privacy/requests/").content.decode()
    assert client.get("/fr/privacy/requests/").status_code == 200


def test_priv6_staff_record_a_phone_request_and_the_dpo_verifies_and_answers_it(test_clock):
    person = manager().customer.people.get()
    agent = staff_with_totp(staff_role=StaffRole.AGENT)
    request = phone_request(person, actor=agent)
    assert request.state == RequestState.RECEIVED and request.recorded_by == agent
    officer = dpo()
    # The answer waits for the identity.
    with pytest.raises(ValidationError) as info:
        rights.complete(request=request, actor=officer, outcome="Sent the copy by email.")
    assert "Verify" in info.value.message_dict["state"][0]
    with pytest.raises(PermissionDenied):
        rights.verify_identity(request=request, actor=agent, method="email_on_file")
    with pytest.raises(ValidationError) as info:
        rights.verify_identity(request=request, actor=officer, method="portal_login")
    assert "method" in info.value.message_dict
    test_clock.advance(dt.timedelta(hours=2))
    rights.verify_identity(
        request=request, actor=officer, method="callback_on_file", notes="Called +442079460999"
    )
    request.refresh_from_db()
    assert (request.state, request.verification_method) == ("verified", "callback_on_file")
    assert (request.verified_by, request.verified_at) == (officer, test_clock.now())
    rights.complete(request=request, actor=officer, outcome="Sent the copy by email.")
    request.refresh_from_db()
    assert request.state == RequestState.COMPLETED and request.completed_by == officer
    assert list(
        Event.objects.filter(
            subject_type="privacy.privacyrequest", subject_id=str(request.pk)
        ).values_list("action", flat=True)
    ) == [
        "privacy.request_received",
        "privacy.request_identity_verified",
        "privacy.request_completed",
    ]
    with pytest.raises(ValidationError):
        rights.complete(request=request, actor=officer, outcome="Sent the copy again.")


def test_priv6_a_ticket_request_names_a_ticket_of_the_customer(test_clock):
    from officeline.support.tests.factories import complaint

    person = manager().customer.people.get()
    ticket = complaint(person).ticket
    agent = staff_with_totp(staff_role=StaffRole.AGENT)
    with pytest.raises(ValidationError) as info:
        rights.receive_request(
            customer=person.customer,
            person=person,
            actor=agent,
            kind="access",
            channel="ticket",
            ticket_reference="T-NOPE",
        )
    assert "ticket_reference" in info.value.message_dict
    request = rights.receive_request(
        customer=person.customer,
        person=person,
        actor=agent,
        kind="access",
        channel="ticket",
        ticket_reference=ticket.reference.lower(),
    )
    assert request.ticket_reference == ticket.reference
    # People do not record staff channels, and staff do not pose as the portal.
    with pytest.raises(ValidationError) as info:
        rights.receive_request(
            customer=person.customer, person=person, actor=person, kind="access", channel="staff"
        )
    assert "channel" in info.value.message_dict


def test_priv6_more_proof_is_asked_only_for_a_recorded_reasonable_doubt(test_clock):
    request = phone_request(manager().customer.people.get())
    officer = dpo()
    with pytest.raises(ValidationError) as info:
        rights.verify_identity(request=request, actor=officer, method="document")
    assert "reasonable doubt" in info.value.message_dict["method"][0]
    with pytest.raises(ValidationError) as info:
        rights.ask_for_more_proof(request=request, actor=officer, doubt="unsure")
    assert "doubt" in info.value.message_dict
    request.refresh_from_db()
    assert request.state == RequestState.RECEIVED and not request.doubt
    rights.ask_for_more_proof(
        request=request,
        actor=officer,
        doubt="Caller's number is not on file and the voice did not match the contact.",
    )
    request.refresh_from_db()
    assert request.state == RequestState.AWAITING_PROOF and request.more_proof_asked_by == officer
    rights.verify_identity(request=request, actor=officer, method="document", notes="Passport")
    request.refresh_from_db()
    assert request.state == RequestState.VERIFIED
    assert request.verification_method == VerificationMethod.DOCUMENT


def test_priv6_no_fee_by_default_and_only_on_a_recorded_ground(test_clock):
    person = manager().customer.people.get()
    officer = dpo()
    request = portal_request(person)
    assert rights.fee_for("uk") == rights.fee_for("fr") == 0
    with pytest.raises(ValidationError) as info:
        rights.charge_fee(
            request=request, actor=officer, ground="excessive", reason="Asked for every hour."
        )
    assert "charges no fee" in info.value.message_dict["fee"][0]

    OperatorMarket.objects.filter(market="uk").update(parameters={rights.FEE_PARAMETER: 1000})
    with pytest.raises(ValidationError) as info:
        rights.charge_fee(request=request, actor=officer, ground="ordinary", reason="Because.")
    assert {"ground", "reason"} <= set(info.value.message_dict)
    with pytest.raises(ValidationError) as info:
        rights.charge_fee(
            request=request, actor=officer, ground="repeated", reason="Asked twice this year."
        )
    assert "Not a repeated request" in info.value.message_dict["ground"][0]
    request.refresh_from_db()
    assert request.fee_minor == 0

    test_clock.advance(dt.timedelta(days=40))
    again = portal_request(person)
    rights.charge_fee(
        request=again,
        actor=officer,
        ground=FeeGround.REPEATED,
        reason="Same copy asked in November.",
    )
    again.refresh_from_db()
    assert (again.fee_minor, again.fee_currency, again.fee_ground) == (1000, "GBP", "repeated")
    assert again.fee_set_by == officer and again.fee_reason == "Same copy asked in November."
    assert Event.objects.filter(action="privacy.request_fee_charged").count() == 1


def test_priv6_an_extension_is_decided_within_the_first_month_and_its_reason_emailed_in_french(
    test_clock,
):
    person = manager("fr").customer.people.get()
    assert person.language == "fr"
    request = portal_request(person)
    officer = dpo()
    with pytest.raises(ValidationError):
        rights.extend(request=request, actor=officer, reason="long")
    test_clock.set(dt.datetime(2026, 12, 25, 22, 0, tzinfo=dt.UTC))  # 23:00 on the due day in Paris
    rights.extend(
        request=request,
        actor=officer,
        reason="Vos données sont réparties sur trois systèmes d'archives.",
    )
    request.refresh_from_db()
    assert request.due_at == end_of(dt.date(2026, 12, 25), PARIS)
    assert request.answer_by == end_of(dt.date(2027, 2, 25), PARIS)
    assert request.extended_by == officer
    email = OutboxMessage.objects.get(kind="privacy.request_extended")
    assert email.to == person.email and email.language == "fr"
    assert "trois systèmes" in email.body_text
    assert "25 février 2027" in email.body_text and "plus de temps" in email.subject
    with pytest.raises(ValidationError) as info:
        rights.extend(request=request, actor=officer, reason="Still more archives to read.")
    assert "extended already" in info.value.message_dict["state"][0]

    late = portal_request(person)
    test_clock.set(dt.datetime(2027, 1, 25, 23, 0, tzinfo=dt.UTC))  # 26 January in Paris
    with pytest.raises(ValidationError) as info:
        rights.extend(request=late, actor=officer, reason="Three archive systems to search.")
    assert "within the first month" in info.value.message_dict["state"][0]
    late.refresh_from_db()
    assert late.extended_at is None and late.answer_by == late.due_at
    assert OutboxMessage.objects.filter(kind="privacy.request_extended").count() == 1


def test_priv6_the_dpo_sees_open_requests_by_deadline_with_late_ones_flagged(client, test_clock):
    first = portal_request(manager().customer.people.get())
    test_clock.advance(dt.timedelta(days=20))
    second = phone_request(manager("fr").customer.people.get())
    done = portal_request(manager().customer.people.get())
    rights.complete(request=done, actor=dpo(), outcome="Copy sent by email.")
    test_clock.advance(dt.timedelta(days=15))  # the first is past its month

    client.force_login(dpo())
    page = client.get("/console/privacy/requests/")
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [row["request"] for row in rows] == [first, second]
    assert [row["late"] for row in rows] == [True, False]
    html = page.content.decode()
    assert html.index(first.reference) < html.index(second.reference)
    assert done.reference not in html and 'class="late"' in html
    assert "/console/privacy/requests/" in client.get("/console/").content.decode()
    for role in (StaffRole.AGENT, StaffRole.SUPERVISOR):
        client.force_login(staff_with_totp(staff_role=role))
        assert client.get("/console/privacy/requests/").status_code == 403
        assert client.get(f"/console/privacy/requests/{first.pk}/").status_code == 403


def test_priv6_the_dpo_opens_a_request_logged_and_acts_on_it_in_the_console(client, test_clock):
    person = manager().customer.people.get()
    officer = dpo()
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    form = client.get(f"/console/customers/{person.customer_id}/privacy-requests/new/")
    assert form.status_code == 200 and person.email in form.content.decode()
    bad = client.post(
        f"/console/customers/{person.customer_id}/privacy-requests/new/",
        {"person": person.pk, "kind": "access", "channel": "ticket", "ticket_reference": "T-0"},
    )
    assert bad.status_code == 400 and "ticket_reference" in bad.context["form"].errors
    made = client.post(
        f"/console/customers/{person.customer_id}/privacy-requests/new/",
        {"person": person.pk, "kind": "access", "channel": "staff"},
    )
    assert made.status_code == 302
    request = PrivacyRequest.objects.get()
    assert request.channel == "staff" and request.state == "received"

    client.force_login(officer)
    AccessLogEntry.objects.all().delete()
    page = client.get(f"/console/privacy/requests/{request.pk}/")
    assert page.status_code == 200 and request.reference in page.content.decode()
    entry = AccessLogEntry.objects.get()
    assert (entry.customer, entry.staff_user, entry.kind) == (
        person.customer,
        officer,
        "personal_data",
    )
    url = f"/console/privacy/requests/{request.pk}/"
    client.post(url + "complete/", {"outcome": "Sent."})
    request.refresh_from_db()
    assert request.state == "received"
    client.post(url + "verify/", {"method": "email_on_file", "notes": "Replied from the address"})
    client.post(url + "extend/", {"reason": "Records spread over two archive systems."})
    client.post(url + "complete/", {"outcome": "Copy of the data sent by email."})
    request.refresh_from_db()
    assert request.state == "completed" and request.extended_at is not None
    assert request.verification_method == "email_on_file"
    assert client.post(url + "nonsense/", {}).status_code == 404
