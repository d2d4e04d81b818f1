"""Factories of the documents app."""

from __future__ import annotations

import datetime as dt

import factory

from officeline.documents.choices import DocumentKind
from officeline.documents.models import Document, DocumentVersion

FIXED = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document
        django_get_or_create = ("kind", "market", "language")

    kind = DocumentKind.CODE_OF_PRACTICE
    market = "uk"
    language = "en"
    title = "Code of Practice"


class DocumentVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentVersion

    document = factory.SubFactory(DocumentFactory)
    version = factory.Sequence(lambda n: str(n + 1))
    last_updated = dt.date(2026, 1, 1)
    body = factory.Sequence(lambda n: f"Text number {n}.")
    published_at = FIXED
