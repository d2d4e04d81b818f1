"""Ending the service: the customer's cancellation and the operator's termination (LIFE-2, LIFE-3, BILL-4).

A termination is stored with the moment it takes effect, computed when it is
asked for; ``tick`` ends the lines at that moment. What is billed is decided at
the request, once: each subscription gets the first period start that is no
longer billed (``Subscription.ends_before``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.choices import CustomerStatus
from officeline.accounts.models import Customer
from officeline.billing.choices import TerminationKind
from officeline.billing.collection import collect_unpaid_now
from officeline.billing.models import BillingAccount, Subscription, Termination
from officeline.billing.schedule import next_period_start
from officeline.events.services import record_event
from officeline.lines.choices import LineStatus
from officeline.lines.models import Line
from officeline.markets.deadlines import (
    add_business_days,
    end_of_local_day,
    local_date,
    subtract_business_days,
)
from officeline.notifications.services import queue_email

# LIFE-3: a customer's termination takes effect 5 business days after the request.
CUSTOMER_NOTICE_BUSINESS_DAYS = 5
# BILL-4: cancelling at least 5 business days before the next period starts avoids its charge.
AVOID_PERIOD_BUSINESS_DAYS = 5
# LIFE-2: the operator's termination for convenience needs 15 days' written notice.
CONVENIENCE_NOTICE_DAYS = 15
# Grounds on which the card has just failed: trying it again at once would be pointless.
CARD_ALREADY_FAILED = {TerminationKind.NON_PAYMENT, TerminationKind.PAYMENT_STOPPED}


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
        raise ValidationError({"line": [_("A termination is already under way.")]})


def request_cancellation(
    *, customer: Customer, actor: Any, line: Line | None = None
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
        raise ValidationError({"line": [_("This line is not one of yours.")]})
    with transaction.atomic():
        Customer.objects.select_for_update().get(pk=customer.pk)
        _check_open(customer, line)
        subscriptions = _subscriptions(customer, line)
        if not subscriptions:
            raise ValidationError({"line": [_("There is no line left to cancel.")]})
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
            requested_by=actor if getattr(actor, "pk", None) else None,
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
    *, customer: Customer, kind: str, actor: Any, note: str = ""
) -> Termination | None:
    """LIFE-2: the operator ends the service: for convenience with 15 days' written notice,
    at once on the other grounds (the carrier agreement ended, non-payment after warnings,
    payment stopped at the bank (BILL-7), breach after written notice, insolvency,
    regulatory change). LIFE-4: every charge that would have been due is due at once.

    Returns None when the service is already ending (a termination under way stands).
    """
    if kind not in TerminationKind.values or kind == TerminationKind.CUSTOMER:
        allowed = ", ".join(k for k in TerminationKind.values if k != TerminationKind.CUSTOMER)
        raise ValidationError({"kind": [_("Choose one of: %s") % allowed]})
    now = clock.now()
    market = customer.market
    today = local_date(market, now)
    if kind == TerminationKind.CONVENIENCE:
        effective_at = end_of_local_day(market, today + dt.timedelta(days=CONVENIENCE_NOTICE_DAYS))
    else:
        effective_at = now
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
        if kind not in CARD_ALREADY_FAILED:
            # LIFE-4: what is owed is due at once, so it is collected at once.
            collect_unpaid_now(customer, now)
        termination = Termination.objects.create(
            customer=customer,
            kind=kind,
            note=note,
            requested_at=now,
            requested_by=actor if getattr(actor, "pk", None) else None,
            effective_at=effective_at,
        )
        Customer.objects.filter(pk=customer.pk).update(status=CustomerStatus.TERMINATION_PENDING)
        record_event(
            action="billing.operator_termination",
            actor=actor,
            customer=customer,
            subject=termination,
            data={"kind": kind, "effective_at": effective_at.isoformat()},
            customer_visible=True,
        )
        _written_notice(customer, termination, actor)
    return termination


def _written_notice(customer: Customer, termination: Termination, actor: Any) -> None:
    """LIFE-2: the customer is told in writing, by a notice to the account email."""
    from officeline.accounts.services import send_notice_to_customer

    with translation.override(customer.language):
        day = formats.date_format(
            local_date(customer.market, termination.effective_at), "DATE_FORMAT"
        )
        subject = _("Notice of termination of your Officeline service")
        body = _(
            "We are ending your Officeline service: %(ground)s. It ends on %(day)s. "
            "Every charge still owed is due now. Emergency calls remain available until then."
        ) % {"ground": termination.get_kind_display(), "day": day}
    send_notice_to_customer(customer=customer, actor=actor, subject=subject, body=body)


def terminations_due(now: dt.datetime) -> int:
    """Tick: end the lines of every termination whose moment has come."""
    from officeline.lines.services import terminate_line

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
