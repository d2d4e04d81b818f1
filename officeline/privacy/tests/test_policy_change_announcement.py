"""PRIV-12: a material change of the privacy policy is emailed with the chance to opt out,
and only the Office Manager opts the business out (LIFE-5's announcement, privacy's opt-out)."""

from __future__ import annotations

import pytest

from officeline.accounts.tests.factories import UserFactory
from officeline.documents import services
from officeline.documents.tests.factories import publish_change
from officeline.events.models import Event
from officeline.notifications.models import OutboxMessage
from officeline.privacy.models import PolicyOptOut
from officeline.support.tests.factories import manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(test_clock):
    services.publish_catalogue()
    return test_clock


def test_priv12_a_material_change_of_the_privacy_policy_is_emailed_with_the_chance_to_opt_out(
    client, published
):
    office_manager = manager("uk")
    customer = office_manager.customer
    version = publish_change(
        "uk",
        "privacy_policy",
        summary_of_changes="Call records will be used to suggest cheaper plans.",
    )
    mail = OutboxMessage.objects.get(to=customer.email)
    assert mail.subject == "Our privacy policy changes on Dec. 25, 2026"
    opt_out_link = f"/privacy/changes/{version.pk}/"
    assert opt_out_link in mail.body_text and "opt out" in mail.body_text

    client.force_login(office_manager)
    page = client.get(opt_out_link)
    assert page.status_code == 200 and "cheaper plans" in page.text
    response = client.post(opt_out_link)
    assert response.status_code == 302
    opt_out = PolicyOptOut.objects.get()
    assert (opt_out.customer, opt_out.version, opt_out.person) == (
        customer,
        version,
        office_manager,
    )
    client.post(opt_out_link)  # a second time changes nothing
    assert PolicyOptOut.objects.count() == 1
    assert "opted out of this change" in client.get(opt_out_link).text
    assert (
        Event.objects.filter(action="privacy.policy_change_opted_out", customer=customer).count()
        == 1
    )


def test_priv12_only_the_office_manager_opts_out_and_only_of_an_announced_policy_change(
    client, published
):
    office_manager = manager("uk")
    version = publish_change("uk", "privacy_policy")
    terms_change = publish_change("uk", "terms")
    member = UserFactory(customer=office_manager.customer, customer_role="member")
    client.force_login(member)
    assert client.post(f"/privacy/changes/{version.pk}/").status_code == 403
    client.force_login(office_manager)
    assert client.get(f"/privacy/changes/{terms_change.pk}/").status_code == 404
    client.force_login(manager("fr"))
    assert client.get(f"/privacy/changes/{version.pk}/").status_code == 404
    assert not PolicyOptOut.objects.exists()
