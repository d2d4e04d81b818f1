"""PRIV-4: opt-out by email to the mailto: of List-Unsubscribe, through the mail provider's
signed inbound webhook."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from officeline import clock
from officeline.accounts.tests.factories import OfficeManagerFactory
from officeline.privacy.mailbox import SandboxMailbox
from officeline.privacy.models import MarketingConsent
from officeline.privacy.selectors import marketing_preferences
from officeline.privacy.services.consents import record_signup_consents
from officeline.privacy.services.unsubscribe import unsubscribe_token

pytestmark = pytest.mark.django_db

URL = "/hooks/email/unsubscribe/"


@pytest.fixture
def client():
    """The mail provider has no session and no CSRF token: the hook must not need one."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def person(test_clock):
    someone = OfficeManagerFactory()
    record_signup_consents(person=someone, email=True, sms=True)
    return someone


def post(client, message, *, signature=None):
    payload = message if isinstance(message, bytes) else json.dumps(message).encode()
    sign = SandboxMailbox().sign(payload) if signature is None else signature
    return client.post(
        URL, payload, content_type="application/json", headers={"X-Mailbox-Signature": sign}
    )


def _subject(person) -> str:
    token = unsubscribe_token(person=person, channel="email", now=clock.now())
    return f"unsubscribe {token}"


def test_priv4_an_email_to_the_unsubscribe_mailbox_withdraws_email_marketing(client, person):
    answer = post(client, {"subject": _subject(person)})
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"received": True, "channel": "email", "withdrawn": True}
    assert marketing_preferences(person)["email"] is False
    assert marketing_preferences(person)["sms"] is True

    again = post(client, {"subject": _subject(person)})  # the provider retries, or they write twice
    assert again.status_code == 200 and again.json()["withdrawn"] is False


@pytest.mark.parametrize("signature", ["", "0" * 64, SandboxMailbox().sign(b"{}")])
def test_priv4_an_unsigned_mailbox_request_changes_nothing(client, person, signature):
    before = MarketingConsent.objects.count()
    answer = post(client, {"subject": _subject(person)}, signature=signature)
    assert answer.status_code == 403 and answer.json()["message"] == "invalid signature"
    assert MarketingConsent.objects.count() == before
    assert marketing_preferences(person)["email"] is True


def test_priv4_the_mailbox_hook_refuses_everything_without_its_secret(client, person, settings):
    payload = json.dumps({"subject": _subject(person)}).encode()
    signature = SandboxMailbox().sign(payload)
    settings.UNSUBSCRIBE_WEBHOOK_SECRET = ""
    answer = post(client, payload, signature=signature)
    assert answer.status_code == 403
    assert "not configured" in answer.json()["message"]
    assert marketing_preferences(person)["email"] is True


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "the body is not JSON"),
        (b"[]", "the body is not a JSON object"),
        (json.dumps({"from": "someone"}).encode(), "missing or not text: subject"),
        (json.dumps({"subject": "please remove me"}).encode(), "The subject must be"),
        (json.dumps({"subject": "unsubscribe not-a-token"}).encode(), ""),
    ],
)
def test_priv4_a_malformed_mailbox_request_is_refused_and_changes_nothing(
    client, person, body, message
):
    before = MarketingConsent.objects.count()
    answer = post(client, body)
    assert answer.status_code == 400, answer.content
    assert answer.json()["message"].startswith(message) and answer.json()["message"]
    assert MarketingConsent.objects.count() == before
