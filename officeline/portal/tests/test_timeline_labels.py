"""A customer reads what happened on their account in words, in their language, never as the
code of the action (the dashboard's timeline)."""

from __future__ import annotations

import pytest

from officeline.events.services import record_event
from officeline.support.tests.factories import manager


@pytest.mark.django_db
def test_the_dashboard_shows_what_happened_in_words_in_the_customers_language(client):
    office_manager = manager("fr")
    record_event(
        action="billing.invoice_issued", customer=office_manager.customer, customer_visible=True
    )
    client.force_login(office_manager)
    page = client.get("/fr/dashboard/").content.decode()
    assert "Facture émise" in page
    assert "billing.invoice_issued" not in page and "accounts.signed_up" not in page
