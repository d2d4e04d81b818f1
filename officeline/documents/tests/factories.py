"""Factories of the documents app."""

from __future__ import annotations

import datetime as dt

import factory
from allauth.mfa.totp.internal.auth import TOTP

from officeline.accounts.tests.factories import StaffFactory
from officeline.documents.choices import DocumentKind
from officeline.documents.models import Document, DocumentVersion
from officeline.documents.services import publish_version

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


# The test clock: Wednesday 25 November 2026; one month later is 25 December.
ONE_MONTH_ON = dt.date(2026, 12, 25)


def publish_change(market: str, kind: str, **overrides):
    """A material change of ``market``'s ``kind`` published as version 2, to take effect one
    month on (``ONE_MONTH_ON``); ``overrides`` change what is published."""
    document = Document.objects.get(market=market, kind=kind)
    values = {
        "market": market,
        "language": document.language,
        "kind": kind,
        "title": document.title,
        "version": "2",
        "last_updated": dt.date(2026, 11, 25),
        "body": "New text.",
        "material_change": True,
        "summary_of_changes": "The notice period for ending the service becomes 30 days.",
        "effective_from": ONE_MONTH_ON,
        # PRIV-12: a material change of the privacy policy names the new uses it brings.
        "new_uses": ["analytics"] if kind == "privacy_policy" else [],
    }
    values.update(overrides)
    return publish_version(**values).version


# A fixed base32 secret for tests (RFC 6238 test key, "12345678901234567890").
TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def staff_with_totp(**fields):
    """A staff user (agent unless ``staff_role`` says otherwise) enrolled with TOTP_SECRET:
    the console lets staff in only with a second factor."""
    user = StaffFactory(**fields)
    TOTP.activate(user, TOTP_SECRET)
    return user
