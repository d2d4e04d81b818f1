"""PRIV-4: opt-out by replying STOP, through the carrier's signed inbound-SMS webhook."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from officeline.accounts.tests.factories import OfficeManagerFactory
from officeline.privacy.models import InboundSms, MarketingConsent
from officeline.privacy.selectors import marketing_preferences
from officeline.privacy.services.consents import record_signup_consents
from officeline.privacy.sms_carrier import SandboxSmsCarrier

pytestmark = pytest.mark.django_db

URL = "/hooks/sms/inbound/"
NUMBER = "+442079460999"


@pytest.fixture
def client():
    """The carrier has no session and no CSRF token: the hook must not need one."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def person(test_clock):
    someone = OfficeManagerFactory(customer__phone=NUMBER)
    record_signup_consents(person=someone, email=True, sms=True)
    return someone


def post(client, message, *, signature=None):
    payload = message if isinstance(message, bytes) else json.dumps(message).encode()
    sign = SandboxSmsCarrier().sign(payload) if signature is None else signature
    return client.post(
        URL, payload, content_type="application/json", headers={"X-Sms-Signature": sign}
    )


def stop(message_id="SM0001", number=NUMBER):
    return {"id": message_id, "from": number, "body": "STOP"}


def test_priv4_signed_stop_reply_withdraws_sms_marketing_consent(client, person):
    response = post(client, stop())
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "opted_out"
    assert marketing_preferences(person) == {"email": True, "sms": False}
    assert MarketingConsent.objects.filter(person=person, method="stop_reply").count() == 1


def test_priv4_wrong_signature_is_refused_and_changes_nothing(client, person):
    payload = json.dumps(stop()).encode()
    for signature in ["", "0" * 64, SandboxSmsCarrier().sign(payload + b" ")]:
        response = post(client, payload, signature=signature)
        assert response.status_code == 403
        assert response.json()["message"] == "invalid signature"
    assert marketing_preferences(person)["sms"] is True
    assert not InboundSms.objects.exists()


def test_priv4_unconfigured_webhook_refuses_everything(client, person, settings):
    settings.SMS_WEBHOOK_SECRET = ""
    response = post(client, stop(), signature="")
    assert response.status_code == 403 and "not configured" in response.json()["message"]
    assert marketing_preferences(person)["sms"] is True


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        (b"not json", "the body is not JSON"),
        ([], "the body is not a JSON object"),
        ({"id": "SM1", "body": "STOP"}, "missing or not text: from"),
        ({"id": "SM1", "from": NUMBER}, "missing or not text: body"),
        ({"from": NUMBER, "body": 7}, "missing or not text: id, body"),
        (stop(number="07946000999"), "Not a valid international phone number"),
    ],
)
def test_priv4_malformed_text_is_a_clear_400_and_changes_nothing(
    client,
    person,
    message,
    problem,
):
    response = post(client, message)
    assert response.status_code == 400
    assert problem in response.json()["message"]
    assert marketing_preferences(person)["sms"] is True
    assert not InboundSms.objects.exists()


def history(person):
    return list(MarketingConsent.objects.filter(person=person).values_list("pk", flat=True))


def test_priv4_retried_stop_is_handled_once(client, person):
    assert post(client, stop()).status_code == 200
    before = history(person)
    retry = post(client, stop())
    assert retry.status_code == 200 and retry.json()["outcome"] == "opted_out"
    assert history(person) == before
    assert InboundSms.objects.get().carrier_message_id == "SM0001"
    assert marketing_preferences(person) == {"email": True, "sms": False}


def test_priv4_a_new_message_after_a_stop_is_recorded(client, person):
    post(client, stop())
    again = post(client, stop(message_id="SM0002"))
    assert again.status_code == 200 and again.json()["outcome"] == "nothing_to_stop"
    assert InboundSms.objects.count() == 2


def test_the_webhook_takes_only_post(client):
    assert client.get(URL).status_code == 405
