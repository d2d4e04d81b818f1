"""Billing disputes (BILL-12): in writing, through a ticket, within 10 days of the notice.

A customer who is not a micro-business disputes a charge in writing through a
ticket within 10 days of being notified of it (the invoice's issue); a later
dispute is recorded and refused with that reason. A micro-business disputes
through the complaints process, whose own deadlines apply. Either way the
invoice stays due in full: a partial payment is not full payment, and the
customer may not set off (BILL-8).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.models import Customer
from officeline.billing.models import Invoice
from officeline.errors import DomainError
from officeline.events.services import record_event
from officeline.markets.deadlines import deadline
from officeline.support.choices import Category, DisputeRoute, DisputeStatus
from officeline.support.models import BillingDispute
from officeline.support.services.tickets import raise_ticket

if TYPE_CHECKING:
    from officeline.actors import Actor

# BILL-12: days after the notice of a charge within which a written dispute is accepted.
DISPUTE_WINDOW_DAYS = 10


def dispute_charge(
    *, customer: Customer, actor: Actor, invoice_number: str, description: str, channel: str
) -> BillingDispute:
    invoice = Invoice.objects.filter(customer=customer, number=invoice_number.strip()).first()
    if invoice is None:
        raise DomainError(
            _("There is no invoice numbered %(number)s on your account.")
            % {"number": invoice_number.strip() or "?"},
            code="invoice_not_found",
            field="invoice",
        )
    now = clock.now()
    dispute_by = deadline(customer.market, invoice.issued_at, days=DISPUTE_WINDOW_DAYS)
    micro = customer.is_micro_business
    late = not micro and now > dispute_by
    with transaction.atomic():
        ticket = raise_ticket(
            customer=customer,
            actor=actor,
            subject=_("Dispute of invoice %(number)s") % {"number": invoice.number},
            description=description,
            category=Category.BILLING,
            channel=channel,
            is_complaint=micro,
        )
        dispute = BillingDispute.objects.create(
            ticket=ticket,
            invoice=invoice,
            route=DisputeRoute.COMPLAINT if micro else DisputeRoute.WRITTEN,
            status=DisputeStatus.REFUSED_LATE if late else DisputeStatus.OPEN,
            dispute_by=dispute_by,
            raised_at=now,
        )
        record_event(
            action="support.dispute_refused_late" if late else "support.dispute_raised",
            actor=actor,
            customer=customer,
            subject=dispute,
            data={
                "invoice": invoice.number,
                "ticket": ticket.reference,
                "route": dispute.route,
                "dispute_by": dispute_by.isoformat(),
            },
            customer_visible=True,
        )
    return dispute
