"""Credit notes (BILL-5): an issued invoice never changes; a correction is a credit note.

A credit note is numbered in the market's one sequence like any invoice, names
the invoice it corrects and why, and repeats the credited lines with negative
amounts and their own VAT. Each line of an invoice is credited at most once.
An invoice not yet paid is credited in full (and then no longer collected); a
corrected invoice is issued beside it if something is still owed. A paid
invoice may be credited in part; the amount is owed back to the customer.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.billing import services
from officeline.billing.choices import InvoiceKind, InvoiceStatus
from officeline.billing.models import Invoice, InvoiceLine
from officeline.billing.money import Money
from officeline.events.services import record_event

MAX_REASON = 300


def issue_credit_note(
    *, invoice: Invoice, actor: Any, reason: str, positions: list[int] | None = None
) -> Invoice:
    """Credit ``positions`` of ``invoice`` (all its lines when None)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the invoice is corrected.")]})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": [_("Keep the reason under 300 characters.")]})
    now = clock.now()
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().select_related("customer").get(pk=invoice.pk)
        if locked.kind != InvoiceKind.INVOICE:
            raise ValidationError({"invoice": [_("A credit note cannot itself be credited.")]})
        credited = _credited_positions(locked)
        lines = list(locked.lines.order_by("position"))
        wanted = [ln.position for ln in lines] if positions is None else sorted(set(positions))
        unknown = [p for p in wanted if p not in {ln.position for ln in lines}]
        if unknown:
            raise ValidationError(
                {"positions": [_("The invoice has no line %(positions)s.")
                               % {"positions": ", ".join(map(str, unknown))}]}
            )  # fmt: skip
        again = [p for p in wanted if p in credited]
        if again:
            raise ValidationError(
                {"positions": [_("Line %(positions)s is already credited.")
                               % {"positions": ", ".join(map(str, again))}]}
            )  # fmt: skip
        unpaid = locked.status in {InvoiceStatus.OPEN, InvoiceStatus.UNPAID}
        if unpaid and (credited or len(wanted) != len(lines)):
            raise ValidationError(
                {"positions": [_("An invoice not yet paid is credited in full; issue a corrected "
                                 "invoice for what is still owed.")]}
            )  # fmt: skip
        draft = services.DraftInvoice(
            customer=locked.customer,
            run_key=f"credit:{locked.number}:{','.join(map(str, wanted))}",
            period_start=locked.period_start,
            period_end=locked.period_end,
            kind=InvoiceKind.CREDIT_NOTE,
            credits=locked,
            reason=reason,
        )
        for item in lines:
            if item.position in wanted:
                draft.lines.append(
                    services.DraftLine(
                        kind=item.kind,
                        unit=Money(-item.unit_minor, locked.currency),
                        phone_number=item.phone_number,
                        period_start=item.period_start,
                        period_end=item.period_end,
                        days=item.days,
                        days_in_period=item.days_in_period,
                        quantity=item.quantity,
                        net=Money(-item.net_minor, locked.currency),
                        credits_position=item.position,
                    )
                )
        (note,) = services.issue_drafts([draft], now=now)
        if unpaid:
            locked.status, locked.collect_at = InvoiceStatus.CREDITED, None
            locked.save(update_fields=["status", "collect_at"])
        record_event(
            action="billing.credit_note_issued",
            actor=actor,
            customer=locked.customer,
            subject=note,
            data={"number": note.number, "credits": locked.number, "total": note.total.plain()},
            customer_visible=True,
        )
    return note


def _credited_positions(invoice: Invoice) -> set[int]:
    positions = InvoiceLine.objects.filter(invoice__credits=invoice).values_list(
        "credits_position", flat=True
    )
    return {p for p in positions if p is not None}
