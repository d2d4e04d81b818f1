"""Third-party charges billed to our numbers, passed on at cost plus a service fee (BILL-10).

The terms (004 4(h)): calls or other services of third parties billed to the
customer's number are charged at their cost, as the billing provider
determined it, plus an additional service fee calculated as a percentage of
that amount. This is also what a standard line is charged outside its monthly
fee (BILL-11: its calls themselves are included).

Charges come from the carrier's report (``officeline.billing.carriers``,
fetched by ``tick``) or are recorded by staff from the carrier's statement
(``officeline third-party-charge``). Each is charged once, on the customer's
next invoice: one invoice line per charge at cost, and one line for the
service fee, the price list's ``third_party_fee_bp`` of their sum rounded once
(half up, ``money.py``). VAT is charged on both, per line, like every charge.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.models import User
from officeline.actors import Actor
from officeline.billing.carriers import get_feed
from officeline.billing.choices import ChargeKind, ThirdPartySource
from officeline.billing.errors import BillingError
from officeline.billing.models import PriceList, ThirdPartyCharge
from officeline.billing.money import Money
from officeline.billing.services.invoices import DraftLine
from officeline.events.services import record_event
from officeline.lines.models import Line
from officeline.markets.deadlines import local_date
from officeline.markets.definitions import get_market

logger = logging.getLogger(__name__)
IMPORT_BATCH = 200


def line_with_number(phone_number: str, at: dt.datetime) -> Line | None:
    """The line that had ``phone_number`` at ``at`` (numbers are given again after quarantine)."""
    return (
        Line.objects.filter(number__e164=phone_number, activation_requested_at__lte=at)
        .filter(Q(terminated_at__isnull=True) | Q(terminated_at__gte=at))
        .select_related("customer", "number")
        .order_by("-activation_requested_at")
        .first()
    )


def record_third_party_charge(
    *,
    phone_number: str,
    service: str,
    amount: Money,
    occurred_at: dt.datetime,
    source: str,
    actor: Actor | str,
    reference: str = "",
    description: str = "",
) -> tuple[ThirdPartyCharge, bool]:
    """BILL-10: a charge a third party billed to ``phone_number``, for the next invoice.

    Returns the charge and whether it is new: a carrier reference already recorded
    gives back the charge recorded then.
    """
    phone_number, service = phone_number.strip(), service.strip()
    reference, description = reference.strip(), description.strip()
    now = clock.now()
    line, errors = _check_charge(
        phone_number=phone_number,
        service=service,
        amount=amount,
        occurred_at=occurred_at,
        source=source,
        reference=reference,
        description=description,
        now=now,
    )
    if errors:
        raise BillingError(errors, code="third_party_charge_invalid")
    assert line is not None
    if reference:
        existing = ThirdPartyCharge.objects.filter(source=source, reference=reference).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            charge = ThirdPartyCharge.objects.create(
                customer=line.customer,
                line=line,
                phone_number=line.number.e164,
                source=source,
                reference=reference,
                service=service,
                description=description,
                occurred_at=occurred_at,
                cost_minor=amount.minor,
                currency=amount.currency,
                recorded_at=now,
                recorded_by=actor if isinstance(actor, User) and actor.pk else None,
            )
            record_event(
                action="billing.third_party_charge_recorded",
                actor=actor,
                customer=line.customer,
                subject=charge,
                data={
                    "line": line.number.e164,
                    "service": service,
                    "cost": amount.plain(),
                    "occurred_at": occurred_at.isoformat(),
                    "source": source,
                },
                customer_visible=True,
            )
    except IntegrityError:
        # The same report recorded at the same moment by another worker.
        return ThirdPartyCharge.objects.get(source=source, reference=reference), False
    return charge, True


def _check_charge(
    *,
    phone_number: str,
    service: str,
    amount: Money,
    occurred_at: dt.datetime,
    source: str,
    reference: str,
    description: str,
    now: dt.datetime,
) -> tuple[Line | None, dict[str, list[str]]]:
    """The line billed the charge, and what is wrong with the charge (by field)."""
    errors: dict[str, list[str]] = {}
    if source not in ThirdPartySource.values:
        errors["source"] = [_("Choose one of: %s") % ", ".join(ThirdPartySource.values)]
    if not service:
        errors["service"] = [_("Name the third party that billed the charge.")]
    elif len(service) > 100:
        errors["service"] = [_("Keep the third party's name under 100 characters.")]
    if len(description) > 200:
        errors["description"] = [_("Keep the description under 200 characters.")]
    if len(reference) > 100:
        errors["reference"] = [_("Keep the reference under 100 characters.")]
    if amount.minor <= 0:
        errors["amount"] = [_("A third-party charge is an amount above zero.")]
    if occurred_at > now:
        errors["occurred_at"] = [_("A charge cannot be in the future.")]
    line = None if errors else line_with_number(phone_number, occurred_at)
    if not errors and line is None:
        errors["phone_number"] = [
            _("No line had the number %(number)s then.") % {"number": phone_number}
        ]
    if line is not None and get_market(line.customer.market).currency != amount.currency:
        errors["amount"] = [
            _("The line is billed in %(currency)s.")
            % {"currency": get_market(line.customer.market).currency}
        ]
    return line, errors


def import_carrier_charges(*, now: dt.datetime) -> int:
    """Record what the carrier reports, then acknowledge it (a report is recorded once).

    A report that cannot be recorded (a number that was not ours then) is left
    unacknowledged and logged by its reference, for staff to look into.
    """
    feed = get_feed()
    recorded = 0
    skipped: set[str] = set()
    while True:
        reports = [r for r in feed.pending(limit=IMPORT_BATCH + len(skipped))
                   if r.reference not in skipped]  # fmt: skip
        if not reports:
            return recorded
        done = []
        for report in reports:
            try:
                _, created = record_third_party_charge(
                    phone_number=report.phone_number,
                    service=report.service,
                    description=report.description,
                    amount=Money(report.amount_minor, report.currency),
                    occurred_at=report.occurred_at,
                    source=ThirdPartySource.CARRIER,
                    reference=report.reference,
                    actor="carrier",
                )
            except ValidationError as exc:
                logger.warning(
                    "carrier charge %s not recorded (%s)",
                    report.reference,
                    ", ".join(exc.message_dict),
                )
                skipped.add(report.reference)
                continue
            recorded += created
            done.append(report.reference)
        feed.acknowledge(done)
        if len(reports) < IMPORT_BATCH:
            return recorded


def unbilled_charges(customer_ids: Iterable[int]) -> dict[int, list[ThirdPartyCharge]]:
    """Per customer, the third-party charges not billed yet, oldest first (one query)."""
    charges: dict[int, list[ThirdPartyCharge]] = defaultdict(list)
    for charge in ThirdPartyCharge.objects.filter(
        customer_id__in=list(customer_ids), invoice_line__isnull=True
    ).order_by("occurred_at", "pk"):
        charges[charge.customer_id].append(charge)
    return charges


def third_party_lines(charges: list[ThirdPartyCharge], prices: PriceList) -> list[DraftLine]:
    """BILL-10: one line per charge at cost, then the service fee on their sum."""
    if not charges:
        return []
    lines = []
    for charge in charges:
        day = local_date(prices.market, charge.occurred_at)
        lines.append(
            DraftLine(
                kind=ChargeKind.THIRD_PARTY,
                unit=Money(charge.cost_minor, charge.currency),
                phone_number=charge.phone_number,
                period_start=day,
                period_end=day + dt.timedelta(days=1),
                description=(
                    f"{charge.service}: {charge.description}" if charge.description
                    else charge.service
                )[:200],
                third_party=[charge],
            )
        )  # fmt: skip
    cost = Money(sum(c.cost_minor for c in charges), prices.currency)
    lines.append(
        DraftLine(
            kind=ChargeKind.THIRD_PARTY_FEE,
            unit=cost,
            net=cost.percent_bp(prices.third_party_fee_bp),
            fee_bp=prices.third_party_fee_bp,
        )
    )
    return lines
