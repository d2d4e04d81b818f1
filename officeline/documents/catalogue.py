"""The operator's published documents, as shipped in ``texts/`` (INFO-2).

Each entry is one version of one document of one market and language. The
texts are Markdown; ``officeline load_documents`` (and the demo data) publish
them. A published version never changes: to change a text, add a new entry
with a new version and a new "last updated" date (LIFE-5), and keep the old one.

uk publishes the English texts: the code of practice (seed 000), the complaints
code (001), the privacy and cookies policy (002), and terms for the uk market
derived from the French terms (004) with the differences the uk market makes.
fr publishes the French terms (004) and French versions, adapted for the fr
market, of the code of practice, the complaints code and the privacy policy.
The US privacy policy (003) is published in neither market.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from officeline.documents.choices import DocumentKind

TEXTS_DIR = Path(__file__).resolve().parent / "texts"
# The date the uk terms and the fr versions of the codes and the policy were written.
ADAPTED_ON = dt.date(2026, 11, 25)


@dataclass(frozen=True)
class PublishedText:
    market: str
    language: str
    kind: DocumentKind
    title: str
    version: str
    last_updated: dt.date
    filename: str  # under texts/<market>/
    summary_of_changes: str = ""

    @property
    def path(self) -> Path:
        return TEXTS_DIR / self.market / self.filename

    def body(self) -> str:
        return self.path.read_text(encoding="utf-8")


CATALOGUE: tuple[PublishedText, ...] = (
    PublishedText(
        "uk",
        "en",
        DocumentKind.CODE_OF_PRACTICE,
        "Code of Practice on Availability of Information",
        "1",
        dt.date(2017, 8, 9),
        "code_of_practice.en.md",
    ),
    PublishedText(
        "uk",
        "en",
        DocumentKind.COMPLAINTS_CODE,
        "Code of Practice for Complaints Handling",
        "1",
        dt.date(2017, 8, 9),
        "complaints_code.en.md",
    ),
    PublishedText(
        "uk",
        "en",
        DocumentKind.PRIVACY_POLICY,
        "Privacy and Cookies Policy",
        "1",
        dt.date(2020, 11, 24),
        "privacy_policy.en.md",
    ),
    PublishedText(
        "uk",
        "en",
        DocumentKind.TERMS,
        "Terms and Conditions",
        "1",
        ADAPTED_ON,
        "terms.en.md",
        "Terms for the uk market, from the French terms of 1 April 2017: Ofcom, GBP, "
        "English law, ADR for micro-businesses.",
    ),
    PublishedText(
        "fr",
        "fr",
        DocumentKind.CODE_OF_PRACTICE,
        "Code de bonnes pratiques sur la mise à disposition des informations",
        "1",
        ADAPTED_ON,
        "code_of_practice.fr.md",
        "Version du marché français, adaptée du code britannique du 9 août 2017.",
    ),
    PublishedText(
        "fr",
        "fr",
        DocumentKind.COMPLAINTS_CODE,
        "Code de bonnes pratiques pour le traitement des réclamations",
        "1",
        ADAPTED_ON,
        "complaints_code.fr.md",
        "Version du marché français, adaptée du code britannique du 9 août 2017.",
    ),
    PublishedText(
        "fr",
        "fr",
        DocumentKind.PRIVACY_POLICY,
        "Politique de confidentialité et de cookies",
        "1",
        ADAPTED_ON,
        "privacy_policy.fr.md",
        "Version du marché français, adaptée de la politique britannique du 24 novembre 2020.",
    ),
    PublishedText(
        "fr",
        "fr",
        DocumentKind.TERMS,
        "Conditions générales",
        "1",
        dt.date(2017, 4, 1),
        "terms.fr.md",
    ),
)


def entries(market: str | None = None) -> list[PublishedText]:
    """The catalogue, optionally of one market."""
    return [e for e in CATALOGUE if market is None or e.market == market]
