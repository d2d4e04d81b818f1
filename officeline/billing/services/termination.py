"""Ending the service: the customer's cancellation and the operator's termination (LIFE-2, LIFE-3, BILL-4).

A termination is stored with the moment it takes effect, computed when it is
asked for; ``tick`` ends the lines at that moment. What is billed is decided at
the request, once: each subscription gets the first period start that is no
longer billed (``Subscription.ends_before``). When the whole service ends,
what no invoice carries yet (calls on the commercial plan, third-party
charges, late-payment interest (BILL-8), and, for abnormal use, the calls of
the abnormal periods at the commercial rates, AUP-4) goes on a final invoice
(LIFE-4); what comes in later goes on a further invoice at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import formats, translation
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.choices import CustomerStatus
from officeline.accounts.models import Customer, User
from officeline.accounts.services.notices import send_notice_to_customer
from officeline.actors import Actor
from officeline.billing import selectors
from officeline.billing.choices import (
    CARD_FAILED_GROUNDS,
    ChargeKind,
    InvoiceStatus,
    TerminationKind,
)
from officeline.billing.errors import BillingError
from officeline.billing.hooks import contract_ended
from officeline.billing.models import (
    AbnormalUsePeriod,
    BillingAccount,
    Invoice,
    LatePaymentCharge,
    PaymentMethod,
    PriceList,
    Subscription,
    Termination,
    ThirdPartyCharge,
)
from officeline.billing.money import Money
from officeline.billing.schedule import current_period_start, next_period_start
from officeline.billing.services import invoices, late_payment, rating, third_party
from officeline.events.services import record_event
from officeline.lines.choices import LineStatus
from officeline.lines.models import Line
from officeline.lines.services.lines import terminate_line
from officeline.markets.deadlines import (
    add_business_days,
    end_of_local_day,
    local_date,
    start_of_local_day,
    subtract_business_days,
)
from officeline.markets.definitions import get_market
from officeline.notifications.services import queue_email

# LIFE-3: a customer's termination takes effect 5 business days after the request.
CUSTOMER_NOTICE_BUSINESS_DAYS = 5
# BILL-4: cancelling at least 5 business days before the next period starts avoids its charge.
AVOID_PERIOD_BUSINESS_DAYS = 5
# LIFE-2: the operator's termination for convenience needs 15 days' written notice.
CONVENIENCE_NOTICE_DAYS = 15


@dataclass(frozen=True)
class CancellationTerms:
    """What a cancellation asked for today means, shown before it is confirmed."""

    effective_on: dt.date
    next_period_start: dt.date | None
    next_period_billed: bool
    last_day_to_avoid_it: dt.date | None


def cancellation_terms(customer: Customer, today: dt.date) -> CancellationTerms:
    """LIFE-3, BILL-4: when a cancellation asked for on ``today`` takes effect and what is billed."""
    market = customer.market
    effective_on = add_business_days(market, today, CUSTOMER_NOTICE_BUSINESS_DAYS)
    account = BillingAccount.objects.filter(customer=customer).first()
    if account is None:
        return CancellationTerms(effective_on, None, False, None)
    following = next_period_start(account.anchor, today)
    last_day = subtract_business_days(market, following, AVOID_PERIOD_BUSINESS_DAYS)
    return CancellationTerms(effective_on, following, today > last_day, last_day)


def _subscriptions(customer: Customer, line: Line | None) -> list[Subscription]:
    qs = Subscription.objects.select_for_update().filter(account__customer=customer)
    if line is not None:
        qs = qs.filter(line=line)
    return list(qs.exclude(line__status=LineStatus.TERMINATED).select_related("account", "line"))


def _check_open(customer: Customer, line: Line | None) -> None:
    pending = Termination.objects.filter(customer=customer, completed_at__isnull=True)
    if pending.filter(line__isnull=True).exists() or (
        line is not None and pending.filter(line=line).exists()
    ):
        raise BillingError(
            _("A termination is already under way."),
            code="termination_under_way",
            field="line",
        )


def request_cancellation(
    *, customer: Customer, actor: Actor, line: Line | None = None
) -> Termination:
    """LIFE-3: the customer ends a line, or the whole service, at any time.

    It takes effect 5 business days after the request; there is no refund for an
    unused part of a period. BILL-4: asked at least 5 business days before the
    next period starts, that period is not billed; later, it is.
    """
    now = clock.now()
    today = local_date(customer.market, now)
    terms = cancellation_terms(customer, today)
    if line is not None and line.customer_id != customer.pk:
        raise BillingError(
            _("This line is not one of yours."),
            code="line_not_yours",
            field="line",
        )
    with transaction.atomic():
        Customer.objects.select_for_update().get(pk=customer.pk)
        _check_open(customer, line)
        subscriptions = _subscriptions(customer, line)
        if not subscriptions:
            raise BillingError(
                _("There is no line left to cancel."),
                code="no_line_to_cancel",
                field="line",
            )
        for subscription in subscriptions:
            anchor = subscription.account.anchor
            if terms.next_period_start is None:
                continue
            ends_before = (
                next_period_start(anchor, terms.next_period_start)
                if terms.next_period_billed
                else terms.next_period_start
            )
            subscription.ends_before = ends_before
            # A line whose billing has not started by then is never billed.
            if subscription.billing_starts_on >= ends_before:
                subscription.pro_rata_due_on = None
            subscription.save(update_fields=["ends_before", "pro_rata_due_on"])
        termination = Termination.objects.create(
            customer=customer,
            line=line,
            kind=TerminationKind.CUSTOMER,
            requested_at=now,
            requested_by=actor if isinstance(actor, User) and actor.pk else None,
            effective_at=end_of_local_day(customer.market, terms.effective_on),
            next_period_billed=terms.next_period_billed,
        )
        if line is None:
            Customer.objects.filter(pk=customer.pk).update(
                status=CustomerStatus.TERMINATION_PENDING
            )
        record_event(
            action="billing.cancellation_requested",
            actor=actor,
            customer=customer,
            subject=termination,
            data={
                "line": line.number.e164 if line else "all",
                "effective_on": terms.effective_on.isoformat(),
                "next_period_billed": terms.next_period_billed,
            },
            customer_visible=True,
        )
        queue_email(
            to=customer.email,
            template="billing/email/cancellation",
            context={
                "customer": customer,
                "termination": termination,
                "terms": terms,
                "line": line,
            },
            language=customer.language,
            kind="billing",
            customer=customer,
        )
    return termination


def terminate_by_operator(
    *,
    customer: Customer,
    kind: str,
    actor: Actor | str,
    note: str = "",
    abnormal_periods: list[tuple[dt.date, dt.date]] | None = None,
) -> Termination | None:
    """LIFE-2: the operator ends the service: for convenience with 15 days' written notice,
    at once on the other grounds (the carrier agreement ended, non-payment after warnings,
    payment stopped at the bank (BILL-7), breach after written notice, insolvency,
    regulatory change, abnormal or prohibited use (AUP-3)). LIFE-4: every charge that would
    have been due is due at once.

    AUP-4: ending the service for abnormal or prohibited use names the periods of abnormal
    use (first and last day, in the market's calendar, from the review's evidence); their
    calls are billed at the commercial rates on the final invoice.

    Returns None when the service is already ending (a termination under way stands).
    """
    now = clock.now()
    market = customer.market
    effective_at = _operator_effective_at(market, kind, now)
    periods = _abnormal_periods(market, kind, abnormal_periods or [], local_date(market, now))
    with transaction.atomic():
        locked = Customer.objects.select_for_update().get(pk=customer.pk)
        if (
            locked.status == CustomerStatus.TERMINATED
            or Termination.objects.filter(
                customer=customer, line__isnull=True, completed_at__isnull=True
            ).exists()
        ):
            return None
        last_day = local_date(market, effective_at)
        for subscription in _subscriptions(customer, None):
            ends_before = next_period_start(subscription.account.anchor, last_day)
            if subscription.ends_before is None or subscription.ends_before > ends_before:
                subscription.ends_before = ends_before
                if subscription.billing_starts_on >= ends_before:
                    subscription.pro_rata_due_on = None
                subscription.save(update_fields=["ends_before", "pro_rata_due_on"])
        if kind in CARD_FAILED_GROUNDS:
            # BILL-7, BILL-8: the card failed; what is owed stays due, not charged to it again.
            invoices.stop_collecting(customer=customer)
        else:
            # LIFE-4: what is owed is due at once, so it is collected at once.
            invoices.collect_unpaid_now(customer=customer, now=now)
        termination = Termination.objects.create(
            customer=customer,
            kind=kind,
            note=note,
            requested_at=now,
            requested_by=actor if isinstance(actor, User) and actor.pk else None,
            effective_at=effective_at,
        )
        AbnormalUsePeriod.objects.bulk_create(
            AbnormalUsePeriod(termination=termination, starts_at=starts, ends_at=ends)
            for starts, ends in periods
        )
        Customer.objects.filter(pk=customer.pk).update(status=CustomerStatus.TERMINATION_PENDING)
        data: dict[str, Any] = {"kind": kind, "effective_at": effective_at.isoformat()}
        if abnormal_periods:
            data["abnormal_periods"] = [[f.isoformat(), t.isoformat()] for f, t in abnormal_periods]
        record_event(
            action="billing.operator_termination",
            actor=actor,
            customer=customer,
            subject=termination,
            data=data,
            customer_visible=True,
        )
        _written_notice(customer, termination, actor)
    return termination


@dataclass(frozen=True)
class OperatorTerminationTerms:
    """What ending the service now on a ground means, shown before staff confirm it."""

    effective_at: dt.datetime
    effective_on: dt.date
    # LIFE-4: what is owed now, collected at once.
    unpaid: Money
    # The last period start still billed in advance before the end, if one is still to come.
    period_still_billed: dt.date | None
    # LIFE-4, AUP-4: the final invoice as it would be today, VAT included.
    final_invoice: Money
    already_ending: bool


def operator_termination_terms(
    *,
    customer: Customer,
    kind: str,
    abnormal_periods: list[tuple[dt.date, dt.date]] | None = None,
    now: dt.datetime,
) -> OperatorTerminationTerms:
    """LIFE-2, LIFE-4, AUP-4: when ``terminate_by_operator`` would end the service and what it
    would charge; raises the same ValidationError it would."""
    market = customer.market
    currency = get_market(market).currency
    effective_at = _operator_effective_at(market, kind, now)
    today = local_date(market, now)
    periods = _abnormal_periods(market, kind, abnormal_periods or [], today)
    effective_on = local_date(market, effective_at)
    account = BillingAccount.objects.filter(customer=customer).first()
    still_billed = None
    final = Money.zero(currency)
    if account is not None:
        following = next_period_start(account.anchor, today)
        still_billed = following if following <= effective_on else None
        with transaction.atomic():
            # The final invoice as it would be issued now; what building it records (the late
            # payments of invoices still unpaid, BILL-8) is rolled back: a preview writes nothing.
            draft = _final_draft(customer, account, periods, now, run_key="preview")
            final = invoices.draft_total(draft, market)
            transaction.set_rollback(True)
    unpaid = Invoice.objects.filter(
        customer=customer, status__in=[InvoiceStatus.OPEN, InvoiceStatus.UNPAID]
    ).aggregate(total=Sum("total_minor"))["total"]
    return OperatorTerminationTerms(
        effective_at=effective_at,
        effective_on=effective_on,
        unpaid=Money(unpaid or 0, currency),
        period_still_billed=still_billed,
        final_invoice=final,
        already_ending=customer.status == CustomerStatus.TERMINATED
        or Termination.objects.filter(
            customer=customer, line__isnull=True, completed_at__isnull=True
        ).exists(),
    )


def _operator_effective_at(market: str, kind: str, now: dt.datetime) -> dt.datetime:
    """LIFE-2: for convenience, the end of the 15th day after today; on other grounds, now."""
    if kind not in TerminationKind.values or kind == TerminationKind.CUSTOMER:
        allowed = ", ".join(k for k in TerminationKind.values if k != TerminationKind.CUSTOMER)
        raise BillingError(
            _("Choose one of: %s") % allowed,
            code="termination_kind_unknown",
            field="kind",
        )
    if kind == TerminationKind.CONVENIENCE:
        today = local_date(market, now)
        return end_of_local_day(market, today + dt.timedelta(days=CONVENIENCE_NOTICE_DAYS))
    return now


def _abnormal_periods(
    market: str, kind: str, periods: list[tuple[dt.date, dt.date]], today: dt.date
) -> list[tuple[dt.datetime, dt.datetime]]:
    """AUP-4: the periods of abnormal use as instants, from the first day's start to the end of
    the last day, in the market's time zone; only for a termination for abnormal use."""
    if kind != TerminationKind.ABNORMAL_USE:
        if periods:
            raise BillingError(
                _(
                    "Periods of abnormal use go with a termination for "
                    "abnormal or prohibited use only."
                ),
                code="abnormal_periods_not_allowed",
                field="abnormal_periods",
            )
        return []
    if not periods:
        raise BillingError(
            _(
                "Give the periods of abnormal use, from the review's "
                "evidence: their calls are billed at commercial rates."
            ),
            code="abnormal_periods_missing",
            field="abnormal_periods",
        )
    instants = []
    for first, last in periods:
        if first > last:
            raise BillingError(
                _("A period of abnormal use cannot end before it starts (%(first)s to %(last)s).")
                % {"first": first.isoformat(), "last": last.isoformat()},
                code="abnormal_period_reversed",
                field="abnormal_periods",
            )
        if last > today:
            raise BillingError(
                _("A period of abnormal use cannot end after today (%(last)s).")
                % {"last": last.isoformat()},
                code="abnormal_period_in_future",
                field="abnormal_periods",
            )
        instants.append(
            (start_of_local_day(market, first), start_of_local_day(market, last + dt.timedelta(1)))
        )
    return instants


def _written_notice(customer: Customer, termination: Termination, actor: Actor | str) -> None:
    """LIFE-2: the customer is told in writing, by a notice to the account email."""
    with translation.override(customer.language):
        day = formats.date_format(
            local_date(customer.market, termination.effective_at), "DATE_FORMAT"
        )
        subject = _("Notice of termination of your Officeline service")
        body = _(
            "We are ending your Officeline service: %(ground)s. It ends on %(day)s. "
            "Every charge still owed is due now. Emergency calls remain available until then."
        ) % {"ground": termination.get_kind_display(), "day": day}
        periods = [
            _("%(first)s to %(last)s")
            % {
                "first": formats.date_format(
                    local_date(customer.market, p.starts_at), "DATE_FORMAT"
                ),
                "last": formats.date_format(
                    local_date(customer.market, p.ends_at) - dt.timedelta(days=1), "DATE_FORMAT"
                ),
            }
            for p in termination.abnormal_periods.all()
        ]
        if periods:
            # AUP-4, as the acceptable use policy (terms 3(a), 3(b)) provides.
            body += " " + _(
                "As our acceptable use policy provides, the calls made during the periods of "
                "abnormal use (%(periods)s) are billed at the commercial per-minute rates on a "
                "final invoice."
            ) % {"periods": "; ".join(periods)}
    send_notice_to_customer(customer=customer, actor=actor, subject=subject, body=body)


def complete_due_terminations(*, now: dt.datetime) -> int:
    """End the lines of every termination whose moment has come."""
    done = 0
    while True:
        with transaction.atomic():
            batch = list(
                Termination.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(effective_at__lte=now, completed_at__isnull=True)
                .select_related("customer", "line")
                .order_by("effective_at")[:100]
            )
            for termination in batch:
                lines = (
                    [termination.line]
                    if termination.line
                    else list(termination.customer.lines.exclude(status=LineStatus.TERMINATED))
                )
                for line in lines:
                    if line.status != LineStatus.TERMINATED:
                        terminate_line(line=line, actor="tick", at=now)
                termination.completed_at = now
                termination.save(update_fields=["completed_at"])
                if termination.line is None:
                    Customer.objects.filter(pk=termination.customer_id).update(
                        status=CustomerStatus.TERMINATED
                    )
                    issue_final_invoice(termination=termination, now=now)
                    # PRIV-8: the cards on file are removed with the contract.
                    PaymentMethod.objects.filter(
                        customer_id=termination.customer_id, removed_at__isnull=True
                    ).update(removed_at=now)
                    contract_ended(termination=termination, at=now)
                record_event(
                    action="billing.termination_effective",
                    actor="tick",
                    at=now,
                    customer=termination.customer,
                    subject=termination,
                    data={"kind": termination.kind, "lines": [ln.number.e164 for ln in lines]},
                    customer_visible=True,
                )
            done += len(batch)
        if len(batch) < 100:
            return done


def issue_final_invoice(*, termination: Termination, now: dt.datetime) -> Invoice | None:
    """LIFE-4: when the whole service ends, what no invoice carries yet is billed at once.

    That is the calls made on the commercial plan since the last invoice (BILL-11), the
    third-party charges not billed yet (BILL-10), late-payment interest and recovery fees
    not charged yet, those of invoices still unpaid counted up to today (BILL-8), and, when
    the service ends for abnormal or prohibited use, every chargeable call of the abnormal
    periods not billed yet, at the commercial rates of its day (AUP-4), whatever plan the
    line was on. None when nothing is owed. Issued once per termination (its run key).
    """
    customer = termination.customer
    account = BillingAccount.objects.select_for_update().filter(customer=customer).first()
    if account is None:
        return None
    periods = [(p.starts_at, p.ends_at) for p in termination.abnormal_periods.all()]
    draft = _final_draft(customer, account, periods, now, run_key=f"final:{termination.pk}")
    return _issue(draft, now)


def _final_draft(
    customer: Customer,
    account: BillingAccount,
    periods: list[tuple[dt.datetime, dt.datetime]],
    now: dt.datetime,
    *,
    run_key: str,
) -> invoices.DraftInvoice:
    """LIFE-4, AUP-4, BILL-8: the final invoice's lines: commercial-plan calls and third-party
    charges not billed yet, the chargeable calls of the abnormal ``periods`` at commercial
    rates, and late-payment charges (recording those of the invoices still unpaid)."""
    market = account.market
    price_lists: dict[dt.date, PriceList] = {}

    def prices_on(day: dt.date) -> PriceList:
        if day not in price_lists:
            price_lists[day] = selectors.price_list_in_force(market, day)
        return price_lists[day]

    line_ids = list(account.subscriptions.values_list("line_id", flat=True))
    today = local_date(market, now)
    start = current_period_start(account.anchor, today)
    end = today + dt.timedelta(days=1)
    draft = invoices.DraftInvoice(
        customer=customer,
        run_key=run_key,
        period_start=start,
        period_end=end,
        collect_from_card=selectors.chargeable_cards(customer, now).exists(),
    )
    commercial = [
        call for calls in rating.commercial_calls(line_ids, before=now).values() for call in calls
    ]
    if commercial:
        draft.lines += rating.usage_lines(
            commercial, market=market, prices_on=prices_on, period_start=start, period_end=end
        )
    if periods:
        in_periods = Q()
        for starts_at, ends_at in periods:
            in_periods |= Q(started_at__gte=starts_at, started_at__lt=ends_at)
        already = {call.pk for call in commercial}
        abnormal = [
            call
            for call in rating.chargeable_calls(line_ids).filter(in_periods)
            if call.pk not in already
        ]
        if abnormal:
            draft.lines += rating.usage_lines(
                abnormal,
                market=market,
                prices_on=prices_on,
                period_start=local_date(market, periods[0][0]),
                period_end=local_date(market, periods[-1][1]),
                kind=ChargeKind.ABNORMAL_USAGE,
            )
    # BILL-8: interest of the invoices paid late, and of those still unpaid up to today.
    late_payment.record_unpaid_at_end(customer=customer, day=today, now=now)
    draft.lines += _charges_not_billed(customer, prices_on(today))
    return draft


def _issue(draft: invoices.DraftInvoice, now: dt.datetime) -> Invoice | None:
    """Issue a final or further invoice; one that no card may pay is told to the customer."""
    issued = invoices.issue_drafts(drafts=[draft], now=now)
    if issued and not draft.collect_from_card:
        _tell_final_invoice_due(issued[0])
    return issued[0] if issued else None


def _tell_final_invoice_due(invoice: Invoice) -> None:
    """BILL-7, BILL-8: an invoice after the end that no card may pay is due at once; the
    customer is told how to pay it (a new card in the portal, or by arrangement with us)."""
    customer = invoice.customer
    queue_email(
        to=customer.email,
        template="billing/email/final_invoice_due",
        context={"customer": customer, "invoice": invoice},
        language=invoice.language,
        kind="billing",
        customer=customer,
    )


def _charges_not_billed(customer: Customer, prices: PriceList) -> list[invoices.DraftLine]:
    """The third-party charges (BILL-10) and late payments (BILL-8) no invoice carries yet."""
    charges = third_party.unbilled_charges([customer.pk]).get(customer.pk, [])
    late = late_payment.unbilled_late_payments([customer.pk]).get(customer.pk, [])
    return third_party.third_party_lines(charges, prices) + late_payment.late_payment_lines(
        late, customer.market
    )


def bill_after_final_invoices(*, now: dt.datetime) -> int:
    """What comes in after the account's final invoice is billed at once, on a further
    invoice, as the account has no next invoice to carry it.

    That is a third-party charge the carrier reports (or staff record) after the final
    invoice (BILL-10: premium-rate calls made before the end, reported days later) and the
    late-payment interest of an invoice paid after the end (BILL-8). Each is billed once
    (its link to the invoice line); a further invoice is collected like any other.
    """
    ended = Q(customer__status=CustomerStatus.TERMINATED, invoice_line__isnull=True)
    customer_ids = set(
        ThirdPartyCharge.objects.filter(ended).values_list("customer_id", flat=True)
    ) | set(LatePaymentCharge.objects.filter(ended).values_list("customer_id", flat=True))
    issued = 0
    for customer_id in sorted(customer_ids):
        with transaction.atomic():
            customer = (
                Customer.objects.select_for_update(skip_locked=True)
                .filter(pk=customer_id, status=CustomerStatus.TERMINATED)
                .first()
            )
            if customer is None:
                continue
            today = local_date(customer.market, now)
            draft = invoices.DraftInvoice(
                customer=customer,
                run_key=f"after-final:{customer.pk}:{now.isoformat()}",
                period_start=today,
                period_end=today + dt.timedelta(days=1),
                collect_from_card=selectors.chargeable_cards(customer, now).exists(),
            )
            prices = selectors.price_list_in_force(customer.market, today)
            draft.lines = _charges_not_billed(customer, prices)
            issued += _issue(draft, now) is not None
    return issued
