"""PRIV-4: marketing only with consent given at registration (never pre-ticked), per channel;
opt-out by the one-click unsubscribe link of every marketing email or by replying STOP."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from officeline import clock
from officeline.accounts.tests.factories import OfficeManagerFactory, StaffFactory
from officeline.documents.services import publish_catalogue
from officeline.events.models import Event
from officeline.notifications.choices import OutboxStatus
from officeline.notifications.delivery import deliver_pending
from officeline.notifications.models import OutboxMessage
from officeline.privacy.choices import ConsentMethod, InboundSmsOutcome
from officeline.privacy.models import InboundSms, MarketingConsent
from officeline.privacy.selectors import has_marketing_consent, marketing_preferences
from officeline.privacy.services.consents import record_signup_consents, set_marketing_preferences
from officeline.privacy.services.marketing import MarketingRefused, queue_marketing_email
from officeline.privacy.services.sms_replies import handle_inbound_sms
from officeline.privacy.services.unsubscribe import (
    UNSUBSCRIBE_LINK_DAYS,
    UnsubscribeLinkInvalid,
    handle_unsubscribe_email,
    unsubscribe_token,
)

pytestmark = pytest.mark.django_db

TEMPLATE = "privacy/email/news"
NUMBER = "+442079460999"  # the factories' customer phone


@pytest.fixture
def person(test_clock):
    return OfficeManagerFactory(customer__phone=NUMBER)


def consent(person, *, email=True, sms=True):
    record_signup_consents(person=person, email=email, sms=sms)


def test_priv4_signup_records_both_answers_unticked_by_default(client, test_clock):
    """PRIV-4: asked at registration, never pre-ticked, per channel, with when and how."""
    publish_catalogue()
    page = client.get("/signup/").content.decode()
    for name in ("marketing_email", "marketing_sms"):
        box = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
        assert box is not None and "checked" not in box.group(0)
    french = client.get("/fr/signup/").content.decode()
    assert "par e-mail" in french and "par SMS" in french
    form = {
        "market": "uk",
        "legal_name": "Kestrel Design Ltd",
        "company_number": "12345678",
        "contact_name": "Robin Kestrel",
        "email": "robin@kestrel.test",
        "phone": "020 7946 0321",
        "address_line1": "12 Example Street",
        "city": "London",
        "postcode": "EC2A 4NE",
        "workers_count": "4",
        "preferred_format": "email",
        "password1": "a long enough passphrase 2026",
        "password2": "a long enough passphrase 2026",
        "is_business": "on",
        "is_adult": "on",
        "marketing_sms": "on",
    }
    response = client.post("/signup/", form)
    response = client.post(
        response["Location"],
        {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"},
    )
    client.get(response["Location"])
    # Signed up: the page asks to confirm the address from the mailbox.
    assert client.post("/signup/terms/", {"accept": "yes"}).status_code == 200
    rows = {row.channel: row for row in MarketingConsent.objects.all()}
    assert (rows["email"].given, rows["sms"].given) == (False, True)
    assert rows["sms"].address == "+442079460321" and rows["email"].address == "robin@kestrel.test"
    assert {row.method for row in rows.values()} == {ConsentMethod.SIGNUP_FORM}
    assert {row.at for row in rows.values()} == {test_clock.now()}


def test_priv4_consent_is_history_never_overwritten(person, test_clock):
    consent(person, email=False, sms=False)
    test_clock.advance(dt.timedelta(days=1))
    set_marketing_preferences(person=person, actor=person, preferences={"email": True})
    set_marketing_preferences(person=person, actor=person, preferences={"email": True})
    test_clock.advance(dt.timedelta(days=1))
    set_marketing_preferences(person=person, actor=person, preferences={"email": False})
    history = list(
        MarketingConsent.objects.filter(person=person, channel="email").order_by("at", "id")
    )
    assert [(row.given, row.method) for row in history] == [
        (False, "signup_form"),
        (True, "portal"),
        (False, "portal"),
    ]
    assert marketing_preferences(person) == {"email": False, "sms": False}
    actions = list(Event.objects.filter(action__startswith="privacy.marketing_consent"))
    assert len(actions) == 4 and all(e.customer_id == person.customer_id for e in actions)


def test_only_the_person_or_staff_change_a_consent(person):
    other = OfficeManagerFactory()
    with pytest.raises(PermissionDenied):
        set_marketing_preferences(person=person, actor=other, preferences={"email": True})
    staff = StaffFactory()
    (row,) = set_marketing_preferences(person=person, actor=staff, preferences={"email": True})
    assert row.method == ConsentMethod.STAFF and row.recorded_by == staff
    with pytest.raises(ValidationError) as exc:
        set_marketing_preferences(person=person, actor=person, preferences={"fax": True})
    assert "fax" in exc.value.message_dict


def test_priv4_account_page_changes_the_persons_choices(client, person):
    consent(person, email=False, sms=False)
    client.force_login(person)
    page = client.get("/account/").content.decode()
    assert 'name="marketing_email"' in page and "History of your marketing choices" in page
    response = client.post("/account/marketing/", {"marketing_email": "on"})
    assert response["Location"] == "/account/"
    assert marketing_preferences(person) == {"email": True, "sms": False}
    assert MarketingConsent.objects.filter(method="portal").count() == 1
    client.post("/account/marketing/", {})
    assert marketing_preferences(person) == {"email": False, "sms": False}
    french = client.get("/fr/account/").content.decode()
    assert "Prospection commerciale" in french


def test_priv4_no_marketing_email_without_consent(person):
    consent(person, email=False)
    with pytest.raises(MarketingRefused):
        queue_marketing_email(person=person, template=TEMPLATE, context={}, kind="privacy.offer")
    assert not OutboxMessage.objects.exists()


def unsubscribe_path(message: OutboxMessage) -> str:
    match = re.search(r"<https?://[^/]+(/[^>]+)>", message.headers["List-Unsubscribe"])
    assert match
    return match.group(1)


def test_priv4_marketing_email_carries_one_click_unsubscribe(client, person, test_clock):
    """PRIV-4 / RFC 8058: List-Unsubscribe (https link and mailto), One-Click POST."""
    consent(person)
    message = queue_marketing_email(
        person=person, template=TEMPLATE, context={}, kind="privacy.offer"
    )
    assert message.marketing
    header = message.headers["List-Unsubscribe"]
    assert re.fullmatch(r"<http[^>]+/unsubscribe/[^>]+/>, <mailto:unsubscribe@[^>]+>", header)
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = unsubscribe_path(message)
    assert path in message.body_text  # the template did not show it: added at the end
    deliver_pending()
    (sent,) = mail.outbox
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # GET only shows the confirmation page; nothing changes.
    page = client.get(path)
    assert page.status_code == 200 and person.email in page.content.decode()
    assert has_marketing_consent(person, "email")
    # The mail client's one-click POST: no CSRF token, just the RFC 8058 body.
    client_without_csrf = client.__class__(enforce_csrf_checks=True)
    response = client_without_csrf.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    assert not has_marketing_consent(person, "email")
    assert has_marketing_consent(person, "sms")  # only the channel the link was for
    row = MarketingConsent.objects.filter(person=person).order_by("-at", "-id").first()
    assert (row.given, row.method, row.at) == (False, "unsubscribe_link", test_clock.now())
    # A second use changes nothing.
    again = client.post(path)
    assert "already unsubscribed" in again.content.decode()
    assert MarketingConsent.objects.filter(method="unsubscribe_link").count() == 1


def test_priv4_nothing_is_sent_to_someone_who_withdrew(person):
    """Withdrawn after queueing, before sending: the outbox withholds the email."""
    consent(person)
    message = queue_marketing_email(
        person=person, template=TEMPLATE, context={}, kind="privacy.offer"
    )
    set_marketing_preferences(person=person, actor=person, preferences={"email": False})
    assert deliver_pending() == 0
    message.refresh_from_db()
    assert message.status == OutboxStatus.WITHHELD and "PRIV-4" in message.last_error
    assert mail.outbox == []
    with pytest.raises(MarketingRefused):
        queue_marketing_email(person=person, template=TEMPLATE, context={}, kind="privacy.offer")


def test_priv4_forged_or_expired_unsubscribe_link_changes_nothing(client, person, test_clock):
    consent(person)
    message = queue_marketing_email(
        person=person, template=TEMPLATE, context={}, kind="privacy.offer"
    )
    path = unsubscribe_path(message)
    token = path.rstrip("/").rsplit("/", 1)[1]
    forged = path.replace(token, token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb"))
    for bad in (forged, "/unsubscribe/not-a-token/"):
        for method in (client.get, client.post):
            response = method(bad)
            assert response.status_code == 400
            assert "This unsubscribe link is not valid" in response.content.decode()
    test_clock.advance(dt.timedelta(days=UNSUBSCRIBE_LINK_DAYS, hours=1))
    response = client.post(path)
    assert response.status_code == 400 and "has expired" in response.content.decode()
    assert "Nothing was changed" in response.content.decode()
    assert has_marketing_consent(person, "email")
    assert MarketingConsent.objects.filter(given=False).count() == 0


def test_unsubscribe_by_email_to_the_mailto(person):
    consent(person)
    token = unsubscribe_token(person=person, channel="email", now=clock.now())
    handle_unsubscribe_email(subject=f"unsubscribe {token}")
    assert not has_marketing_consent(person, "email")
    with pytest.raises(UnsubscribeLinkInvalid) as exc:
        handle_unsubscribe_email(subject="please remove me")
    assert "subject" in exc.value.message_dict


@pytest.mark.parametrize(
    "reply", ["STOP", " stop ", "Stop All", "STOPALL", "arrêt", "ARRET", "unsubscribe"]
)
def test_priv4_stop_reply_withdraws_sms_consent(person, reply, test_clock):
    consent(person)
    inbound = handle_inbound_sms(from_number=NUMBER, body=reply)
    assert (inbound.outcome, inbound.consents_withdrawn) == (InboundSmsOutcome.OPTED_OUT, 1)
    assert marketing_preferences(person) == {"email": True, "sms": False}
    row = MarketingConsent.objects.filter(person=person).order_by("-at", "-id").first()
    assert (row.channel, row.method, row.at) == ("sms", "stop_reply", test_clock.now())
    again = handle_inbound_sms(from_number=NUMBER, body=reply)
    assert again.outcome == InboundSmsOutcome.NOTHING_TO_STOP and again.reason


@pytest.mark.parametrize("reply", ["STOPP", "stop please", "yes", "", "S.T.O.P"])
def test_priv4_other_replies_are_recorded_and_rejected(person, reply):
    consent(person)
    inbound = handle_inbound_sms(from_number=NUMBER, body=reply)
    assert inbound.outcome == InboundSmsOutcome.REJECTED and "reply STOP" in inbound.reason
    assert InboundSms.objects.get().body == reply
    assert has_marketing_consent(person, "sms")


@pytest.mark.parametrize("number", ["", "07946000999", "+44", "not a number", "+4420794609999999"])
def test_malformed_sms_number_is_a_clear_error(person, number):
    consent(person)
    with pytest.raises(ValidationError) as exc:
        handle_inbound_sms(from_number=number, body="STOP")
    assert "from_number" in exc.value.message_dict
    assert not InboundSms.objects.exists() and has_marketing_consent(person, "sms")


def test_inbound_sms_command(person, capsys):
    consent(person)
    call_command("inbound_sms", "--from", NUMBER, "--body", "stop")
    assert "opted_out: 1" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--body: Not an opt-out"):
        call_command("inbound_sms", "--from", NUMBER, "--body", "hello")
    with pytest.raises(CommandError, match="--from: Not a valid"):
        call_command("inbound_sms", "--from", "12", "--body", "STOP")
