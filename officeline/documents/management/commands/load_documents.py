"""``officeline load_documents [--market uk|fr]``: publish the shipped documents (idempotent).

Prints one line per text: ``published`` or ``unchanged``, then market,
language, kind, version and "last updated" date. A text changed without a new
version is refused with a clear error and nothing is published.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from officeline.documents.errors import DocumentError
from officeline.documents.services import publish_catalogue
from officeline.markets.choices import MarketCode


class Command(BaseCommand):
    help = "Publish the operator's documents shipped with Officeline (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--market", choices=MarketCode.values, help="only this market")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = publish_catalogue(market=options.get("market"))
        except DocumentError as exc:
            raise CommandError(str(exc)) from None
        for entry, published in results:
            state = "published" if published.created else "unchanged"
            self.stdout.write(
                f"{state:<10} {entry.market}/{entry.language}/{entry.kind.value} "
                f"version {entry.version}, last updated {entry.last_updated.isoformat()}"
            )
