"""``officeline billing-schedule``: when billing starts and the next periods start.

    officeline billing-schedule --market fr --activation-requested 2026-01-24 --periods 3
    2026-01-31
    2026-02-28
    2026-03-31

One ISO date a line: the billing start (BILL-2), which is the start of the first
period, then the start of each following period (BILL-3), ``--periods`` lines in all.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from officeline.billing.management.commands.porting_compensation import parse_date
from officeline.billing.schedule import billing_start, period_starts
from officeline.markets.definitions import UnknownMarket, get_market

MAX_PERIODS = 600


class Command(BaseCommand):
    help = "Print the billing start and the following period starts, one ISO date a line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--market", required=True, help="uk or fr")
        parser.add_argument(
            "--activation-requested", dest="requested", required=True, help="YYYY-MM-DD"
        )
        parser.add_argument(
            "--periods", default="1", help="how many period starts to print (default 1)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            get_market(options["market"])
        except UnknownMarket as exc:
            raise CommandError(f"--market: {exc}") from None
        requested = parse_date("--activation-requested", options["requested"])
        try:
            periods = int(options["periods"])
        except ValueError:
            raise CommandError(f"--periods {options['periods']!r} is not a whole number") from None
        if not 1 <= periods <= MAX_PERIODS:
            raise CommandError(f"--periods must be between 1 and {MAX_PERIODS}")
        for start in period_starts(billing_start(requested), periods):
            self.stdout.write(start.isoformat())
