"""The customer's card: replacing it, and trying what is owed again at once (BILL-7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from officeline import clock
from officeline.accounts.models import Customer
from officeline.billing.choices import InvoiceStatus
from officeline.billing.models import Invoice, Payment, PaymentMethod
from officeline.billing.payments.base import CardDetails
from officeline.events.services import record_event


def replace_card(
    *, customer: Customer, card: CardDetails, provider: str, actor: Any
) -> PaymentMethod:
    """BILL-7: an expired or replaced card is updated by the customer; the new card is the one
    charged from now on, and every unpaid invoice is tried again at once."""
    now = clock.now()
    with transaction.atomic():
        PaymentMethod.objects.filter(customer=customer, is_default=True).update(is_default=False)
        method = PaymentMethod.objects.create(
            customer=customer,
            provider=provider,
            token=card.token,
            brand=card.brand,
            last4=card.last4,
            exp_month=card.exp_month,
            exp_year=card.exp_year,
            is_default=True,
            created_at=now,
        )
        Invoice.objects.filter(customer=customer, status=InvoiceStatus.UNPAID).update(
            collect_at=now
        )
        record_event(
            action="billing.card_replaced",
            actor=actor,
            customer=customer,
            subject=method,
            data={"brand": card.brand, "last4": card.last4},
            customer_visible=True,
        )
    return method


def collect_now(customer: Customer, *, now: dt.datetime | None = None) -> list[Payment]:
    """Try the customer's invoices that are due for collection now, oldest first."""
    from officeline.billing.collection import collect

    now = now or clock.now()
    payments = []
    with transaction.atomic():
        due = (
            Invoice.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(customer=customer, collect_at__lte=now)
            .select_related("customer")
            .order_by("issued_at", "pk")
        )
        for invoice in due:
            payments.append(collect(invoice, now=now))
    return payments
