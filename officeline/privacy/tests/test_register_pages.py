"""PRIV-1: the register shown to the DPO in the console and published under the privacy policy."""

from __future__ import annotations

import pytest

from officeline.accounts.choices import StaffRole
from officeline.accounts.tests.factories import staff_with_totp
from officeline.documents import services as documents

pytestmark = pytest.mark.django_db


def test_priv1_the_dpo_reads_the_register_with_the_models_of_each_entry(client, test_clock):
    client.force_login(staff_with_totp(staff_role=StaffRole.DPO))
    page = client.get("/console/privacy/register/?market=fr").content.decode()
    assert "Register of processing" in page
    assert "Traffic data" in page and "1 year after the call" in page
    assert "billing.paymentmethod" in page and "accounts.customer" in page


def test_priv1_other_staff_cannot_open_the_register_page(client, test_clock):
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    assert client.get("/console/privacy/register/").status_code == 403


def test_priv1_the_privacy_policy_page_publishes_the_register_per_market(client, test_clock):
    documents.publish_catalogue()
    uk = client.get("/documents/uk/privacy_policy/").content.decode()
    assert 'id="register-traffic_data"' in uk and "12 months after the call" in uk
    assert "accounts.customer" not in uk  # the models are for the DPO, not the public
    fr = client.get("/fr/documents/fr/privacy_policy/").content.decode()
    assert "Registre des traitements" in fr and "1 an après l\u2019appel" in fr
    terms = client.get("/documents/uk/terms/").content.decode()
    assert "register-traffic_data" not in terms
