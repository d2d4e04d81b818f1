"""An invoice's PDF and its itemized statement (BILL-5), rendered when asked for.

The invoice row holds everything printed on it (the parties as they were on
the day of issue, every line with its VAT), so rendering later gives the same
document; nothing is rendered during the invoice run.
"""

from __future__ import annotations

from typing import Any

from officeline.accounts.models import market_parameter
from officeline.billing.models import Invoice
from officeline.markets.definitions import get_market
from officeline.notifications.pdf import render_pdf


def late_payment_terms(market: str) -> dict[str, Any]:
    """BILL-8: what an invoice states about late payment (fr: the rate and the EUR 40 indemnity)."""
    rule = get_market(market).interest
    margin_bp = int(market_parameter(market, "late_interest_margin_bp", rule.margin_bp))
    points, rest = divmod(margin_bp, 100)
    text = str(points) if not rest else f"{points}.{rest:02d}".rstrip("0")
    return {
        "margin_bp": margin_bp,
        "margin_points": text.replace(".", ",") if market == "fr" else text,
    }


def invoice_context(invoice: Invoice) -> dict[str, Any]:
    return {
        "invoice": invoice,
        "lines": list(invoice.lines.all()),
        "payments": list(invoice.payments.all()),
        "late": late_payment_terms(invoice.market),
    }


def invoice_pdf(invoice: Invoice) -> bytes:
    return render_pdf("billing/invoice.html", invoice_context(invoice), language=invoice.language)


def statement_pdf(invoice: Invoice) -> bytes:
    return render_pdf("billing/statement.html", invoice_context(invoice), language=invoice.language)
