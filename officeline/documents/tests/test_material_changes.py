"""LIFE-5 and PRIV-12: material changes to the terms and the privacy policy, a month ahead."""

from __future__ import annotations

import datetime as dt

import pytest

from officeline.accounts.choices import CustomerStatus, StaffRole
from officeline.accounts.tests.factories import CustomerFactory, staff_with_totp
from officeline.documents import services
from officeline.documents.errors import DocumentError
from officeline.documents.models import Document
from officeline.documents.selectors import current_terms
from officeline.documents.tests.factories import publish_change
from officeline.events.models import Event
from officeline.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(test_clock):
    services.publish_catalogue()
    return test_clock


def test_life5_a_material_change_of_the_terms_takes_effect_one_month_later_at_the_earliest(
    published,
):
    CustomerFactory(market="uk")
    with pytest.raises(DocumentError) as error:
        publish_change("uk", "terms", effective_from=dt.date(2026, 12, 24))
    assert error.value.field == "effective_from" and "2026-12-25" in error.value.message
    with pytest.raises(DocumentError) as error:
        publish_change("uk", "terms", effective_from=None)
    assert error.value.field == "effective_from"
    assert not OutboxMessage.objects.exists()
    assert Document.objects.get(market="uk", kind="terms").versions.count() == 1

    version = publish_change("uk", "terms")
    # The version in force stays in force until the new one takes effect.
    assert current_terms("uk").version == "1"
    published.set(dt.datetime(2026, 12, 24, 23, 59, tzinfo=dt.UTC))
    assert current_terms("uk").version == "1"
    published.set(dt.datetime(2026, 12, 25, 0, 0, tzinfo=dt.UTC))
    assert current_terms("uk").version == "2" == version.version


def test_life5_every_customer_of_the_market_is_emailed_in_their_language_with_the_right_to_leave(
    published,
):
    uk = CustomerFactory(market="uk", email="uk@customer.test")
    fr_first = CustomerFactory(market="fr", email="fr@customer.test", language="fr")
    CustomerFactory(market="fr", email="fr-en@customer.test", language="en")
    CustomerFactory(market="fr", email="gone@customer.test", status=CustomerStatus.TERMINATED)

    publish_change("fr", "terms", summary_of_changes="Le préavis de résiliation passe à 30 jours.")

    mails = {m.to: m for m in OutboxMessage.objects.all()}
    assert set(mails) == {"fr@customer.test", "fr-en@customer.test"}  # not uk, not terminated
    french = mails["fr@customer.test"]
    assert french.language == "fr"
    assert "25 décembre 2026" in french.subject
    assert (
        "sans aucune pénalité" in french.body_text
        and "Le préavis de résiliation" in french.body_text
    )
    assert "/fr/documents/fr/terms/versions/2/" in french.body_text
    english = mails["fr-en@customer.test"]
    assert english.language == "en" and "without any penalty before" in english.body_text
    assert Event.objects.filter(
        action="documents.change_announced", customer=fr_first, customer_visible=True
    ).exists()
    assert not Event.objects.filter(action="documents.change_announced", customer=uk).exists()


def test_life5_a_change_that_is_not_material_is_in_force_at_once_and_emails_nobody(published):
    CustomerFactory(market="uk")
    publish_change("uk", "terms", material_change=False, effective_from=None)
    assert current_terms("uk").version == "2"
    assert not OutboxMessage.objects.exists()


def test_life5_only_the_terms_and_the_policy_have_material_changes_and_they_say_what_changes(
    published,
):
    with pytest.raises(DocumentError) as error:
        publish_change("uk", "complaints_code")
    assert error.value.field == "material_change"
    with pytest.raises(DocumentError) as error:
        publish_change("uk", "terms", summary_of_changes=" ")
    assert error.value.field == "summary_of_changes"


def test_life5_no_other_version_while_a_change_is_waiting_to_take_effect(published):
    publish_change("uk", "terms")
    with pytest.raises(DocumentError) as error:
        publish_change("uk", "terms", version="3", material_change=False, effective_from=None)
    assert "2026-12-25" in error.value.message


def test_life5_the_director_marks_a_material_change_in_the_console(client, published):
    CustomerFactory(market="uk", email="uk@customer.test")
    terms = Document.objects.get(market="uk", kind="terms")
    client.force_login(staff_with_totp(staff_role=StaffRole.DIRECTOR))
    form = {
        "title": terms.title,
        "version": "2",
        "last_updated": "2026-11-25",
        "body": "New text.",
        "summary_of_changes": "Longer notice period.",
        "material_change": "on",
        "effective_from": "2026-12-01",
    }
    response = client.post(f"/console/documents/{terms.pk}/publish/", form)
    assert response.status_code == 400 and "2026-12-25" in response.text
    response = client.post(
        f"/console/documents/{terms.pk}/publish/", {**form, "effective_from": "2026-12-25"}
    )
    assert response.status_code == 302
    assert OutboxMessage.objects.get().to == "uk@customer.test"
    public = client.get("/documents/uk/terms/").text
    assert "takes effect on" in public and "/documents/uk/terms/versions/2/" in public
