"""``officeline late-interest``: BILL-8 late-payment interest and the fixed recovery fee.

    officeline late-interest --market fr --amount 1200.00 --due 2026-01-10 --paid 2026-03-01
    rate 12.15 %
    interest 19.97 EUR
    recovery fee 40.00 EUR
    total 59.97 EUR

One ``rate`` line per half-year the lateness runs through (with its days when
there are several), then the interest, the fixed recovery fee and their total,
in the market's currency. Paid on the due date is not late: nothing is owed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from officeline.billing.interest import (
    InterestError,
    annual_rate_bp,
    interest_on,
    interest_periods,
    recovery_fee,
)
from officeline.billing.management.commands.porting_compensation import parse_date
from officeline.billing.money import Money, MoneyError
from officeline.markets.definitions import UnknownMarket, get_market
from officeline.markets.rates import NoReferenceRate, percent


class Command(BaseCommand):
    help = "Print the late-payment interest and the fixed recovery fee on an amount (BILL-8)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--market", required=True, help="uk or fr")
        parser.add_argument("--amount", required=True, help="the amount paid late, e.g. 1200.00")
        parser.add_argument("--due", required=True, help="the due date, YYYY-MM-DD")
        parser.add_argument("--paid", required=True, help="the payment date, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            market = get_market(options["market"])
        except UnknownMarket as exc:
            raise CommandError(f"--market: {exc}") from None
        try:
            amount = Money.parse(options["amount"], market.currency)
        except MoneyError as exc:
            raise CommandError(f"--amount: {exc}") from None
        due = parse_date("--due", options["due"])
        paid = parse_date("--paid", options["paid"])
        if paid < due:
            raise CommandError(
                f"--paid {paid.isoformat()} is before --due {due.isoformat()}: "
                "interest runs from the due date until payment"
            )
        try:
            periods = interest_periods(market.code, due, paid)
            interest = Money(interest_on(amount.minor, periods), market.currency)
            # Paid on the due date is not late: no interest and no recovery fee.
            fee_minor = recovery_fee(market.code, amount.minor) if periods else 0
            on_time_rate = None if periods else annual_rate_bp(market.code, due)
        except (InterestError, NoReferenceRate) as exc:
            raise CommandError(str(exc)) from None
        fee = Money(fee_minor, market.currency)
        if on_time_rate is not None:
            self.stdout.write(f"rate {percent(on_time_rate)}")
        elif len(periods) == 1:
            self.stdout.write(f"rate {percent(periods[0].annual_rate_bp)}")
        else:
            for period in periods:
                self.stdout.write(
                    f"rate {percent(period.annual_rate_bp)} from {period.first_day.isoformat()} "
                    f"to {period.last_day.isoformat()} ({period.days} days)"
                )
        self.stdout.write(f"interest {interest.plain()}")
        self.stdout.write(f"recovery fee {fee.plain()}")
        self.stdout.write(f"total {(interest + fee).plain()}")
