"""``officeline staff-left``: record that an operator staff member left (PRIV-8).

    officeline staff-left --email sam@operator.test --on 2026-11-20
    sam@operator.test left on 2026-11-20; login disabled; name and email kept until 2032-11-21

The login stops working at once (password, second-factor devices, API tokens and
sessions removed); the name and email are anonymised by the retention run at the
end of the register's ``former_staff`` period.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from officeline import clock
from officeline.accounts.models import User
from officeline.accounts.services.staff import record_staff_departure
from officeline.cli import command_error


class Command(BaseCommand):
    help = "Record that an operator staff member left; their login stops working (PRIV-8)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="the staff member's login email")
        parser.add_argument("--on", required=True, help="the day they left, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"--email: nobody logs in with {email!r}")
        try:
            left_on = dt.date.fromisoformat(options["on"].strip())
        except ValueError:
            raise CommandError(
                f"--on: write the day as YYYY-MM-DD, not {options['on']!r}"
            ) from None
        try:
            left = record_staff_departure(
                user=user, left_on=left_on, actor="staff (command line)", now=clock.now()
            )
        except ValidationError as exc:
            raise command_error(exc, {"user": "email", "left_on": "on"}) from None
        kept = left.forget_at.date().isoformat() if left.forget_at else "-"
        self.stdout.write(
            f"{left.email} left on {left_on.isoformat()}; login disabled; "
            f"name and email kept until {kept}"
        )
