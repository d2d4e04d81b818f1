"""Charging late payment to the account (BILL-8): interest and the fixed recovery fee.

An invoice paid after its due date owes interest from the day after the due date
up to the day of payment (``officeline.billing.interest``: the half-year's rate,
simple interest / 365) on its total including VAT (less any interest and
recovery fees it charges itself: no interest on interest), plus the market's
fixed recovery fee once. That is recorded when the payment succeeds
(``LatePaymentCharge``, one per invoice, so it is charged once) and charged on the
customer's next invoice: one line per half-year of interest (its days and annual
rate, rounded on its own), then the recovery fee's line; both name the late
invoice. They are outside the scope of VAT (``services.OUTSIDE_VAT_SCOPE``).

An invoice still unpaid when the whole service ends owes interest up to the day
of the final invoice, which carries it; a payment made later adds nothing (the
account has no invoice after that).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Sum

from officeline.accounts.models import Customer
from officeline.billing.choices import (
    LATE_PAYMENT_KINDS,
    ChargeKind,
    InvoiceKind,
    InvoiceStatus,
)
from officeline.billing.interest import InterestError, interest_on, interest_periods, recovery_fee
from officeline.billing.models import Invoice, LatePaymentCharge
from officeline.billing.money import Money
from officeline.billing.services.invoices import DraftLine
from officeline.markets.rates import NoReferenceRate

logger = logging.getLogger(__name__)


def record_late_payment(
    *, invoice: Invoice, paid_on: dt.date, now: dt.datetime
) -> LatePaymentCharge | None:
    """BILL-8: an invoice paid on ``paid_on``, after its due date, owes interest until that day
    and the recovery fee; None when it was paid on time.

    An invoice paid at the first attempt to collect it is never late, whatever the day: the
    card was charged as soon as we asked (an invoice issued just before midnight and collected
    just after it, or a provider that could not be reached for a while, is our delay, not the
    customer's). Recorded once per invoice: an invoice whose late payment is already recorded
    (or was charged on the final invoice) keeps it.
    """
    if invoice.collection_attempts <= 1:
        return None
    return _record(invoice, until=paid_on, now=now)


def _record(invoice: Invoice, *, until: dt.date, now: dt.datetime) -> LatePaymentCharge | None:
    if invoice.kind != InvoiceKind.INVOICE or until <= invoice.due_on:
        return None
    debt = late_payment_debt(invoice)
    if not debt:
        return None
    charge, _ = LatePaymentCharge.objects.get_or_create(
        invoice=invoice,
        defaults={
            "customer_id": invoice.customer_id,
            "debt_minor": debt,
            "currency": invoice.currency,
            "due_on": invoice.due_on,
            "until": until,
            "recorded_at": now,
        },
    )
    return charge


def late_payment_debt(invoice: Invoice) -> int:
    """What interest runs on: the invoice's total incl. VAT, less the late-payment interest and
    recovery fees it charges for earlier invoices (no interest on interest, no fee on a fee)."""
    charged = invoice.lines.filter(kind__in=LATE_PAYMENT_KINDS).aggregate(total=Sum("net_minor"))
    return invoice.total_minor - (charged["total"] or 0)


def record_unpaid_at_end(*, customer: Customer, day: dt.date, now: dt.datetime) -> None:
    """BILL-8, LIFE-4: the invoices still unpaid when the whole service ends owe interest up to
    ``day``, the final invoice's, which charges it (and nothing runs after it)."""
    unpaid = Invoice.objects.filter(
        customer=customer,
        kind=InvoiceKind.INVOICE,
        status__in=[InvoiceStatus.OPEN, InvoiceStatus.UNPAID],
        due_on__lt=day,
    ).order_by("due_on", "pk")
    for invoice in unpaid:
        _record(invoice, until=day, now=now)


def unbilled_late_payments(customer_ids: Iterable[int]) -> dict[int, list[LatePaymentCharge]]:
    """Per customer, the late payments not charged yet, oldest first (one query)."""
    charges: dict[int, list[LatePaymentCharge]] = defaultdict(list)
    for charge in (
        LatePaymentCharge.objects.filter(
            customer_id__in=list(customer_ids), invoice_line__isnull=True
        )
        .select_related("invoice")
        .order_by("due_on", "pk")
    ):
        charges[charge.customer_id].append(charge)
    return charges


def late_payment_lines(charges: list[LatePaymentCharge], market: str) -> list[DraftLine]:
    """BILL-8: per late invoice, a line of interest per half-year (its days at its annual rate
    on the invoice's total), then the fixed recovery fee; each names the late invoice.

    A late payment whose interest cannot be computed (no reference rate recorded for its
    half-year, a mistyped margin) is left for a later invoice and logged.
    """
    lines = []
    for charge in charges:
        try:
            periods = interest_periods(market, charge.due_on, charge.until)
            fee = recovery_fee(market, charge.debt_minor)
        except (InterestError, NoReferenceRate) as exc:
            logger.warning("late payment of %s not charged yet: %s", charge.invoice.number, exc)
            continue
        debt = Money(charge.debt_minor, charge.currency)
        for period in periods:
            interest = interest_on(charge.debt_minor, [period])
            if not interest:
                continue
            lines.append(
                DraftLine(
                    kind=ChargeKind.LATE_INTEREST,
                    unit=debt,
                    net=Money(interest, charge.currency),
                    description=charge.invoice.number,
                    period_start=period.first_day,
                    period_end=period.last_day + dt.timedelta(days=1),
                    days=period.days,
                    annual_rate_bp=period.annual_rate_bp,
                )
            )
        lines.append(
            DraftLine(
                kind=ChargeKind.RECOVERY_FEE,
                unit=Money(fee, charge.currency),
                description=charge.invoice.number,
                late_payments=[charge],
            )
        )
    return lines
