"""Demo data of the support app: one open complaint for the uk demo customer, so the queue is not empty."""

from __future__ import annotations

from officeline.accounts.models import Customer
from officeline.demo import DemoReport
from officeline.support.choices import Category, Channel
from officeline.support.models import Ticket
from officeline.support.services import tickets

DEMO_SUBJECT = "Calls drop after about a minute"


def seed(report: DemoReport) -> None:
    customer = Customer.objects.filter(legal_name="Bramble & Finch Ltd").first()
    if customer is None or Ticket.objects.filter(customer=customer, subject=DEMO_SUBJECT).exists():
        return
    manager = customer.people.filter(customer_role="office_manager").first()
    tickets.raise_ticket(
        customer=customer,
        actor=manager,
        subject=DEMO_SUBJECT,
        description="Outgoing calls from the front desk drop after about sixty seconds.",
        category=Category.TECHNICAL,
        channel=Channel.PORTAL,
        is_complaint=True,
    )
    report.place("Complaints queue (staff)", "/console/complaints/")
