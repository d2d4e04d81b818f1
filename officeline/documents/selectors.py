"""Reads of the documents app: what is published, and which reviews are due (INFO-2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from officeline.documents.choices import DocumentKind, ReviewStatus
from officeline.documents.models import Document, DocumentVersion
from officeline.markets.choices import MarketCode
from officeline.markets.deadlines import local_date
from officeline.markets.definitions import get_market

# INFO-2: a review is shown as due this many days before its date, and overdue after it.
REVIEW_DUE_SOON_DAYS = 30


def document_for(market: str, kind: str, language: str) -> Document | None:
    """The market's document of a kind in ``language``, else in the market's own language."""
    candidates = {
        d.language: d
        for d in Document.objects.filter(
            market=market, kind=kind, versions__published_at__isnull=False
        ).distinct()
    }
    return candidates.get(language) or candidates.get(get_market(market).language)


def current_version(market: str, kind: str, language: str) -> DocumentVersion | None:
    """The version in force of a market's document (``document_for``'s language rule)."""
    document = document_for(market, kind, language)
    return document.current_version() if document else None


def current_terms(market: str, language: str | None = None) -> DocumentVersion | None:
    """The terms a customer of ``market`` accepts at sign-up (ACC-2)."""
    return current_version(market, DocumentKind.TERMS, language or get_market(market).language)


@dataclass(frozen=True)
class ReviewDue:
    document: Document
    due_on: dt.date | None  # None: never scheduled, so due now
    status: ReviewStatus
    days_overdue: int


def reviews_due(now: dt.datetime) -> list[ReviewDue]:
    """INFO-2: the codes whose quarterly review is overdue, or due within 30 days.

    Overdue: the due date is before today in the document's market. Due: today
    or within ``REVIEW_DUE_SOON_DAYS``. Most overdue first.
    """
    found: list[ReviewDue] = []
    for market in MarketCode.values:
        today = local_date(market, now)
        horizon = today + dt.timedelta(days=REVIEW_DUE_SOON_DAYS)
        documents = Document.objects.filter(
            Q(next_review_due__lte=horizon) | Q(next_review_due__isnull=True),
            market=market,
            kind__in=DocumentKind.reviewed_quarterly(),
        )
        for document in documents:
            due_on = document.next_review_due
            overdue = due_on is None or due_on < today
            found.append(
                ReviewDue(
                    document=document,
                    due_on=due_on,
                    status=ReviewStatus.OVERDUE if overdue else ReviewStatus.DUE,
                    days_overdue=(today - due_on).days if due_on and overdue else 0,
                )
            )
    found.sort(key=lambda r: (r.due_on or dt.date.min, r.document.market, r.document.kind))
    return found
