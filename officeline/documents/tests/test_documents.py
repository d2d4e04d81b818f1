"""Published documents: versions with their "last updated" date, and quarterly reviews (INFO-2)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from officeline.accounts.choices import StaffRole
from officeline.accounts.tests.factories import StaffFactory
from officeline.documents import selectors, services
from officeline.documents.catalogue import CATALOGUE, entries
from officeline.documents.choices import DocumentKind, ReviewStatus
from officeline.documents.errors import DocumentError
from officeline.documents.markdown import render_markdown
from officeline.documents.models import Document, DocumentReview, DocumentVersion
from officeline.events.models import Event

pytestmark = pytest.mark.django_db


def _publish(**overrides):
    fields: dict[str, Any] = {
        "market": "uk",
        "language": "en",
        "kind": DocumentKind.CODE_OF_PRACTICE,
        "title": "Code of Practice",
        "version": "1",
        "last_updated": dt.date(2026, 1, 10),
        "body": "## 1. Who we are\n\nText.",
    }
    fields.update(overrides)
    return services.publish_version(**fields)


def test_catalogue_publishes_what_each_market_must_publish():
    """INFO-2: uk and fr each publish the code of practice, complaints code, privacy policy, terms."""
    for market, language in (("uk", "en"), ("fr", "fr")):
        kinds = {e.kind for e in entries(market) if e.language == language}
        assert kinds == set(DocumentKind), market
    for entry in CATALOGUE:
        assert entry.path.is_file(), entry.path
        assert entry.body().strip()
    # The US policy (seed 003) is published in neither market.
    assert not any("United States" in e.title for e in CATALOGUE)


def test_info_2_load_documents_is_idempotent_and_versions_carry_last_updated(test_clock):
    """INFO-2: every published document has a version and its "last updated" date."""
    out = StringIO()
    call_command("load_documents", stdout=out)
    first = out.getvalue().splitlines()
    assert len(first) == len(CATALOGUE)
    assert all(line.startswith("published") for line in first)
    assert "uk/en/code_of_practice version 1, last updated 2017-08-09" in out.getvalue()
    assert DocumentVersion.objects.count() == len(CATALOGUE)
    for version in DocumentVersion.objects.all():
        assert version.last_updated is not None
        assert version.published_at == test_clock.now()
        assert len(version.sha256) == 64

    again = StringIO()
    call_command("load_documents", stdout=again)
    assert all(line.startswith("unchanged") for line in again.getvalue().splitlines())
    assert DocumentVersion.objects.count() == len(CATALOGUE)
    assert Event.objects.filter(action="documents.version_published").count() == len(CATALOGUE)


def test_load_documents_for_one_market():
    out = StringIO()
    call_command("load_documents", "--market", "fr", stdout=out)
    assert set(Document.objects.values_list("market", flat=True)) == {"fr"}


def test_load_documents_refuses_a_bad_market():
    with pytest.raises(CommandError):
        call_command("load_documents", "--market", "us")


def test_a_published_version_never_changes(test_clock):
    """LIFE-5 / INFO-2: a change is a new version with a new date; the old one stays."""
    first = _publish()
    assert first.created
    assert not _publish().created
    with pytest.raises(DocumentError) as error:
        _publish(body="Another text.")
    assert error.value.field == "version"
    with pytest.raises(DocumentError) as error:
        _publish(version="2", body="Older?", last_updated=dt.date(2025, 1, 1))
    assert error.value.field == "last_updated"

    test_clock.advance(dt.timedelta(days=1))
    second = _publish(version="2", body="New text.", last_updated=dt.date(2026, 11, 26))
    document = second.version.document
    assert document.current_version() == second.version
    assert document.versions.count() == 2
    assert DocumentVersion.objects.get(pk=first.version.pk).body == "## 1. Who we are\n\nText."


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("market", {"market": "us"}),
        ("language", {"language": "de"}),
        ("kind", {"kind": "brochure"}),
        ("version", {"version": " "}),
        ("body", {"body": ""}),
        ("title", {"title": ""}),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(field, overrides, test_clock):
    with pytest.raises(DocumentError) as error:
        _publish(**overrides)
    assert error.value.field == field
    assert not Document.objects.exists()


def test_info_2_a_code_is_due_for_review_a_quarter_after_its_last_update(test_clock):
    """INFO-2: a code never reviewed is due three months after its "last updated" date."""
    published = _publish(last_updated=dt.date(2026, 8, 31))
    assert published.version.document.next_review_due == dt.date(2026, 11, 30)
    terms = _publish(kind=DocumentKind.TERMS, title="Terms")
    assert terms.version.document.next_review_due is None  # the terms have no quarterly review


def test_info_2_recording_a_review_sets_the_next_due_date_three_months_on(test_clock):
    """INFO-2: reviewing a code on 25 November makes the next review due on 25 February."""
    director = StaffFactory(staff_role=StaffRole.DIRECTOR)
    document = _publish(last_updated=dt.date(2026, 1, 10)).version.document
    assert document.next_review_due == dt.date(2026, 4, 10)

    review = services.record_review(document=document, actor=director, notes="Contacts checked.")
    document.refresh_from_db()
    assert review.next_review_due == dt.date(2027, 2, 25)
    assert document.next_review_due == dt.date(2027, 2, 25)
    assert review.reviewed_by == director
    event = Event.objects.get(action="documents.review_recorded")
    assert event.before == {"next_review_due": "2026-04-10"}
    assert event.after == {"reviewed_on": "2026-11-25", "next_review_due": "2027-02-25"}


def test_info_2_review_month_end_follows_add_months(test_clock):
    """INFO-2: a review on 30 November is next due on 28 February (that month's last day)."""
    test_clock.set(dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC))
    director = StaffFactory(staff_role=StaffRole.DIRECTOR)
    document = _publish().version.document
    assert services.record_review(document=document, actor=director).next_review_due == dt.date(
        2027, 2, 28
    )


def test_only_reviewers_record_reviews_and_only_of_codes(test_clock):
    document = _publish().version.document
    with pytest.raises(PermissionDenied):
        services.record_review(document=document, actor=StaffFactory(staff_role=StaffRole.AGENT))
    terms = _publish(kind=DocumentKind.TERMS, title="Terms").version.document
    with pytest.raises(DocumentError):
        services.record_review(document=terms, actor=StaffFactory(staff_role=StaffRole.DIRECTOR))
    assert not DocumentReview.objects.exists()


def test_info_2_reviews_due_and_overdue(test_clock):
    """INFO-2: staff see which reviews are overdue and which are due within 30 days."""
    now = test_clock.now()  # 2026-11-25
    overdue = _publish(last_updated=dt.date(2026, 8, 1)).version.document  # due 2026-11-01
    due = _publish(
        kind=DocumentKind.COMPLAINTS_CODE, title="Complaints", last_updated=dt.date(2026, 9, 10)
    ).version.document  # due 2026-12-10
    later = _publish(
        market="fr", language="fr", title="Code", last_updated=dt.date(2026, 11, 1)
    ).version.document  # due 2027-02-01
    _publish(kind=DocumentKind.TERMS, title="Terms", last_updated=dt.date(2016, 1, 1))

    listed = selectors.reviews_due(now)
    assert [(r.document, r.status) for r in listed] == [
        (overdue, ReviewStatus.OVERDUE),
        (due, ReviewStatus.DUE),
    ]
    assert listed[0].days_overdue == 24
    assert later not in [r.document for r in listed]

    services.record_review(document=overdue, actor=StaffFactory(staff_role=StaffRole.SUPERVISOR))
    assert [r.document for r in selectors.reviews_due(now)] == [due]
    # Time passes: the next quarter's review falls due again.
    test_clock.set(dt.datetime(2027, 2, 26, 9, 0, tzinfo=dt.UTC))
    assert overdue in [r.document for r in selectors.reviews_due(test_clock.now())]


def test_markdown_is_rendered_safely():
    html = render_markdown(
        "# Title\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1)) **bold**"
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
    assert "<strong>bold</strong>" in html
    assert "<h1>Title</h1>" in html


def test_bare_web_addresses_become_links():
    html = render_markdown(
        "See https://example.test/prices. Or [here](https://example.test/x) "
        "and <https://example.test/y>."
    )
    assert '<a href="https://example.test/prices">https://example.test/prices</a>.' in html
    assert html.count('href="https://example.test/x"') == 1
    assert html.count('href="https://example.test/y"') == 1
