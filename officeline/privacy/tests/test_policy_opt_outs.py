"""PRIV-12: the new uses of data a changed privacy policy brings leave out who opted out,
and the DPO lists the opt-outs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from officeline.accounts.models import AccessLogEntry
from officeline.documents import services as documents
from officeline.documents.errors import DocumentError
from officeline.documents.models import Document
from officeline.notifications.choices import OutboxStatus
from officeline.notifications.delivery import deliver_pending
from officeline.privacy import cookies
from officeline.privacy.services.consents import record_signup_consents
from officeline.privacy.services.marketing import MarketingRefused, queue_marketing_email
from officeline.privacy.services.policy_opt_outs import opt_out_of_policy_change
from officeline.privacy.tests.factories import dpo
from officeline.privacy.uses import uses_allowed
from officeline.support.tests.factories import manager

pytestmark = pytest.mark.django_db

ONE_MONTH_ON = dt.date(2026, 12, 25)  # the test clock is on 25 November 2026
TEMPLATE = "privacy/email/news"


@pytest.fixture
def published(test_clock):
    documents.publish_catalogue()
    return test_clock


def _change(market: str, new_uses: list[str], version: str = "2", **overrides):
    document = Document.objects.get(market=market, kind="privacy_policy")
    values = {
        "market": market,
        "language": document.language,
        "kind": "privacy_policy",
        "title": document.title,
        "version": version,
        "last_updated": dt.date(2026, 11, 25),
        "body": f"New text {version}.",
        "material_change": True,
        "summary_of_changes": "We will send offers to our customers.",
        "effective_from": ONE_MONTH_ON,
        "new_uses": new_uses,
    }
    values.update(overrides)
    return documents.publish_version(**values).version


def test_priv12_a_material_change_of_the_privacy_policy_names_its_new_uses(published):
    with pytest.raises(DocumentError) as error:
        _change("uk", [])
    assert error.value.field == "new_uses" and "Name the new uses" in error.value.message
    with pytest.raises(DocumentError) as error:
        _change("uk", ["selling data"])
    assert error.value.field == "new_uses" and "selling data" in error.value.message
    with pytest.raises(DocumentError) as error:
        _change("uk", ["marketing"], material_change=False, effective_from=None)
    assert error.value.field == "new_uses"
    version = _change("uk", ["marketing", "analytics"])
    assert version.new_uses == ["marketing", "analytics"]


def test_priv12_a_new_use_starts_when_the_change_takes_effect_and_never_for_who_opted_out(
    published,
):
    staying, leaving = manager("uk"), manager("uk")
    french = manager("fr")
    # Before any change names it, a use is the signed-up policy's (with its own consent).
    assert uses_allowed(staying.customer, "marketing")
    version = _change("uk", ["marketing"])
    opt_out_of_policy_change(person=leaving, version=version)
    # Announced, not yet in force: nobody is in it.
    assert not uses_allowed(staying.customer, "marketing")
    assert not uses_allowed(leaving.customer, "marketing")
    published.set(dt.datetime(2026, 12, 25, 10, tzinfo=dt.UTC))
    assert uses_allowed(staying.customer, "marketing")
    assert not uses_allowed(leaving.customer, "marketing")
    # Another use, another market and a visitor are untouched.
    assert uses_allowed(leaving.customer, "analytics")
    assert uses_allowed(french.customer, "marketing")
    assert uses_allowed(None, "marketing")
    with pytest.raises(ValueError):
        uses_allowed(staying.customer, "selling data")


def test_priv12_the_marketing_sender_leaves_out_a_business_that_opted_out(published):
    person = manager("uk")
    record_signup_consents(person=person, email=True, sms=True)
    version = _change("uk", ["marketing"])
    assert deliver_pending() == 1  # the announcement of the change
    mail.outbox.clear()
    published.set(dt.datetime(2026, 12, 26, 10, tzinfo=dt.UTC))
    queued = queue_marketing_email(
        person=person, template=TEMPLATE, context={}, kind="privacy.offer"
    )
    opt_out_of_policy_change(person=person, version=version)
    # Queued before the opt-out: the outbox withholds it.
    assert deliver_pending() == 0
    queued.refresh_from_db()
    assert queued.status == OutboxStatus.WITHHELD and "PRIV-12" in queued.last_error
    assert mail.outbox == []
    with pytest.raises(MarketingRefused) as refused:
        queue_marketing_email(person=person, template=TEMPLATE, context={}, kind="privacy.offer")
    assert "opted out" in str(refused.value)


def test_priv12_no_performance_cookie_for_a_business_that_opted_out_of_analytics(client, published):
    person = manager("uk")
    version = _change("uk", ["analytics"])
    published.set(dt.datetime(2026, 12, 26, 10, tzinfo=dt.UTC))
    client.force_login(person)
    response = client.post("/cookies/", {"choice": "performance", "next": "/"})
    assert cookies.PERFORMANCE_COOKIE in response.cookies
    opt_out_of_policy_change(person=person, version=version)
    response = client.get("/account/")
    assert response.cookies[cookies.PERFORMANCE_COOKIE]["max-age"] == 0  # removed
    response = client.post("/cookies/", {"choice": "performance", "next": "/"})
    assert cookies.PERFORMANCE_COOKIE not in {
        name for name, morsel in response.cookies.items() if morsel["max-age"] != 0
    }


def test_priv12_the_dpo_lists_the_opt_outs_by_customer_and_searching_is_logged(client, published):
    first, second = manager("uk", legal_name="Acme Widgets Ltd"), manager("fr")
    opt_out_of_policy_change(person=first, version=_change("uk", ["marketing"]))
    opt_out_of_policy_change(person=second, version=_change("fr", ["analytics"]))
    officer = dpo()
    client.force_login(officer)
    url = "/console/privacy/policy-opt-outs/"
    page = client.get(url).content.decode()
    assert "Acme Widgets Ltd" in page and second.customer.legal_name in page
    assert "2026-12-25" in page and "Marketing emails and texts" in page
    assert not AccessLogEntry.objects.exists()  # the whole list is not a look at one customer

    page = client.get(url, {"customer": "acme"}).content.decode()
    assert "Acme Widgets Ltd" in page and second.customer.legal_name not in page
    entry = AccessLogEntry.objects.get()
    assert (entry.customer, entry.staff_user, entry.url_name) == (
        first.customer,
        officer,
        "privacy_console:policy_opt_outs",
    )
    page = client.get(url, {"customer": str(second.customer.pk)}).content.decode()
    assert second.customer.legal_name in page and "Acme" not in page
    french = client.get("/fr" + url).content.decode()
    assert "Oppositions aux changements de politique" in french

    client.force_login(manager("uk"))
    assert client.get(url).status_code in (302, 403)


def test_priv12_the_dpo_names_the_new_uses_when_publishing_a_change_in_the_console(
    client, published
):
    policy = Document.objects.get(market="fr", kind="privacy_policy")
    client.force_login(dpo())
    form = {
        "title": policy.title,
        "version": "2",
        "last_updated": "2026-11-25",
        "body": "Nouveau texte.",
        "summary_of_changes": "Mesure d'audience du portail.",
        "material_change": "on",
        "effective_from": "2026-12-25",
    }
    url = f"/console/documents/{policy.pk}/publish/"
    response = client.post(url, form)
    assert response.status_code == 400 and "Name the new uses" in response.text
    assert client.post(url, {**form, "new_uses": ["analytics"]}).status_code == 302
    assert policy.versions.get(version="2").new_uses == ["analytics"]
