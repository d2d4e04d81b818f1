"""Writes of the documents app: publishing versions and recording reviews (INFO-2)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from officeline import clock
from officeline.accounts.permissions import require_capability
from officeline.actors import Actor
from officeline.documents import changes
from officeline.documents.catalogue import PublishedText, entries
from officeline.documents.choices import DocumentKind
from officeline.documents.errors import DocumentError
from officeline.documents.models import Document, DocumentReview, DocumentVersion
from officeline.events.services import record_event
from officeline.markets.deadlines import add_months, local_date
from officeline.markets.definitions import UnknownMarket, get_market

# INFO-2: the codes are reviewed every quarter, so the next review is due three months on.
REVIEW_INTERVAL_MONTHS = 3
# Who may publish a new version from the console, and record a review of a code
# (accounts.permissions).
PUBLISHER_CAPABILITY = "documents.publish"
REVIEWER_CAPABILITY = "documents.review"


@dataclass(frozen=True)
class Published:
    version: DocumentVersion
    created: bool


def _check(market: str, language: str, kind: str, version: str, body: str) -> None:
    try:
        get_market(market)
    except UnknownMarket as exc:
        raise DocumentError("market", str(exc), code="unknown_market") from None
    languages = [code for code, _name in settings.LANGUAGES]
    if language not in languages:
        raise DocumentError(
            "language",
            f"unknown language {language!r}: expected one of {', '.join(languages)}",
            code="unknown_language",
        )
    if kind not in DocumentKind.values:
        raise DocumentError(
            "kind",
            f"unknown kind {kind!r}: expected one of {', '.join(DocumentKind.values)}",
            code="unknown_kind",
        )
    if not version.strip():
        raise DocumentError("version", "a version label is required", code="version_required")
    if not body.strip():
        raise DocumentError("body", "the text is empty", code="empty_text")


def publish_version(
    *,
    market: str,
    language: str,
    kind: str,
    title: str,
    version: str,
    last_updated: dt.date,
    body: str,
    actor: Actor = None,
    material_change: bool = False,
    summary_of_changes: str = "",
    effective_from: dt.date | None = None,
    new_uses: Sequence[str] = (),
) -> Published:
    """Publish one version of a document with its "last updated" date (INFO-2, LIFE-5).

    Idempotent: publishing the same version with the same text again changes
    nothing. A published version never changes, so the same version label with
    another text is refused; a new text needs a new version, dated no earlier
    than the current one.
    """
    _check(market, language, kind, version, body)
    if not title.strip():
        raise DocumentError("title", "a title is required", code="title_required")
    now = clock.now()
    with transaction.atomic():
        document, _created = Document.objects.select_for_update().get_or_create(
            kind=kind, market=market, language=language, defaults={"title": title}
        )
        existing = document.versions.filter(version=version).first()
        if existing is not None:
            if existing.sha256 != hashlib.sha256(body.encode()).hexdigest():
                raise DocumentError(
                    "version",
                    f"version {version} of {document} is published already with another text; "
                    "publish the change as a new version",
                    code="version_published_with_another_text",
                )
            return Published(existing, False)
        _check_new_version(
            document,
            today=local_date(market, now),
            last_updated=last_updated,
            material_change=material_change,
            effective_from=effective_from,
            summary_of_changes=summary_of_changes,
            new_uses=new_uses,
        )
        published = DocumentVersion.objects.create(
            document=document,
            version=version,
            last_updated=last_updated,
            body=body,
            published_at=now,
            material_change=material_change,
            summary_of_changes=summary_of_changes,
            effective_from=effective_from,
            new_uses=list(new_uses),
        )
        _record_published(document, published, title=title, actor=actor, now=now)
        if material_change:
            changes.announce(published)
    return Published(published, True)


def _check_new_version(
    document: Document,
    *,
    today: dt.date,
    last_updated: dt.date,
    material_change: bool,
    effective_from: dt.date | None,
    summary_of_changes: str,
    new_uses: Sequence[str],
) -> None:
    """Refuse a new version while a change waits to take effect, a change that breaks its
    rules (``changes.check``) or a date before the current version's."""
    current = document.current_version(today)
    waiting = document.upcoming_version(today)
    if waiting is not None:
        raise DocumentError(
            "version",
            f"version {waiting.version} of {document} takes effect on "
            f"{waiting.effective_from}; publish another version after that day",
            code="change_waiting",
        )
    problems = changes.check(
        document,
        today=today,
        material_change=material_change,
        effective_from=effective_from,
        summary_of_changes=summary_of_changes,
        new_uses=new_uses,
    )
    if problems:
        field, message = next(iter(problems.items()))
        raise DocumentError(field, message, code=changes.PROBLEM_CODES[field])
    if current is not None and last_updated < current.last_updated:
        raise DocumentError(
            "last_updated",
            f"{last_updated.isoformat()} is before the current version's "
            f"{current.last_updated.isoformat()}",
            code="older_than_current",
        )


def _record_published(
    document: Document, published: DocumentVersion, *, title: str, actor: Actor, now: dt.datetime
) -> None:
    """The document takes the new title (and a first review date, for a code); the event."""
    before = {"title": document.title, "next_review_due": _iso(document.next_review_due)}
    document.title = title
    if document.reviewed_quarterly and document.next_review_due is None:
        # INFO-2: a code never reviewed is due a quarter after its last update.
        document.next_review_due = add_months(published.last_updated, REVIEW_INTERVAL_MONTHS)
    document.save(update_fields=["title", "next_review_due"])
    record_event(
        action="documents.version_published",
        actor=actor,
        subject=published,
        at=now,
        before=before,
        after={
            "document": f"{document.market}/{document.language}/{document.kind}",
            "version": published.version,
            "last_updated": published.last_updated.isoformat(),
            "sha256": published.sha256,
            "next_review_due": _iso(document.next_review_due),
            "material_change": published.material_change,
            "effective_from": _iso(published.effective_from),
            "new_uses": list(published.new_uses),
        },
    )


def publish_catalogue(
    *, market: str | None = None, actor: Actor = None
) -> list[tuple[PublishedText, Published]]:
    """Publish every text of the catalogue that is not published yet (idempotent)."""
    results = []
    with transaction.atomic():
        for entry in entries(market):
            results.append(
                (
                    entry,
                    publish_version(
                        market=entry.market,
                        language=entry.language,
                        kind=entry.kind,
                        title=entry.title,
                        version=entry.version,
                        last_updated=entry.last_updated,
                        body=entry.body(),
                        actor=actor,
                        summary_of_changes=entry.summary_of_changes,
                    ),
                )
            )
    return results


def record_review(*, document: Document, actor: Actor, notes: str = "") -> DocumentReview:
    """Record a quarterly review of a code; the next is due three months later (INFO-2).

    The review date is today in the document's market; the next review is due
    on the same day number three months on (``add_months``).
    """
    require_capability(actor, REVIEWER_CAPABILITY)
    if not document.reviewed_quarterly:
        raise DocumentError(
            "document",
            f"{document} is not a code reviewed quarterly",
            code="not_reviewed_quarterly",
        )
    now = clock.now()
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        reviewed_on = local_date(locked.market, now)
        next_due = add_months(reviewed_on, REVIEW_INTERVAL_MONTHS)
        before = {"next_review_due": _iso(locked.next_review_due)}
        review = DocumentReview.objects.create(
            document=locked,
            reviewed_at=now,
            reviewed_by=actor,
            notes=notes.strip(),
            next_review_due=next_due,
        )
        locked.next_review_due = next_due
        locked.save(update_fields=["next_review_due"])
        record_event(
            action="documents.review_recorded",
            actor=actor,
            subject=locked,
            at=now,
            before=before,
            after={"reviewed_on": reviewed_on.isoformat(), "next_review_due": next_due.isoformat()},
            data={"notes": review.notes} if review.notes else None,
        )
    document.next_review_due = next_due
    return review


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
