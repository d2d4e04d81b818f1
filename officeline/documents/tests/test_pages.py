"""Public document pages (INFO-2) and the information page per market (INFO-1)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from officeline.accounts.models import OperatorMarket
from officeline.accounts.tests.factories import OperatorMarketFactory
from officeline.documents import services
from officeline.documents.choices import DocumentKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(test_clock):
    services.publish_catalogue()


def test_info_2_document_page_shows_version_and_last_updated(client, published):
    response = client.get("/documents/uk/code_of_practice/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Code of Practice on Availability of Information" in html
    assert 'datetime="2017-08-09"' in html
    assert "Last updated" in html
    assert "<h2>1. Ooma\u2019s Code of Practice</h2>" in html


def test_info_2_documents_list_per_market_in_page_language(client, published):
    html = client.get("/documents/uk/").content.decode()
    for kind in DocumentKind:
        assert f"/documents/uk/{kind.value}/" in html
    assert "Last updated" in html
    french = client.get("/fr/documents/fr/").content.decode()
    assert "Dernière mise à jour" in french
    assert "Conditions générales" in french
    assert 'datetime="2017-04-01"' in french


def test_uk_document_in_french_page_says_it_is_in_another_language(client, published):
    html = client.get("/fr/documents/uk/terms/").content.decode()
    assert "Terms and Conditions" in html
    assert "dans une autre langue" in html


def test_earlier_versions_stay_readable(client, published, test_clock):
    test_clock.advance(dt.timedelta(days=1))
    services.publish_version(
        market="uk",
        language="en",
        kind=DocumentKind.COMPLAINTS_CODE,
        title="Code of Practice for Complaints Handling",
        version="2",
        last_updated=dt.date(2026, 11, 26),
        body="A new text.",
        summary_of_changes="Contact details updated.",
    )
    html = client.get("/documents/uk/complaints_code/").content.decode()
    assert 'datetime="2026-11-26"' in html
    assert "Contact details updated." in html
    assert "/documents/uk/complaints_code/versions/1/" in html
    old = client.get("/documents/uk/complaints_code/versions/1/").content.decode()
    assert "earlier version" in old
    assert 'datetime="2017-08-09"' in old


@pytest.mark.parametrize(
    "url",
    [
        "/documents/us/",
        "/documents/uk/brochure/",
        "/documents/uk/terms/versions/99/",
        "/info/us/",
    ],
)
def test_unknown_documents_are_not_found(client, published, url):
    assert client.get(url).status_code == 404


def test_info_page_needs_the_operator_settings(client, db):
    assert client.get("/info/uk/").status_code == 404


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_info_1_page_states_everything_from_operator_settings(client, published):
    """INFO-1: who, service, charges, maintenance, contacts, compensation, ADR, terms."""
    settings_row = OperatorMarketFactory(
        market="uk",
        legal_name="Example Telecom Ltd",
        company_number="01234567",
        registered_office="5 Sample Row, London",
        support_phone="+44 20 7946 0001",
        support_email="help@example.test",
        postal_address="Complaints, 5 Sample Row, London",
        support_hours="Every day, 8am to 8pm",
        charges_url="https://example.test/prices",
        maintenance_and_warranty="Defective kit replaced free.",
        compensation_schemes="Porting delays compensated.",
        adr_scheme_name="Ombudsman Services: Communications",
        adr_scheme_contact="PO Box 730, Warrington WA4 6WU",
        adr_scheme_url="https://www.ombudsman-services.org",
    )
    response = client.get("/info/uk/")
    assert response.status_code == 200
    text = _text(response.content.decode())
    for value in (
        settings_row.operator.name,
        "Example Telecom Ltd",
        "01234567",
        "5 Sample Row, London",
        "Business telephony",
        "Fax",
        "companion mobile app",
        "Office Manager web portal",
        "https://example.test/prices",
        "Defective kit replaced free.",
        "+44 20 7946 0001",
        "Every day, 8am to 8pm",
        "help@example.test",
        "Complaints, 5 Sample Row, London",
        "Raise a ticket",
        "Porting delays compensated.",
        "Ombudsman Services: Communications",
        "PO Box 730, Warrington WA4 6WU",
        "https://www.ombudsman-services.org",
        "Terms and Conditions",
        "Ofcom",
    ):
        assert value in text, value
    assert "/documents/uk/terms/" in response.content.decode()


def test_info_1_page_changes_when_a_setting_changes(client, published):
    """INFO-1: the page is built from the settings; changing one changes the page."""
    OperatorMarketFactory(market="uk")
    before = client.get("/info/uk/").content.decode()
    assert "+442079460000" in before
    assert 'data-feature="fax"' in before

    OperatorMarket.objects.filter(market="uk").update(
        support_phone="+44 20 7946 0777",
        adr_scheme_name="Communications Ombudsman",
        parameters={
            "service_includes": ["telephony", "office_manager_portal"],
            "service_description": "Desk phones in every room.",
        },
    )
    after = client.get("/info/uk/").content.decode()
    assert "+442079460000" not in after
    assert "+44 20 7946 0777" in after
    assert "Communications Ombudsman" in after
    assert 'data-feature="fax"' not in after
    assert 'data-feature="companion_app"' not in after
    assert "Desk phones in every room." in after


def test_info_1_page_in_french(client, published):
    OperatorMarketFactory(
        market="fr",
        legal_name="Officeline France SAS",
        company_number="732829320",
        adr_scheme_name="Tribunal de commerce de Paris",
    )
    response = client.get("/fr/info/fr/")
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert "Qui sommes-nous" in text
    assert "Officeline France SAS" in text
    assert "Tribunal de commerce de Paris" in text
    assert "Conditions générales" in text
    assert "Arcep" in text


def test_documents_index_links_each_market(client, published):
    html = client.get("/documents/").content.decode()
    for market in ("uk", "fr"):
        assert f'href="/documents/{market}/"' in html
        assert f'href="/info/{market}/"' in html


def test_info_1_a_malformed_service_setting_still_lists_the_service(client, published):
    OperatorMarketFactory(market="uk", parameters={"service_includes": "fax"})
    html = client.get("/info/uk/").content.decode()
    assert 'data-feature="telephony"' in html
    assert 'data-feature="fax"' in html
