"""Publishing a new version of a document from the console (INFO-2)."""

from __future__ import annotations

import pytest

from officeline.accounts.choices import StaffRole
from officeline.accounts.tests.factories import staff_with_totp
from officeline.documents import services
from officeline.documents.models import Document, DocumentVersion
from officeline.events.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms(test_clock):
    services.publish_catalogue(market="uk")
    return Document.objects.get(market="uk", kind="terms")


def _form(**overrides):
    data = {
        "title": "Terms and Conditions",
        "version": "2",
        "last_updated": "2026-11-25",
        "body": "## 1. New terms\\n\\nText.",
        "summary_of_changes": "Section 1 rewritten.",
    }
    data.update(overrides)
    return data


def test_info_2_a_director_publishes_a_new_version_with_its_date(client, terms):
    director = staff_with_totp(staff_role=StaffRole.DIRECTOR)
    client.force_login(director)
    page = client.get(f"/console/documents/{terms.pk}/publish/")
    assert page.status_code == 200
    response = client.post(f"/console/documents/{terms.pk}/publish/", _form())
    assert response.status_code == 302
    current = terms.current_version()
    assert current.version == "2"
    assert current.summary_of_changes == "Section 1 rewritten."
    assert terms.versions.count() == 2
    assert Event.objects.filter(action="documents.version_published", actor=director).exists()
    public = client.get("/documents/uk/terms/").content.decode()
    assert 'datetime="2026-11-25"' in public
    assert "/documents/uk/terms/versions/1/" in public


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"version": "1"}, "published already with another text"),
        ({"last_updated": "2020-01-01"}, "is before the current version"),
        ({"last_updated": "25/25/2026"}, "Enter a valid date"),
        ({"body": ""}, "This field is required"),
        ({"version": ""}, "This field is required"),
    ],
)
def test_bad_versions_are_refused_with_the_reason(client, terms, overrides, message):
    client.force_login(staff_with_totp(staff_role=StaffRole.DPO))
    response = client.post(f"/console/documents/{terms.pk}/publish/", _form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert DocumentVersion.objects.filter(document=terms).count() == 1


def test_only_the_director_and_dpo_publish(client, terms):
    client.force_login(staff_with_totp(staff_role=StaffRole.SUPERVISOR))
    assert client.get(f"/console/documents/{terms.pk}/publish/").status_code == 403
    assert client.post(f"/console/documents/{terms.pk}/publish/", _form()).status_code == 403
    listing = client.get("/console/documents/").content.decode()
    assert "Terms and Conditions" in listing
    assert "/publish/" not in listing
    assert terms.versions.count() == 1
