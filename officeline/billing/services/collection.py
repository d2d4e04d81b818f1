"""Collecting invoices from the card on file, and dunning when that fails (BILL-1, BILL-7, BILL-8).

An issued invoice is due for collection at once (``collect_at``). Each attempt
is one ``Payment`` row whose idempotency key names the invoice and the attempt,
so a worker that crashes after the provider charged and before the row was
written asks again with the same key and is not charged twice. The provider is
never asked inside a database transaction: an attempt is claimed in one short
transaction, the card charged with none open, and the result recorded in another.

When an attempt fails the customer is warned and the next step of the dunning
schedule is set (BILL-8, configurable per market as ``dunning``; default: tries
on days 0, 3 and 7 after the due date, lines suspended on day 14 after a last
try, account terminated on day 30). Emergency calls stay open on a suspended
line (EMG-3, in the routing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from officeline.accounts.models import Customer, market_parameter
from officeline.billing import selectors
from officeline.billing.choices import ChargeKind, InvoiceStatus, TerminationKind
from officeline.billing.models import Invoice, Payment, PaymentMethod
from officeline.billing.money import Money
from officeline.billing.payments.base import (
    ChargeOutcome,
    ChargeResult,
    PaymentProviderError,
)
from officeline.billing.payments.providers import get_provider
from officeline.billing.services.invoices import DraftInvoice, DraftLine, issue_drafts
from officeline.billing.services.late_payment import record_late_payment
from officeline.billing.services.termination import terminate_by_operator
from officeline.events.services import record_event
from officeline.lines.choices import LineStatus, SuspensionGround
from officeline.lines.services.lines import reactivate_line, suspend_line
from officeline.markets.deadlines import local_date, start_of_local_day
from officeline.notifications.services import queue_email

BATCH = 200
# When the provider cannot be reached, the same attempt is made again this much later.
PROVIDER_RETRY = dt.timedelta(minutes=10)

# BILL-8 (D): days after the due date of each try; the try on ``suspend_day``
# suspends the lines when it fails, the one on ``terminate_day`` ends the account.
DEFAULT_DUNNING: dict[str, Any] = {"retry_days": [0, 3, 7], "suspend_day": 14, "terminate_day": 30}


def dunning_steps(market: str) -> list[int]:
    """BILL-8: the days after the due date on which payment is tried, in order."""
    schedule = {**DEFAULT_DUNNING, **market_parameter(market, "dunning", {})}
    return [*schedule["retry_days"], schedule["suspend_day"], schedule["terminate_day"]]


def collect_due(*, now: dt.datetime) -> int:
    """One attempt at every invoice due for collection, ``BATCH`` at a time."""
    done = 0
    while True:
        claims = claim_for_collection(invoices=Invoice.objects.filter(collect_at__lte=now), now=now)
        collect_claimed(claims=claims, now=now)
        done += len(claims)
        if len(claims) < BATCH:
            return done


@dataclass(frozen=True)
class CollectionClaim:
    """One attempt to collect an invoice, taken by a worker: what it will ask the provider."""

    invoice_id: int
    attempt: int
    idempotency_key: str
    provider: str  # "" when the customer has no card to charge
    token: str
    amount_minor: int
    currency: str
    description: str


def claim_for_collection(
    *, invoices: QuerySet[Invoice], now: dt.datetime, limit: int = BATCH
) -> list[CollectionClaim]:
    """Take up to ``limit`` of ``invoices`` (oldest due first) for an attempt, in one short
    transaction, skipping those another worker holds.

    The claim moves each invoice's ``collect_at`` on by ``PROVIDER_RETRY``: no other run takes
    it meanwhile, and a worker that dies before recording leaves it to be tried again then,
    with the same attempt number and so the same idempotency key (never charged twice).
    """
    claims = []
    with transaction.atomic():
        locked = (
            invoices.select_for_update(skip_locked=True, of=("self",))
            .select_related("customer")
            .order_by("collect_at", "pk")[:limit]
        )
        for invoice in locked:
            attempt = invoice.collection_attempts + 1
            card = _card(invoice, now)
            claims.append(
                CollectionClaim(
                    invoice_id=invoice.pk,
                    attempt=attempt,
                    idempotency_key=f"invoice-{invoice.number}-attempt-{attempt}",
                    provider=card.provider if card is not None else "",
                    token=card.token if card is not None else "",
                    amount_minor=invoice.total_minor,
                    currency=invoice.currency,
                    description=f"Invoice {invoice.number}",
                )
            )
            invoice.collect_at = now + PROVIDER_RETRY
            invoice.save(update_fields=["collect_at"])
    return claims


def collect_claimed(*, claims: list[CollectionClaim], now: dt.datetime) -> list[Payment]:
    """Ask the provider for each claimed attempt, with no database transaction open (the
    provider's adapter has its own timeout), and record each result in a transaction of its
    own; the payments recorded. An attempt the provider did not answer is recorded nowhere:
    it is made again, with the same key, when its claim runs out."""
    payments = []
    for claim in claims:
        if not claim.provider:
            result = ChargeResult(ChargeOutcome.DECLINED, "", "no card on file")
        else:
            try:
                result = get_provider(claim.provider).charge(
                    token=claim.token,
                    amount_minor=claim.amount_minor,
                    currency=claim.currency,
                    idempotency_key=claim.idempotency_key,
                    description=claim.description,
                )
            except PaymentProviderError:
                continue
        payment = _record_attempt(claim, result, now=now)
        if payment is not None:
            payments.append(payment)
    return payments


def _card(invoice: Invoice, now: dt.datetime) -> PaymentMethod | None:
    return selectors.chargeable_cards(invoice.customer, now).first()


def _record_attempt(
    claim: CollectionClaim, result: ChargeResult, *, now: dt.datetime
) -> Payment | None:
    """The attempt's payment and what follows from it; None when this attempt was recorded
    already (a second worker that took over an expired claim got the same answer by its key)."""
    with transaction.atomic():
        invoice = (
            Invoice.objects.select_for_update(of=("self",))
            .select_related("customer")
            .get(pk=claim.invoice_id)
        )
        if invoice.collection_attempts != claim.attempt - 1:
            return None
        return _record(invoice, claim, result, now=now)


def _record(
    invoice: Invoice, claim: CollectionClaim, result: ChargeResult, *, now: dt.datetime
) -> Payment:
    attempt, outcome = claim.attempt, result.outcome
    payment = Payment.objects.create(
        invoice=invoice,
        attempt=attempt,
        idempotency_key=claim.idempotency_key,
        provider=claim.provider,
        amount_minor=claim.amount_minor,
        currency=claim.currency,
        outcome=outcome,
        provider_reference=result.provider_reference,
        message=result.message[:200],
        attempted_at=now,
    )
    invoice.collection_attempts = attempt
    late = None
    if outcome == ChargeOutcome.SUCCEEDED:
        invoice.status = InvoiceStatus.PAID
        invoice.paid_at = now
        invoice.collect_at = None
        action = "billing.invoice_paid"
        # BILL-8: paid after its due date, it owes interest and the recovery fee.
        late = record_late_payment(
            invoice=invoice, paid_on=local_date(invoice.market, now), now=now
        )
    else:
        invoice.status = InvoiceStatus.UNPAID
        invoice.collect_at = _next_try(invoice, attempt)
        action = "billing.payment_failed"
    invoice.save(update_fields=["collection_attempts", "status", "paid_at", "collect_at"])
    record_event(
        action=action,
        actor="system",
        at=now,
        customer=invoice.customer,
        subject=invoice,
        data={"number": invoice.number, "attempt": attempt, "outcome": str(outcome)},
        customer_visible=True,
    )
    _tell_customer(invoice, payment, paid_late=late is not None)
    if outcome == ChargeOutcome.SUCCEEDED:
        _restore_service(invoice.customer, now=now)
    else:
        _escalate(invoice, outcome, attempt)
    return payment


def _restore_service(customer: Customer, *, now: dt.datetime) -> None:
    """LIFE-4: once nothing is owed, the lines suspended for non-payment are reactivated (the
    market parameter ``reactivate_after_payment``, default on), with the reactivation fee of
    the price list in force, per line, on an invoice of its own."""
    if not market_parameter(customer.market, "reactivate_after_payment", True):
        return
    if Invoice.objects.filter(customer=customer, status=InvoiceStatus.UNPAID).exists():
        return
    if customer.terminations.filter(line__isnull=True, completed_at__isnull=True).exists():
        return
    suspended = list(
        customer.lines.filter(
            status=LineStatus.SUSPENDED, suspension_ground=SuspensionGround.NON_PAYMENT
        ).select_related("number")
    )
    if not suspended:
        return
    prices = selectors.price_list_in_force(customer.market, local_date(customer.market, now))
    draft = DraftInvoice(
        customer=customer,
        run_key=f"reactivation:{customer.pk}:{now.isoformat()}",
        period_start=local_date(customer.market, now),
        period_end=local_date(customer.market, now) + dt.timedelta(days=1),
    )
    for line in suspended:
        reactivate_line(line=line, actor="billing")
        if prices.reactivation_fee_minor:
            draft.lines.append(
                DraftLine(
                    kind=ChargeKind.REACTIVATION_FEE,
                    unit=Money(prices.reactivation_fee_minor, prices.currency),
                    phone_number=line.number.e164,
                )
            )
    issue_drafts(drafts=[draft], now=now)


def _next_try(invoice: Invoice, attempt: int) -> dt.datetime | None:
    steps = dunning_steps(invoice.market)
    if attempt >= len(steps):
        return None
    return start_of_local_day(invoice.market, invoice.due_on + dt.timedelta(days=steps[attempt]))


def _escalate(invoice: Invoice, outcome: str, attempt: int) -> None:
    """BILL-8: the failed try on the suspension day suspends the lines; the failed try on the
    termination day ends the service. BILL-7: a payment stopped at the bank ends it at once."""
    steps = dunning_steps(invoice.market)
    if outcome == ChargeOutcome.STOPPED_BY_BANK:
        invoice.collect_at = None
        invoice.save(update_fields=["collect_at"])
        terminate_by_operator(
            customer=invoice.customer, kind=TerminationKind.PAYMENT_STOPPED, actor="billing"
        )
    elif attempt == len(steps) - 1:
        for line in invoice.customer.lines.filter(status=LineStatus.ACTIVE):
            suspend_line(line=line, ground=SuspensionGround.NON_PAYMENT, actor="billing")
    elif attempt >= len(steps):
        terminate_by_operator(
            customer=invoice.customer, kind=TerminationKind.NON_PAYMENT, actor="billing"
        )


def _tell_customer(invoice: Invoice, payment: Payment, *, paid_late: bool) -> None:
    customer = invoice.customer
    if payment.outcome == ChargeOutcome.SUCCEEDED:
        template = "billing/email/invoice_paid"
    else:
        template = "billing/email/payment_failed"
    queue_email(
        to=customer.email,
        template=template,
        context={
            "invoice": invoice,
            "payment": payment,
            "customer": customer,
            "card_expired": payment.outcome == ChargeOutcome.EXPIRED_CARD,
            "next_try": invoice.collect_at,
            "paid_late": paid_late,
        },
        language=invoice.language,
        kind="billing",
        customer=customer,
    )
