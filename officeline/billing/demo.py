"""Demo data of the billing app: each demo customer pays with the sandbox's test card.

The demo lines start billing on the 7th day after they were asked for (BILL-2):
move the test clock in the console to see the first invoice.
"""

from __future__ import annotations

from officeline import clock
from officeline.accounts.models import Customer
from officeline.billing.models import PaymentMethod
from officeline.billing.payments.sandbox import SandboxProvider
from officeline.demo import DemoReport

TEST_CARD = "4242424242424242"


def seed(report: DemoReport) -> None:
    now = clock.now()
    for customer in Customer.objects.filter(payment_methods__isnull=True).order_by("pk"):
        if not customer.people.exists():
            continue
        card = SandboxProvider().tokenize(
            number=TEST_CARD,
            exp_month=12,
            exp_year=now.year + 5,
            cvc="123",
            today_year=now.year,
            today_month=now.month,
        )
        PaymentMethod.objects.create(
            customer=customer,
            provider="sandbox",
            token=card.token,
            brand=card.brand,
            last4=card.last4,
            exp_month=card.exp_month,
            exp_year=card.exp_year,
            created_at=now,
        )
