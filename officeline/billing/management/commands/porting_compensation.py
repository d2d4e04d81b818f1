"""``officeline porting-compensation``: PORT-2 compensation for a late port.

officeline porting-compensation --monthly-fee 25.00 --currency EUR --due 2026-03-02 --completed 2026-03-09
5.75 EUR
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from officeline.billing.money import Money, MoneyError
from officeline.billing.porting import porting_compensation


def parse_date(option: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} {value!r} is not a date (write it as YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Print the compensation for a port completed after its due date (PORT-2)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--monthly-fee", dest="monthly_fee", required=True, help="e.g. 25.00")
        parser.add_argument("--currency", required=True, help="ISO 4217, e.g. EUR")
        parser.add_argument("--due", required=True, help="the port's due date, YYYY-MM-DD")
        parser.add_argument("--completed", required=True, help="the completion date, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            fee = Money.parse(options["monthly_fee"], options["currency"])
        except MoneyError as exc:
            raise CommandError(f"--monthly-fee/--currency: {exc}") from None
        due = parse_date("--due", options["due"])
        completed = parse_date("--completed", options["completed"])
        self.stdout.write(
            porting_compensation(monthly_fee=fee, due=due, completed=completed).plain()
        )
