"""PRIV-6: the copy of a person's data: built by the worker, one zip of JSON and CSV with the
invoices' PDFs, holding the requester's data and nobody else's, downloaded once through an
expiring signed link."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from officeline.billing.models import Invoice
from officeline.billing.tests.factories import give_card, new_line
from officeline.events.models import Event
from officeline.notifications.models import OutboxMessage
from officeline.privacy.choices import RequestKind, RequestState
from officeline.privacy.models import DataExport
from officeline.privacy.services import export_requests
from officeline.privacy.services.consents import set_marketing_preferences
from officeline.privacy.services.cookie_choices import record_cookie_choice
from officeline.privacy.tests.factories import dpo, member, phone_request, portal_request
from officeline.support.services import tickets as support
from officeline.support.tests.factories import manager
from officeline.usage.models import CallRecord
from officeline.usage.tests.factories import voicemail, wav_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def call(customer, call_id: str, to_number: str) -> CallRecord:
    return CallRecord.objects.create(
        call_id=call_id,
        customer=customer,
        direction="outbound",
        from_number="+442079460701",
        to_number=to_number,
        destination_type="mobile",
        started_at=dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC),
        ended_at=dt.datetime(2026, 11, 20, 9, 31, 5, tzinfo=dt.UTC),
        duration_seconds=65,
        disposition="answered",
    )


def ticket(person, subject: str):
    return support.raise_ticket(
        customer=person.customer,
        actor=person,
        subject=subject,
        description=f"{subject}: details.",
        category="technical",
        channel="portal",
        is_complaint=True,
    )


@pytest.fixture
def two_businesses(test_clock, settings, tmp_path):
    """Kestrel (an Office Manager and a member, a line with an invoice, calls and a voicemail)
    and Osprey."""
    settings.MEDIA_ROOT = tmp_path / "media"
    office_manager = manager(legal_name="Kestrel Design Ltd")
    kestrel = office_manager.customer
    colleague = member(kestrel, email="colleague@kestrel.test", full_name="Robin Colleague")
    give_card(kestrel)
    kestrel_line = new_line(kestrel)
    test_clock.advance(dt.timedelta(days=7))  # the line's first invoice
    assert Invoice.objects.filter(customer=kestrel).exists()
    call(kestrel, "kestrel-1", "+447700900123")
    voicemail(kestrel_line, received_at=test_clock.now(), caller="+447700900124", seconds=2)
    ticket(office_manager, "Handset buzzes on line two")
    ticket(colleague, "Robin private matter")
    set_marketing_preferences(
        person=office_manager, actor=office_manager, preferences={"email": True}
    )
    record_cookie_choice(choice="performance", anonymous_id="a" * 32, user=office_manager)

    other = manager(legal_name="Osprey Partners Ltd", email="office@osprey.test")
    call(other.customer, "osprey-1", "+447700900999")
    voicemail(new_line(other.customer), received_at=test_clock.now(), caller="+447700900998")
    ticket(other, "Osprey fax trouble")
    return office_manager, colleague, other


def export_of(request, officer, capture):
    with capture(execute=True):
        export_requests.send_export(request=request, actor=officer)
    return DataExport.objects.get(request=request)


def link_in(message: OutboxMessage) -> str:
    match = re.search(r"https?://\S+/privacy/export/(\S+)/", message.body_text)
    assert match, message.body_text
    return f"/privacy/export/{match.group(1)}/"


def archive(content: bytes) -> dict[str, str | bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as zipped:
        return {
            name: zipped.read(name)
            if name.endswith((".pdf", ".wav"))
            else zipped.read(name).decode()
            for name in zipped.namelist()
        }


def test_priv6_the_archive_holds_the_requesters_data_and_no_one_elses(
    client, two_businesses, django_capture_on_commit_callbacks
):
    office_manager, colleague, other = two_businesses
    officer = dpo()
    request = portal_request(office_manager)
    export_of(request, officer, django_capture_on_commit_callbacks)
    request.refresh_from_db()
    assert request.state == RequestState.COMPLETED and request.completed_by == officer
    email = OutboxMessage.objects.get(kind="privacy.request_completed")
    assert email.to == office_manager.email

    client.force_login(office_manager)
    page = client.get(link_in(email))
    assert page.status_code == 200 and "Download my data" in page.text
    download = client.post(link_in(email))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    files = archive(download.content)
    text = "\n".join(v for v in files.values() if isinstance(v, str))

    for name in (
        "person",
        "account",
        "marketing_consents",
        "cookie_choices",
        "tickets",
        "complaints",
        "call_records",
        "invoices",
        "voicemails",
        "privacy_requests",
    ):
        assert f"{name}.json" in files and f"{name}.csv" in files, name
    person = json.loads(files["person.json"])
    assert person[0]["email"] == office_manager.email
    assert json.loads(files["account.json"])[0]["legal_name"] == "Kestrel Design Ltd"
    assert json.loads(files["marketing_consents.json"])[0]["given"] is True
    assert json.loads(files["cookie_choices.json"])[0]["choice"] == "performance"
    assert "Handset buzzes on line two" in files["tickets.csv"]
    assert request.reference in files["privacy_requests.json"]
    # The other party's number stays: the customer's own traffic data.
    assert "+447700900123" in files["call_records.csv"]
    invoice = Invoice.objects.get(customer=office_manager.customer)
    assert files[f"invoices/{invoice.number}.pdf"][:5] == b"%PDF-"
    # PRIV-6: each voicemail's details, and its recording beside them.
    (message,) = json.loads(files["voicemails.json"])
    assert message["caller"] == "+447700900124" and message["duration_seconds"] == 2
    assert message["line"] == office_manager.customer.lines.get().number.e164
    recording = files[message["audio_file"]]
    assert isinstance(recording, bytes) and recording == wav_bytes(2)
    assert [n for n in files if n.startswith("voicemails/")] == [message["audio_file"]]
    assert invoice.number in files["invoices.csv"]

    # Nobody else's data: not the colleague's ticket, not another customer, not our staff.
    for withheld in (
        "Robin private matter",
        colleague.email,
        "Osprey",
        other.email,
        "+447700900999",
        "+447700900998",
        officer.email,
        "pbkdf2",
    ):
        assert withheld not in text, withheld
    assert "Withheld" in files["README.txt"]


def test_priv6_a_members_archive_has_their_own_data_not_the_businesss_records(
    two_businesses, django_capture_on_commit_callbacks
):
    _office_manager, colleague, _other = two_businesses
    request = portal_request(colleague)
    export = export_of(request, dpo(), django_capture_on_commit_callbacks)
    files = archive(bytes(export.archive))
    assert "Robin private matter" in files["tickets.csv"]
    assert "Handset buzzes" not in "".join(v for v in files.values() if isinstance(v, str))
    business = {"account.json", "call_records.json", "invoices.json", "voicemails.json"}
    assert not business & set(files)
    assert not any(name.startswith("voicemails/") for name in files)
    assert json.loads(files["person.json"])[0]["business"] == "Kestrel Design Ltd"


def test_priv6_the_link_works_once_and_a_second_use_changes_nothing(
    client, two_businesses, django_capture_on_commit_callbacks
):
    office_manager, _colleague, _other = two_businesses
    export_of(portal_request(office_manager), dpo(), django_capture_on_commit_callbacks)
    link = link_in(OutboxMessage.objects.get(kind="privacy.request_completed"))
    client.force_login(office_manager)
    assert client.post(link).status_code == 200
    export = DataExport.objects.get()
    assert export.downloaded_at is not None and bytes(export.archive) == b""
    events = Event.objects.filter(action="privacy.export_downloaded").count()
    assert events == 1
    again = client.post(link)
    assert again.status_code == 400 and "used already" in again.text
    assert client.get(link).status_code == 400
    export.refresh_from_db()
    assert Event.objects.filter(action="privacy.export_downloaded").count() == events


def test_priv6_an_expired_or_forged_link_is_refused_and_changes_nothing(
    client, test_clock, two_businesses, django_capture_on_commit_callbacks
):
    office_manager, _colleague, _other = two_businesses
    export = export_of(portal_request(office_manager), dpo(), django_capture_on_commit_callbacks)
    link = link_in(OutboxMessage.objects.get(kind="privacy.request_completed"))
    client.force_login(office_manager)
    forged = link.replace("/privacy/export/", "/privacy/export/x")
    refused = client.post(forged)
    assert refused.status_code == 400 and "not valid" in refused.text
    french = client.post("/fr" + forged)
    assert "pas valide" in french.text

    test_clock.set(export.expires_at + dt.timedelta(seconds=1))
    expired = client.post(link)
    assert expired.status_code == 400 and "expired" in expired.text
    export.refresh_from_db()
    assert export.downloaded_at is None and bytes(export.archive)[:2] == b"PK"
    assert not Event.objects.filter(action="privacy.export_downloaded").exists()
    # The next tick empties an archive whose link has expired.
    test_clock.advance(dt.timedelta(minutes=1))
    export.refresh_from_db()
    assert bytes(export.archive) == b"" and export.emptied_at is not None
    assert export.downloaded_at is None


def test_priv6_only_a_verified_access_request_is_answered_with_an_export(
    two_businesses, django_capture_on_commit_callbacks
):
    office_manager, _colleague, _other = two_businesses
    officer = dpo()
    unverified = phone_request(office_manager)
    with pytest.raises(ValidationError) as info:
        export_requests.send_export(request=unverified, actor=officer)
    assert "Verify" in info.value.message_dict["state"][0]
    rectification = portal_request(
        office_manager, kind=RequestKind.RECTIFICATION, details="My name is spelt wrong."
    )
    with pytest.raises(ValidationError) as info:
        export_requests.send_export(request=rectification, actor=officer)
    assert "kind" in info.value.message_dict
    assert not DataExport.objects.exists()

    # The console's step queues the worker, which answers the request once.
    request = portal_request(office_manager)
    export_of(request, officer, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        export_requests.send_export(request=request, actor=officer)
    assert DataExport.objects.count() == 1


def test_priv6_the_link_asks_for_the_requesters_login_and_gives_nothing_to_anyone_else(
    client, two_businesses, django_capture_on_commit_callbacks
):
    office_manager, colleague, other = two_businesses
    export = export_of(portal_request(office_manager), dpo(), django_capture_on_commit_callbacks)
    link = link_in(OutboxMessage.objects.get(kind="privacy.request_completed"))

    # Anyone holding the link (a forwarded email, a mail scanner) is sent to log in first.
    for anonymous in (client.get(link), client.post(link)):
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/accounts/login/")
    # A colleague of the same business, or someone of another, finds nothing there.
    for intruder in (colleague, other):
        client.force_login(intruder)
        assert client.get(link).status_code == 404
        assert client.post(link).status_code == 404
    export.refresh_from_db()
    assert export.downloaded_at is None and bytes(export.archive)[:2] == b"PK"
    assert not Event.objects.filter(action="privacy.export_downloaded").exists()

    client.force_login(office_manager)
    page = client.get(link)
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    download = client.post(link)
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert download["Cache-Control"] == "no-store"
    assert download.content[:2] == b"PK"
