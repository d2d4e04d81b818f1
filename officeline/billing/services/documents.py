"""An invoice's PDF and its itemized statement (BILL-5), rendered when asked for.

The invoice row holds everything printed on it (the parties as they were on
the day of issue, every line with its VAT), so rendering later gives the same
document; nothing is rendered during the invoice run.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from officeline.billing.interest import late_payment_terms
from officeline.billing.models import Invoice, Refund
from officeline.markets.definitions import get_market
from officeline.notifications.pdf import render_pdf


def invoice_context(invoice: Invoice) -> dict[str, Any]:
    return {
        "invoice": invoice,
        # BILL-11: each charged call is listed under its line on the statement.
        "lines": list(invoice.lines.prefetch_related("calls")),
        "payments": list(invoice.payments.all()),
        # A paid invoice's refunds, or a credit note's own refund.
        "refunds": list(
            Refund.objects.filter(Q(invoice=invoice) | Q(credit_note=invoice)).select_related(
                "credit_note"
            )
        ),
        "time_zone": get_market(invoice.market).time_zone,
        # BILL-8: the rate in force on the day of issue and the fixed recovery fees; its
        # sentences are rendered in the invoice's language.
        "late": late_payment_terms(invoice.market, invoice.issued_on),
    }


def invoice_pdf(invoice: Invoice) -> bytes:
    return render_pdf("billing/invoice.html", invoice_context(invoice), language=invoice.language)


def statement_pdf(invoice: Invoice) -> bytes:
    return render_pdf("billing/statement.html", invoice_context(invoice), language=invoice.language)
