"""``officeline deadline``: the deadline of a period, computed as the rules say.

officeline deadline --market uk --from 2026-12-24T16:30:00+00:00 --business-days 1
2026-12-29T23:59:59.999999+00:00
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from officeline.markets.deadlines import DeadlineError, DeadlineUnit, deadline_for
from officeline.markets.definitions import UnknownMarket, get_market
from officeline.markets.parsing import parse_count, parse_start


class Command(BaseCommand):
    help = "Print the deadline of a period in a market's calendar, as one ISO 8601 line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--market", required=True, help="uk or fr")
        parser.add_argument("--from", dest="start", required=True, help="ISO 8601 with offset")
        units = parser.add_mutually_exclusive_group(required=True)
        units.add_argument("--business-days", dest="business_days", metavar="N")
        units.add_argument("--days", metavar="N")
        units.add_argument("--weeks", metavar="N")
        units.add_argument("--months", metavar="N")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            market = get_market(options["market"])
        except UnknownMarket as exc:
            raise CommandError(f"--market: {exc}") from None
        try:
            start = parse_start(options["start"], field="--from")
            unit = next(u for u in DeadlineUnit if options[u.value] is not None)
            count = parse_count(options[unit.value], field="--" + unit.value.replace("_", "-"))
            result = deadline_for(market, start, unit, count)
        except DeadlineError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(result.isoformat())
