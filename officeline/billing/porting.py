"""PORT-2: compensation for a port completed after its due date.

The amount is the monthly fee x 12 / 365 x calendar days late, rounded to the
currency's minor unit. The customer claims it in writing; the claim is recorded
with the amount, computed from the port's stored due and completion dates and
the monthly fee in force on the due date. Paying it settles that delay in full:
one compensation per port.

The ports pages and the API of lines show and record it through ``lines.compensation``,
where ``BillingConfig.ready()`` registers ``PortingCompensations``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from officeline import clock
from officeline.actors import Actor
from officeline.billing.models import PortingCompensation
from officeline.billing.money import Money, MoneyError
from officeline.billing.selectors import price_list_in_force
from officeline.events.services import record_event
from officeline.lines.choices import PortState
from officeline.lines.compensation import Compensation
from officeline.lines.models import PortRequest


def days_late(*, due: dt.date, completed: dt.date) -> int:
    """Calendar days between the due date and the completion date (0 when in time)."""
    return max(0, (completed - due).days)


def porting_compensation(*, monthly_fee: Money, due: dt.date, completed: dt.date) -> Money:
    """PORT-2: monthly fee x 12 / 365 x calendar days late, rounded to the currency's minor unit."""
    if monthly_fee.minor < 0:
        raise MoneyError("the monthly fee cannot be negative")
    return monthly_fee.times_fraction(12 * days_late(due=due, completed=completed), 365)


def claim_porting_compensation(
    *, port: PortRequest, claim: str, actor: Actor
) -> PortingCompensation:
    """PORT-2: record a customer's written claim for a late port, with the amount it is owed."""
    if getattr(actor, "customer_id", None) not in (None, port.customer_id):
        raise PermissionDenied(_("This port belongs to another customer."))
    if not claim.strip():
        raise ValidationError(
            {"claim": [_("Write the claim: compensation is claimed in writing.")]}
        )
    if port.state != PortState.COMPLETED or port.due_date is None or port.completed_on is None:
        raise ValidationError({"port": [_("Only a completed port can be compensated.")]})
    late = days_late(due=port.due_date, completed=port.completed_on)
    if late == 0:
        raise ValidationError(
            {"port": [_("This port was completed by its due date: no compensation is owed.")]}
        )
    prices = price_list_in_force(port.customer.market, port.due_date)
    fee = Money(prices.monthly_fee_minor, prices.currency)
    amount = porting_compensation(monthly_fee=fee, due=port.due_date, completed=port.completed_on)
    try:
        with transaction.atomic():
            compensation = PortingCompensation.objects.create(
                port=port,
                customer=port.customer,
                claim=claim.strip(),
                claimed_at=clock.now(),
                claimed_by=actor if getattr(actor, "pk", None) else None,
                days_late=late,
                monthly_fee_minor=fee.minor,
                amount_minor=amount.minor,
                currency=amount.currency,
            )
            record_event(
                action="billing.porting_compensation_claimed",
                actor=actor,
                customer=port.customer,
                subject=compensation,
                data={
                    "number": port.e164,
                    "days_late": late,
                    "amount_minor": amount.minor,
                    "currency": amount.currency,
                },
                customer_visible=True,
            )
    except IntegrityError:
        raise ValidationError(
            {"port": [_("Compensation for this port has already been claimed.")]}
        ) from None
    return compensation


def pay_porting_compensation(
    *, compensation: PortingCompensation, reference: str, actor: Actor
) -> PortingCompensation:
    """PORT-2: the compensation is paid; that settles the port's delay in full and final."""
    if not reference.strip():
        raise ValidationError({"reference": [_("Give the payment's reference.")]})
    with transaction.atomic():
        locked = PortingCompensation.objects.select_for_update().get(pk=compensation.pk)
        if locked.paid_at is not None:
            raise ValidationError({"compensation": [_("This compensation is already paid.")]})
        locked.paid_at, locked.payment_reference = clock.now(), reference.strip()
        locked.save(update_fields=["paid_at", "payment_reference"])
        record_event(
            action="billing.porting_compensation_paid",
            actor=actor,
            customer=locked.customer,
            subject=locked,
            data={"amount_minor": locked.amount_minor, "currency": locked.currency},
            customer_visible=True,
        )
    return locked


def _shown(compensation: PortingCompensation) -> Compensation:
    return Compensation(
        port_id=compensation.port_id,
        e164=compensation.port.e164,
        customer_name=compensation.customer.legal_name,
        claim=compensation.claim,
        claimed_at=compensation.claimed_at,
        days_late=compensation.days_late,
        monthly_fee_minor=compensation.monthly_fee_minor,
        amount_minor=compensation.amount_minor,
        currency=compensation.currency,
        amount=Money(compensation.amount_minor, compensation.currency).display(
            get_language() or "en"
        ),
        paid_at=compensation.paid_at,
        payment_reference=compensation.payment_reference,
    )


class PortingCompensations:
    """PORT-2 as lines' ports pages and API see it (``lines.compensation.Compensations``)."""

    def of_ports(self, port_ids: Iterable[int]) -> dict[int, Compensation]:
        found = PortingCompensation.objects.filter(port_id__in=list(port_ids)).select_related(
            "port", "customer"
        )
        return {compensation.port_id: _shown(compensation) for compensation in found}

    def unpaid(self) -> list[Compensation]:
        unpaid = PortingCompensation.objects.filter(paid_at__isnull=True).select_related(
            "port", "customer"
        )
        return [_shown(compensation) for compensation in unpaid]

    def claim(self, *, port: PortRequest, claim: str, actor: Actor) -> Compensation:
        return _shown(claim_porting_compensation(port=port, claim=claim, actor=actor))

    def pay(self, *, port: PortRequest, reference: str, actor: Actor) -> Compensation:
        compensation = PortingCompensation.objects.select_related("port", "customer").get(port=port)
        return _shown(
            pay_porting_compensation(compensation=compensation, reference=reference, actor=actor)
        )
