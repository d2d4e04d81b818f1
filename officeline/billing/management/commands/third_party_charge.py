"""``officeline third-party-charge``: record a charge a third party billed to a number (BILL-10).

    officeline third-party-charge --number +442079460123 --service "118 118 directory enquiries" \\
        --amount 4.50 --at 2026-02-03T14:20:00+00:00 --reference CARRIER-8812
    recorded 4.50 GBP for +442079460123 (customer 12), billed on the next invoice at cost plus 10 %

For charges read from the carrier's statement; the carrier's own report is
fetched by ``tick``. A reference already recorded is not recorded twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from officeline import clock
from officeline.billing.choices import ThirdPartySource
from officeline.billing.money import Money, MoneyError
from officeline.billing.selectors import price_list_in_force
from officeline.billing.services.third_party import line_with_number, record_third_party_charge
from officeline.billing.templatetags.billing import percent_bp
from officeline.cli import command_error
from officeline.markets.deadlines import local_date
from officeline.markets.definitions import get_market


class Command(BaseCommand):
    help = "Record a third-party charge billed to one of our numbers (BILL-10)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--number", required=True, help="the number billed, in E.164")
        parser.add_argument("--service", required=True, help="the third party that billed it")
        parser.add_argument("--amount", required=True, help="its cost, e.g. 4.50")
        parser.add_argument("--at", required=True, help="when, ISO date-time with offset")
        parser.add_argument("--reference", default="", help="the carrier's reference")
        parser.add_argument("--description", default="", help="what it was")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            occurred_at = dt.datetime.fromisoformat(options["at"].strip())
        except ValueError:
            raise CommandError(
                f"--at: {options['at']!r} is not a date and time "
                "(write it like 2026-02-03T14:20:00+00:00)"
            ) from None
        if occurred_at.tzinfo is None:
            raise CommandError("--at: give the time zone offset, e.g. +00:00")
        line = line_with_number(options["number"].strip(), occurred_at)
        if line is None:
            raise CommandError(f"--number: no line had the number {options['number']!r} then")
        market = line.customer.market
        try:
            amount = Money.parse(options["amount"], get_market(market).currency)
        except MoneyError as exc:
            raise CommandError(f"--amount: {exc}") from None
        try:
            charge, created = record_third_party_charge(
                phone_number=line.number.e164,
                service=options["service"],
                description=options["description"],
                amount=amount,
                occurred_at=occurred_at,
                source=ThirdPartySource.STAFF,
                reference=options["reference"],
                actor="staff (command line)",
            )
        except ValidationError as exc:
            raise command_error(exc, {"occurred_at": "at", "phone_number": "number"}) from None
        if not created:
            self.stdout.write(f"already recorded: reference {charge.reference}")
            return
        fee = price_list_in_force(market, local_date(market, clock.now())).third_party_fee_bp
        self.stdout.write(
            f"recorded {amount.plain()} for {charge.phone_number} (customer {charge.customer_id}),"
            f" billed on the next invoice at cost plus {percent_bp(fee)}"
        )
