"""Billing's named actions: price lists, subscriptions, and issuing invoices.

The invoice run itself (what is due, in batches) is ``officeline.billing.services.run``;
collecting payment is ``officeline.billing.services.collection``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from officeline.accounts.models import Customer, Operator, OperatorMarket
from officeline.billing.choices import LATE_PAYMENT_KINDS, ChargeKind, InvoiceKind, InvoiceStatus
from officeline.billing.models import (
    BilledCall,
    Invoice,
    InvoiceLine,
    InvoiceSequence,
    LatePaymentCharge,
    PriceList,
    Subscription,
    ThirdPartyCharge,
)
from officeline.billing.money import Money
from officeline.events.models import Event
from officeline.events.services import build_event
from officeline.markets.deadlines import local_date
from officeline.markets.definitions import get_market

# ---------------------------------------------------------------- drafting invoices


@dataclass
class DraftLine:
    kind: str
    unit: Money
    phone_number: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    days: int | None = None
    days_in_period: int | None = None
    quantity: int = 1
    net: Money | None = None
    credits_position: int | None = None
    # Calls (BILL-11): their destination type, and each call rated, saved with the line.
    destination: str = ""
    calls: list[BilledCall] = field(default_factory=list)
    # Third-party charges (BILL-10): what the third party said, the charges billed here,
    # and for the service fee its percentage (of ``unit``).
    description: str = ""
    third_party: list[ThirdPartyCharge] = field(default_factory=list)
    fee_bp: int | None = None
    # Late-payment interest (BILL-8): its annual rate; on the recovery fee's line, the late
    # payments it charges (marked billed with the line).
    annual_rate_bp: int | None = None
    late_payments: list[LatePaymentCharge] = field(default_factory=list)


@dataclass
class DraftInvoice:
    customer: Customer
    run_key: str
    period_start: dt.date
    period_end: dt.date
    lines: list[DraftLine] = field(default_factory=list)
    kind: str = InvoiceKind.INVOICE
    credits: Invoice | None = None
    reason: str = ""
    # False: due at once but not collected from the card on file (it failed, BILL-7/8); it is
    # paid outside Officeline or collected when a new card is given.
    collect_from_card: bool = True


# BILL-8: late-payment interest and the fixed recovery indemnity compensate a late payment;
# they are not the price of a supply, so they are outside the scope of VAT in both markets
# (fr: BOI-TVA-BASE-10-10-10; uk: VAT Notice 700, late payment interest and compensation).
OUTSIDE_VAT_SCOPE = LATE_PAYMENT_KINDS


def vat_rate_bp(kind: str, market_rate_bp: int) -> int:
    """The VAT rate of a charge: the market's, or none for a charge outside the scope of VAT."""
    return 0 if kind in OUTSIDE_VAT_SCOPE else market_rate_bp


def _vat(net: Money, rate_bp: int) -> Money:
    """VAT of one invoice line, rounded once, half up (DESIGN: per line)."""
    return net.percent_bp(rate_bp)


def _supplier(market: str) -> dict[str, Any]:
    settings = OperatorMarket.objects.filter(market=market).first()
    operator = settings.operator if settings else Operator.objects.order_by("pk").first()
    if settings is None:
        return {"name": operator.name if operator else "", "market": market}
    return {
        "name": settings.legal_name,
        "trading_name": settings.operator.name,
        "address": settings.registered_office,
        "company_number": settings.company_number,
        "vat_number": settings.vat_number,
        "email": settings.support_email,
        "phone": settings.support_phone,
    }


def _buyer(customer: Customer) -> dict[str, Any]:
    return {
        "name": customer.legal_name,
        "address": customer.address,
        "company_number": customer.company_number,
        "vat_number": customer.vat_number,
        "email": customer.email,
        "contact": customer.contact_name,
    }


def issue_drafts(*, drafts: list[DraftInvoice], now: dt.datetime) -> list[Invoice]:
    """BILL-5: give each draft the next number of its market's one unbroken sequence and save it.

    Runs inside the caller's transaction: the sequence row stays locked until it
    commits, so numbers taken by a run that rolls back are given back and two
    workers never take the same one. A draft whose ``run_key`` was already issued
    is skipped (a repeated or resumed run issues nothing twice).
    """
    drafts = [d for d in drafts if d.lines]
    if not drafts:
        return []
    already = set(
        Invoice.objects.filter(run_key__in=[d.run_key for d in drafts]).values_list(
            "run_key", flat=True
        )
    )
    drafts = [d for d in drafts if d.run_key not in already]
    by_market: dict[str, list[DraftInvoice]] = {}
    for draft in drafts:
        by_market.setdefault(draft.customer.market, []).append(draft)
    invoices: list[Invoice] = []
    lines: list[InvoiceLine] = []
    sources: list[DraftLine] = []
    events: list[Event] = []
    for market_code, group in sorted(by_market.items()):
        market = get_market(market_code)
        InvoiceSequence.objects.get_or_create(market=market_code)
        sequence = InvoiceSequence.objects.select_for_update().get(market=market_code)
        supplier = _supplier(market_code)
        issued_on = local_date(market, now)
        for offset, draft in enumerate(group, start=1):
            number = sequence.last_number + offset
            invoice, invoice_lines = _build(draft, market_code, number, supplier, now, issued_on)
            invoices.append(invoice)
            lines.extend(invoice_lines)
            sources.extend(draft.lines)
        sequence.last_number += len(group)
        sequence.save(update_fields=["last_number"])
    Invoice.objects.bulk_create(invoices)
    for invoice_line in lines:
        invoice_line.invoice_id = invoice_line.invoice.pk
    InvoiceLine.objects.bulk_create(lines)
    billed_calls, passed_on, late = [], [], []
    for invoice_line, source in zip(lines, sources, strict=True):
        for billed in source.calls:
            billed.invoice_line = invoice_line
            billed_calls.append(billed)
        for charge in source.third_party:
            charge.invoice_line = invoice_line
            passed_on.append(charge)
        for late_payment in source.late_payments:
            late_payment.invoice_line = invoice_line
            late.append(late_payment)
    if billed_calls:
        BilledCall.objects.bulk_create(billed_calls)
    if passed_on:
        ThirdPartyCharge.objects.bulk_update(passed_on, ["invoice_line"])
    if late:
        LatePaymentCharge.objects.bulk_update(late, ["invoice_line"])
    for invoice in invoices:
        events.append(
            build_event(
                action="billing.invoice_issued",
                actor="system",
                at=now,
                customer=invoice.customer,
                subject=invoice,
                data={
                    "number": invoice.number,
                    "total": invoice.total.plain(),
                    "period_start": invoice.period_start.isoformat(),
                },
                customer_visible=True,
            )
        )
    Event.objects.bulk_create(events)
    return invoices


def invoice_number(market: str, sequence: int) -> str:
    """'UK-00000042': the market's prefix and its unbroken sequence."""
    return f"{market.upper()}-{sequence:08d}"


def _build(
    draft: DraftInvoice,
    market_code: str,
    number: int,
    supplier: dict[str, Any],
    now: dt.datetime,
    issued_on: dt.date,
) -> tuple[Invoice, list[InvoiceLine]]:
    market = get_market(market_code)
    rate = market.vat_rate_bp
    currency = market.currency
    net_total = Money.zero(currency)
    vat_total = Money.zero(currency)
    invoice = Invoice(
        customer=draft.customer,
        market=market_code,
        number=invoice_number(market_code, number),
        sequence=number,
        run_key=draft.run_key,
        currency=currency,
        language=draft.customer.language or market.language,
        issued_at=now,
        issued_on=issued_on,
        # BILL-1: charged in advance, so payment is due on the day of issue.
        due_on=issued_on,
        period_start=draft.period_start,
        period_end=draft.period_end,
        supplier=supplier,
        buyer=_buyer(draft.customer),
        kind=draft.kind,
        credits=draft.credits,
        reason=draft.reason,
        # A credit note is not collected; an invoice is, at once (BILL-1).
        collect_at=now if draft.kind == InvoiceKind.INVOICE and draft.collect_from_card else None,
        status=InvoiceStatus.OPEN if draft.collect_from_card else InvoiceStatus.UNPAID,
    )
    if draft.credits is not None:
        # A credit note states the parties as the invoice it corrects did.
        invoice.supplier, invoice.buyer = draft.credits.supplier, draft.credits.buyer
    rows = []
    for position, item in enumerate(draft.lines, start=1):
        net, line_rate, vat = _line_amounts(item, currency, rate)
        net_total += net
        vat_total += vat
        rows.append(
            InvoiceLine(
                invoice=invoice,
                position=position,
                kind=item.kind,
                phone_number=item.phone_number,
                period_start=item.period_start,
                period_end=item.period_end,
                days=item.days,
                days_in_period=item.days_in_period,
                quantity=item.quantity,
                destination=item.destination,
                description=item.description,
                fee_bp=item.fee_bp,
                annual_rate_bp=item.annual_rate_bp,
                unit_minor=item.unit.minor,
                net_minor=net.minor,
                vat_rate_bp=line_rate,
                vat_minor=vat.minor,
                credits_position=item.credits_position,
            )
        )
    invoice.net_minor = net_total.minor
    invoice.vat_minor = vat_total.minor
    invoice.total_minor = (net_total + vat_total).minor
    return invoice, rows


def _line_amounts(item: DraftLine, currency: str, market_rate_bp: int) -> tuple[Money, int, Money]:
    """A draft line's net, its VAT rate and its VAT, rounded once (DESIGN: per line)."""
    net = item.net if item.net is not None else Money(item.unit.minor * item.quantity, currency)
    line_rate = vat_rate_bp(item.kind, market_rate_bp)
    return net, line_rate, _vat(net, line_rate)


def draft_total(draft: DraftInvoice, market_code: str) -> Money:
    """What ``draft`` would total, VAT included, if it were issued now."""
    market = get_market(market_code)
    total = Money.zero(market.currency)
    for item in draft.lines:
        net, _rate, vat = _line_amounts(item, market.currency, market.vat_rate_bp)
        total += net + vat
    return total


def monthly_fee_line(
    subscription: Subscription, prices: PriceList, start: dt.date, end: dt.date
) -> DraftLine:
    return DraftLine(
        kind=ChargeKind.MONTHLY_FEE,
        unit=Money(prices.monthly_fee_minor, prices.currency),
        phone_number=subscription.line.number.e164,
        period_start=start,
        period_end=end,
    )


def pro_rata_fee_line(
    subscription: Subscription, prices: PriceList, start: dt.date, end: dt.date, period_days: int
) -> DraftLine:
    """BILL-3: from the line's billing start to the account's next period start, by calendar days."""
    days = (end - start).days
    fee = Money(prices.monthly_fee_minor, prices.currency)
    return DraftLine(
        kind=ChargeKind.PRO_RATA_FEE,
        unit=fee,
        phone_number=subscription.line.number.e164,
        period_start=start,
        period_end=end,
        days=days,
        days_in_period=period_days,
        net=fee.times_fraction(days, period_days),
    )


def setup_fee_line(subscription: Subscription, prices: PriceList) -> DraftLine | None:
    if not prices.setup_fee_minor:
        return None
    return DraftLine(
        kind=ChargeKind.SETUP_FEE,
        unit=Money(prices.setup_fee_minor, prices.currency),
        phone_number=subscription.line.number.e164,
    )


# ---------------------------------------------------------------- collecting


def collect_unpaid_now(
    *, customer: Customer, now: dt.datetime, in_dunning_only: bool = False
) -> int:
    """Bring the customer's unpaid invoices forward for collection at ``now`` (all of them, or
    only those whose dunning still runs); returns how many."""
    unpaid = Invoice.objects.filter(customer=customer, status=InvoiceStatus.UNPAID)
    if in_dunning_only:
        unpaid = unpaid.filter(collect_at__isnull=False)
    return unpaid.update(collect_at=now)


def stop_collecting(*, customer: Customer) -> int:
    """BILL-7, BILL-8: the customer's card failed and the service ends: nothing unpaid is tried
    on it again. The invoices stay due (unpaid), collected when a new card is given
    (``collect_unpaid_now``) or paid outside Officeline; returns how many."""
    return Invoice.objects.filter(
        customer=customer,
        status__in=[InvoiceStatus.OPEN, InvoiceStatus.UNPAID],
        collect_at__isnull=False,
    ).update(collect_at=None, status=InvoiceStatus.UNPAID)
