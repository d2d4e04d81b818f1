"""``officeline terminate-customer``: the operator ends a customer's service (LIFE-2, AUP-4).

    officeline terminate-customer --customer 42 --ground convenience --note "Building closes"
    customer 42 (Acme Ltd): ends on 2026-03-18 (convenience)

    officeline terminate-customer --customer accounts@acme.test --ground abnormal_use \\
        --period 2026-02-01:2026-02-07 --period 2026-02-14:2026-02-14

``--customer`` is the customer's id (as in the console's address) or its account
email. ``--period`` (first and last day, in the market's calendar) goes with the
ground ``abnormal_use`` only, and is required for it. The customer is notified
in writing; what is owed is due at once (LIFE-4).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from officeline.accounts.models import Customer
from officeline.billing.choices import TerminationKind
from officeline.billing.services.termination import terminate_by_operator
from officeline.cli import command_error
from officeline.markets.deadlines import local_date

GROUNDS = [k for k in TerminationKind.values if k != TerminationKind.CUSTOMER]


def _customer(value: str) -> Customer:
    value = value.strip()
    found = (
        Customer.objects.filter(pk=int(value)).first()
        if value.isdigit()
        else Customer.objects.filter(email__iexact=value).first()
    )
    if found is None:
        raise CommandError(f"--customer: there is no customer {value!r} (give its id or email)")
    return found


def _period(text: str) -> tuple[dt.date, dt.date]:
    first, sep, last = text.partition(":")
    try:
        start = dt.date.fromisoformat(first.strip())
        return start, dt.date.fromisoformat(last.strip()) if sep else start
    except ValueError:
        raise CommandError(
            f"--period: write a period as YYYY-MM-DD:YYYY-MM-DD, not {text!r}"
        ) from None


class Command(BaseCommand):
    help = "End a customer's service on one of the operator's grounds (LIFE-2, AUP-4)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--customer", required=True, help="the customer's id or email")
        parser.add_argument("--ground", required=True, help=", ".join(GROUNDS))
        parser.add_argument(
            "--period",
            action="append",
            default=[],
            help="a period of abnormal use, FIRST:LAST (abnormal_use only; repeat for more)",
        )
        parser.add_argument("--note", default="", help="a note kept with the termination")

    def handle(self, *args: Any, **options: Any) -> None:
        customer = _customer(options["customer"])
        ground = options["ground"].strip()
        if ground not in GROUNDS:
            raise CommandError(f"--ground: choose one of {', '.join(GROUNDS)}, not {ground!r}")
        periods = [_period(p) for p in options["period"]]
        try:
            termination = terminate_by_operator(
                customer=customer,
                kind=ground,
                actor="staff (command line)",
                note=options["note"],
                abnormal_periods=periods,
            )
        except ValidationError as exc:
            raise command_error(exc, {"abnormal_periods": "period"}) from None
        if termination is None:
            raise CommandError(
                f"customer {customer.pk} ({customer.legal_name}): the service is already ending"
            )
        day = local_date(customer.market, termination.effective_at)
        self.stdout.write(
            f"customer {customer.pk} ({customer.legal_name}): ends on {day.isoformat()} ({ground})"
        )
