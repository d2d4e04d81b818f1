"""Refunds of credit notes: a credit note on a paid invoice is paid back to the card (BILL-5).

The refund is decided with the credit note, in its transaction (a ``Refund`` row,
pending), and made just after through the payment-provider adapter, with an
idempotency key that names the credit note: a retry, after a crash or while the
provider cannot be reached, asks again with the same key and never refunds
twice. A refund is never more than the invoice's successful payment less its
earlier refunds. ``tick`` asks again for the refunds still pending.

A credit note on an invoice not yet paid refunds nothing: it cancels what is
owed (the invoice is credited in full and no longer collected).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from officeline.billing.choices import RefundStatus
from officeline.billing.errors import BillingError
from officeline.billing.models import Invoice, Payment, Refund
from officeline.billing.money import Money
from officeline.billing.payments.base import ChargeOutcome, PaymentProviderError
from officeline.billing.payments.providers import get_provider
from officeline.events.services import record_event

BATCH = 100
# When the provider cannot be reached, the same refund is asked for again this much later.
PROVIDER_RETRY = dt.timedelta(minutes=10)


def refundable_minor(invoice: Invoice) -> int:
    """What was paid for ``invoice`` less what was refunded or is being refunded."""
    paid = invoice.payments.filter(outcome=ChargeOutcome.SUCCEEDED).aggregate(
        total=Sum("amount_minor")
    )["total"]
    refunded = invoice.refunds.exclude(status=RefundStatus.FAILED).aggregate(
        total=Sum("amount_minor")
    )["total"]
    return (paid or 0) - (refunded or 0)


def open_refund(*, invoice: Invoice, credit_note: Invoice, now: dt.datetime) -> Refund:
    """Decide the refund of ``credit_note`` on the paid ``invoice`` (locked by the caller)."""
    amount = -credit_note.total_minor
    payment = (
        Payment.objects.filter(invoice=invoice, outcome=ChargeOutcome.SUCCEEDED)
        .order_by("-attempt")
        .first()
    )
    left = refundable_minor(invoice)
    if payment is None or amount > left:
        raise BillingError(
            _(
                "This would refund %(amount)s, more than what was paid for the "
                "invoice less its earlier refunds (%(left)s)."
            )
            % {
                "amount": Money(amount, invoice.currency),
                "left": Money(max(left, 0), invoice.currency),
            },
            code="refund_exceeds_paid",
            field="positions",
        )
    return Refund.objects.create(
        credit_note=credit_note,
        invoice=invoice,
        payment=payment,
        idempotency_key=f"refund-{credit_note.number}",
        provider=payment.provider,
        amount_minor=amount,
        currency=invoice.currency,
        requested_at=now,
        retry_at=now,
    )


def make_refund(*, refund: Refund, now: dt.datetime) -> Refund:
    """Ask the provider for ``refund`` unless it is already settled; idempotent."""
    with transaction.atomic():
        locked = (
            Refund.objects.select_for_update()
            .select_related("credit_note", "invoice__customer", "payment")
            .get(pk=refund.pk)
        )
        if locked.status != RefundStatus.PENDING:
            return locked
        try:
            result = get_provider(locked.provider).refund(
                charge_reference=locked.payment.provider_reference,
                amount_minor=locked.amount_minor,
                currency=locked.currency,
                idempotency_key=locked.idempotency_key,
                description=f"Credit note {locked.credit_note.number}",
            )
        except PaymentProviderError:
            # Nothing is known of this refund: the same key is asked again later.
            locked.retry_at = now + PROVIDER_RETRY
            locked.save(update_fields=["retry_at"])
            return locked
        locked.status = RefundStatus.SUCCEEDED if result.succeeded else RefundStatus.FAILED
        locked.provider_reference = result.provider_reference
        locked.message = result.message[:200]
        locked.refunded_at = now if result.succeeded else None
        locked.retry_at = None
        locked.save(
            update_fields=["status", "provider_reference", "message", "refunded_at", "retry_at"]
        )
        record_event(
            action=f"billing.refund_{locked.status}",
            actor="system",
            at=now,
            customer=locked.invoice.customer,
            subject=locked,
            data={
                "credit_note": locked.credit_note.number,
                "invoice": locked.invoice.number,
                "amount": locked.amount.plain(),
            },
            customer_visible=True,
        )
    return locked


def retry_due_refunds(*, now: dt.datetime) -> int:
    """Ask again for the refunds the provider could not be asked for."""
    due = list(
        Refund.objects.filter(retry_at__lte=now, status=RefundStatus.PENDING).order_by(
            "retry_at", "pk"
        )[:BATCH]
    )
    for refund in due:
        make_refund(refund=refund, now=now)
    return len(due)
