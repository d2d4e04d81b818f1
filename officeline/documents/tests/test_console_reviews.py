"""Console page of the codes' quarterly reviews (INFO-2)."""

from __future__ import annotations

import datetime as dt

import pytest

from officeline.accounts.choices import StaffRole
from officeline.accounts.tests.factories import staff_with_totp
from officeline.documents import services
from officeline.documents.models import Document, DocumentReview

pytestmark = pytest.mark.django_db


@pytest.fixture
def codes(test_clock):
    services.publish_catalogue()
    return Document.objects.filter(kind__in=["code_of_practice", "complaints_code"])


def test_info_2_console_lists_overdue_reviews(client, codes):
    """INFO-2: the uk codes (last updated 2017) are overdue; the fr versions are not yet due."""
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    html = client.get("/console/documents/reviews/").content.decode()
    assert html.count('class="review-overdue"') == 2
    assert "Code of Practice on Availability of Information" in html
    assert "Reviewed today" not in html  # agents do not record reviews


def test_info_2_director_records_a_review_from_the_console(client, codes):
    director = staff_with_totp(staff_role=StaffRole.DIRECTOR)
    client.force_login(director)
    document = codes.get(market="uk", kind="code_of_practice")
    response = client.post(
        "/console/documents/reviews/", {"document": document.pk, "notes": "All current."}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.next_review_due == dt.date(2027, 2, 25)
    html = client.get("/console/documents/reviews/").content.decode()
    assert html.count('class="review-overdue"') == 1


def test_an_agent_cannot_record_a_review(client, codes):
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    document = codes.first()
    assert client.post("/console/documents/reviews/", {"document": document.pk}).status_code == 403
    assert not DocumentReview.objects.exists()


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_recording_a_review_of_no_document_is_refused(client, codes, value):
    client.force_login(staff_with_totp(staff_role=StaffRole.DIRECTOR))
    response = client.post("/console/documents/reviews/", {"document": value})
    assert response.status_code in (302, 404)
    assert not DocumentReview.objects.exists()
