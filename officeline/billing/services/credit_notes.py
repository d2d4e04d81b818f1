"""Credit notes (BILL-5): an issued invoice never changes; a correction is a credit note.

A credit note is numbered in the market's one sequence like any invoice, names
the invoice it corrects and why, and repeats the credited lines with negative
amounts and their own VAT. Each line of an invoice is credited at most once.
An invoice not yet paid is credited in full (and then no longer collected); a
corrected invoice is issued beside it if something is still owed. A paid
invoice may be credited in part; the amount is refunded to the card that paid
it (``refunds``), never more than was paid less the earlier refunds.

BILL-9 is decided here: a credit note corrects a charge, it is never a service
credit. The terms (2(h), 4(f)) give no credit, refund or other compensation for
service interruptions or equipment faults, so a credit note whose reason is an
outage, a service interruption or downtime is refused, quoting them.

LIFE-3 is decided here too: a customer who cancels gets no refund for unused
service (the rest of a period already begun, the days after the cancellation took
effect), so a credit note whose reason asks for that is refused. A period billed
that the cancellation should have avoided (BILL-4) is a charge billed in error,
and its reason says so.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.actors import Actor
from officeline.billing.choices import InvoiceKind, InvoiceStatus
from officeline.billing.errors import BillingError
from officeline.billing.models import Invoice, InvoiceLine, Refund
from officeline.billing.money import Money
from officeline.billing.services import invoices, refunds
from officeline.events.services import record_event

MAX_REASON = 300

# BILL-9: the words of a reason asking to compensate an outage, in English and French.
SERVICE_CREDIT_REASON = re.compile(
    r"\b(outages?|service credits?|downtime|interrupt\w*|unavailab\w*|not working|"
    r"(equipment|hardware|network) (faults?|failures?)|pannes?|coupures?|indisponib\w*|"
    r"credits? de service)\b"
)


# LIFE-3: the words of a reason asking to refund unused service, in English and French.
UNUSED_SERVICE_REASON = re.compile(
    r"\b(unused|not used|never used|remaining (days|weeks|period|part)|rest of the (month|period)|"
    r"(services?|jours|periode|mois) (non|pas) utilises?|inutilises?|jours restants|"
    r"reste du mois|prorata (de|apres) (la )?resiliation)\b"
)


def _plain(reason: str) -> str:
    """The reason in lower case without accents, for matching both languages."""
    plain = unicodedata.normalize("NFKD", reason.lower())
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


def is_service_credit(reason: str) -> bool:
    """Whether a reason asks to compensate an outage or a fault rather than correct a charge."""
    return bool(SERVICE_CREDIT_REASON.search(_plain(reason)))


def is_unused_service_refund(reason: str) -> bool:
    """Whether a reason asks to refund service not used (LIFE-3) rather than correct a charge."""
    return bool(UNUSED_SERVICE_REASON.search(_plain(reason)))


def issue_credit_note(
    *, invoice: Invoice, actor: Actor | str, reason: str, positions: list[int] | None = None
) -> Invoice:
    """Credit ``positions`` of ``invoice`` (all its lines when None); a paid invoice's credit
    note is refunded to the card at once (or by ``tick`` when the provider cannot be reached)."""
    reason = (reason or "").strip()
    _check_reason(reason)
    now = clock.now()
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().select_related("customer").get(pk=invoice.pk)
        if locked.kind != InvoiceKind.INVOICE:
            raise BillingError(
                _("A credit note cannot itself be credited."),
                code="credit_note_not_creditable",
                field="invoice",
            )
        lines = list(locked.lines.order_by("position"))
        wanted = _wanted_positions(locked, lines, positions)
        unpaid = locked.status in {InvoiceStatus.OPEN, InvoiceStatus.UNPAID}
        draft = _credit_note_draft(locked, [ln for ln in lines if ln.position in wanted], reason)
        (note,) = invoices.issue_drafts(drafts=[draft], now=now)
        refund: Refund | None = None
        if unpaid:
            locked.status, locked.collect_at = InvoiceStatus.CREDITED, None
            locked.save(update_fields=["status", "collect_at"])
        elif locked.status == InvoiceStatus.PAID:
            refund = refunds.open_refund(invoice=locked, credit_note=note, now=now)
        record_event(
            action="billing.credit_note_issued",
            actor=actor,
            customer=locked.customer,
            subject=note,
            data={"number": note.number, "credits": locked.number, "total": note.total.plain()},
            customer_visible=True,
        )
    if refund is not None:
        refunds.make_refund(refund=refund, now=now)
    return note


def _check_reason(reason: str) -> None:
    """A credit note corrects a charge billed in error, and says so."""
    if not reason:
        raise BillingError(
            _("Say why the invoice is corrected."),
            code="credit_note_reason_missing",
            field="reason",
        )
    if len(reason) > MAX_REASON:
        raise BillingError(
            _("Keep the reason under 300 characters."),
            code="credit_note_reason_too_long",
            field="reason",
        )
    if is_service_credit(reason):
        # BILL-9: no service credits for outages.
        raise BillingError(
            _(
                "No credit for an outage: our terms (4(f), No Service Credits) say we "
                "will not give any credit, refund or other compensation for service "
                "interruptions or equipment faults. A credit note corrects a charge "
                "billed in error."
            ),
            code="no_service_credit",
            field="reason",
        )
    if is_unused_service_refund(reason):
        # LIFE-3: no refund for unused service.
        raise BillingError(
            _(
                "No refund for unused service: our terms give no refund for the unused "
                "part of a service period, after a cancellation or otherwise. A credit "
                "note corrects a charge billed in error."
            ),
            code="no_refund_for_unused_service",
            field="reason",
        )


def _wanted_positions(
    invoice: Invoice, lines: list[InvoiceLine], positions: list[int] | None
) -> list[int]:
    """The positions to credit: lines of the invoice not credited yet, and all of them while
    the invoice is not paid."""
    credited = _credited_positions(invoice)
    wanted = [ln.position for ln in lines] if positions is None else sorted(set(positions))
    unknown = [p for p in wanted if p not in {ln.position for ln in lines}]
    if unknown:
        raise BillingError(
            _("The invoice has no line %(positions)s.")
            % {"positions": ", ".join(map(str, unknown))},
            code="invoice_line_unknown",
            field="positions",
        )
    again = [p for p in wanted if p in credited]
    if again:
        raise BillingError(
            _("Line %(positions)s is already credited.")
            % {"positions": ", ".join(map(str, again))},
            code="invoice_line_already_credited",
            field="positions",
        )
    unpaid = invoice.status in {InvoiceStatus.OPEN, InvoiceStatus.UNPAID}
    if unpaid and (credited or len(wanted) != len(lines)):
        raise BillingError(
            _(
                "An invoice not yet paid is credited in full; issue a corrected "
                "invoice for what is still owed."
            ),
            code="unpaid_invoice_credited_in_part",
            field="positions",
        )
    return wanted


def _credit_note_draft(
    invoice: Invoice, lines: list[InvoiceLine], reason: str
) -> invoices.DraftInvoice:
    """The credit note of ``lines`` of ``invoice``: each line again, negative."""
    draft = invoices.DraftInvoice(
        customer=invoice.customer,
        run_key=f"credit:{invoice.number}:{','.join(str(ln.position) for ln in lines)}",
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        kind=InvoiceKind.CREDIT_NOTE,
        credits=invoice,
        reason=reason,
    )
    for item in lines:
        draft.lines.append(
            invoices.DraftLine(
                kind=item.kind,
                unit=Money(-item.unit_minor, invoice.currency),
                phone_number=item.phone_number,
                period_start=item.period_start,
                period_end=item.period_end,
                days=item.days,
                days_in_period=item.days_in_period,
                quantity=item.quantity,
                net=Money(-item.net_minor, invoice.currency),
                description=item.description,
                annual_rate_bp=item.annual_rate_bp,
                credits_position=item.position,
            )
        )
    return draft


def _credited_positions(invoice: Invoice) -> set[int]:
    positions = InvoiceLine.objects.filter(invoice__credits=invoice).values_list(
        "credits_position", flat=True
    )
    return {p for p in positions if p is not None}
