from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from officeline import clock
from officeline.documents.choices import DataUse, DocumentKind
from officeline.markets.choices import MarketCode
from officeline.markets.deadlines import local_date


class Document(models.Model):
    """A published document of one market and language (INFO-2)."""

    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    market = models.CharField(max_length=2, choices=MarketCode.choices)
    language = models.CharField(max_length=5)
    title = models.CharField(max_length=200)
    # INFO-2: when the next quarterly review is due (codes only); set from the last review.
    next_review_due = models.DateField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "market", "language"], name="document_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.market}/{self.language})"

    def current_version(self, on: dt.date | None = None) -> DocumentVersion | None:
        """The version in force on ``on`` (today in the document's market by default).

        The latest published version, unless it waits for its ``effective_from`` date
        (a material change announced ahead, LIFE-5 / PRIV-12).
        """
        on = on or local_date(self.market, clock.now())
        return (
            self.versions.filter(published_at__isnull=False)
            .filter(Q(effective_from__isnull=True) | Q(effective_from__lte=on))
            .order_by("-published_at", "-pk")
            .first()
        )

    def upcoming_version(self, on: dt.date | None = None) -> DocumentVersion | None:
        """A published version that takes effect after ``on`` (LIFE-5, PRIV-12), if any."""
        on = on or local_date(self.market, clock.now())
        return (
            self.versions.filter(published_at__isnull=False, effective_from__gt=on)
            .order_by("effective_from", "pk")
            .first()
        )

    @property
    def reviewed_quarterly(self) -> bool:
        """INFO-2: the codes (code of practice, complaints code) are reviewed every quarter."""
        return self.kind in DocumentKind.reviewed_quarterly()


class DocumentVersion(models.Model):
    """One version of a document, with its 'last updated' date and a hash of its text.

    A published version never changes; a change is a new version (LIFE-5).
    """

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(max_length=20)
    last_updated = models.DateField(_("last updated"))
    body = models.TextField()
    sha256 = models.CharField(max_length=64, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    # LIFE-5 / PRIV-12: a change that may materially disadvantage customers, or uses data differently.
    material_change = models.BooleanField(default=False)
    summary_of_changes = models.TextField(blank=True)
    effective_from = models.DateField(null=True, blank=True)
    # PRIV-12: the uses of data (``DataUse``) a material change of the privacy policy introduces.
    new_uses = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "version"], name="document_version_unique")
        ]
        ordering = ["document", "-published_at"]

    def __str__(self) -> str:
        return f"{self.document} v{self.version}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.sha256 = hashlib.sha256(self.body.encode()).hexdigest()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def new_use_labels(self) -> list[str]:
        """PRIV-12: the new uses of data this version introduces, in the reader's language."""
        return [str(DataUse(use).label) for use in self.new_uses if use in DataUse.values]


class DocumentReview(models.Model):
    """A quarterly review of a code (INFO-2): who reviewed it, when, and when the next is due."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="reviews")
    reviewed_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)
    next_review_due = models.DateField()

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        indexes = [models.Index(fields=["document", "-reviewed_at"])]

    def __str__(self) -> str:
        return f"{self.document} reviewed {self.reviewed_at:%Y-%m-%d}"
