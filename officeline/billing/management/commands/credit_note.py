"""``officeline credit-note``: correct an issued invoice with a credit note (BILL-5).

officeline credit-note --invoice UK-00000001 --reason "Line charged twice" [--lines 2]
UK-00000003 -30.00 GBP credits UK-00000001
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from officeline.billing.models import Invoice
from officeline.billing.services.credit_notes import issue_credit_note
from officeline.cli import command_error


class Command(BaseCommand):
    help = "Issue a credit note for an invoice, in full or for some of its lines (BILL-5)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--invoice", required=True, help="the invoice number, e.g. UK-00000001")
        parser.add_argument("--reason", required=True, help="why the invoice is corrected")
        parser.add_argument(
            "--lines", default="", help="positions to credit, e.g. 1,3 (all if unset)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        invoice = Invoice.objects.filter(number=options["invoice"].strip()).first()
        if invoice is None:
            raise CommandError(f"--invoice: there is no invoice numbered {options['invoice']!r}")
        positions = None
        if options["lines"]:
            try:
                positions = [int(p) for p in options["lines"].split(",")]
            except ValueError:
                raise CommandError("--lines: write line positions like 1,3") from None
        try:
            note = issue_credit_note(
                invoice=invoice, actor="staff (command line)", reason=options["reason"],
                positions=positions,
            )  # fmt: skip
        except ValidationError as exc:
            raise command_error(exc) from None
        self.stdout.write(f"{note.number} {note.total.plain()} credits {invoice.number}")
