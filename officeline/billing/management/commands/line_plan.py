"""``officeline line-plan``: move a line to the commercial per-minute plan or back (BILL-11, AUP-2).

    officeline line-plan --line +442079460123 --plan commercial --reason "Abnormal use, review 12"
    +442079460123 commercial from 2026-03-01T10:00:00+00:00

Without ``--from`` the change takes effect now; ``--from`` takes an ISO date and
time with its offset, not in the past. The customer is told in writing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from officeline.billing.choices import Plan
from officeline.billing.services.plans import change_line_plan
from officeline.cli import command_error
from officeline.lines.choices import LineStatus
from officeline.lines.models import Line


class Command(BaseCommand):
    help = "Put a line on the standard or the commercial per-minute plan (BILL-11, AUP-2)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--line", required=True, help="the line's number in E.164")
        parser.add_argument("--plan", required=True, help=" or ".join(Plan.values))
        parser.add_argument("--reason", required=True, help="why (the review case, AUP-2)")
        parser.add_argument("--from", dest="effective_at", default="", help="ISO date-time")

    def handle(self, *args: Any, **options: Any) -> None:
        number = options["line"].strip()
        line = (
            Line.objects.filter(number__e164=number)
            .exclude(status=LineStatus.TERMINATED)
            .select_related("number")
            .first()
        )
        if line is None:
            raise CommandError(f"--line: no live line has the number {number!r}")
        effective_at = None
        if options["effective_at"]:
            try:
                effective_at = dt.datetime.fromisoformat(options["effective_at"])
            except ValueError:
                raise CommandError(
                    f"--from: {options['effective_at']!r} is not a date and time "
                    "(write it like 2026-03-01T10:00:00+00:00)"
                ) from None
            if effective_at.tzinfo is None:
                raise CommandError("--from: give the time zone offset, e.g. +00:00")
        try:
            row = change_line_plan(
                line=line,
                plan=options["plan"],
                actor="staff (command line)",
                reason=options["reason"],
                effective_at=effective_at,
            )
        except ValidationError as exc:
            raise command_error(exc, {"effective_at": "from"}) from None
        self.stdout.write(f"{line.number.e164} {row.plan} from {row.effective_at.isoformat()}")
