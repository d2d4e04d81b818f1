"""Price changes (LIFE-5, BILL-13): scheduled ahead, announced a month ahead when they disadvantage.

A new price list takes effect on its date. When any of its prices is higher
than the list it replaces, every customer of the market is emailed, in their
language, at least one month before it applies, with their right to end the
service without penalty meanwhile; a change with less notice is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.choices import CustomerStatus
from officeline.accounts.models import Customer
from officeline.actors import Actor
from officeline.billing.errors import BillingError
from officeline.billing.models import PriceList
from officeline.billing.money import Money
from officeline.billing.selectors import NoPriceList, price_list_in_force
from officeline.documents import changes
from officeline.events.services import record_event
from officeline.markets.deadlines import local_date
from officeline.markets.definitions import get_market
from officeline.notifications.services import queue_email

# LIFE-5: a change that may materially disadvantage customers is emailed at least a month ahead.
PRICES = ("monthly_fee_minor", "setup_fee_minor", "reactivation_fee_minor", "third_party_fee_bp")


@dataclass(frozen=True)
class PriceChange:
    """The prices of a new list, in minor units (and basis points for the third-party fee)."""

    monthly_fee_minor: int
    setup_fee_minor: int = 0
    reactivation_fee_minor: int = 0
    third_party_fee_bp: int = 0
    per_minute_minor: dict[str, int] | None = None


def disadvantages(new: PriceChange, old: PriceList | None) -> bool:
    """BILL-13: a change is to the customers' disadvantage when any price goes up."""
    if old is None:
        return False
    if any(getattr(new, name) > getattr(old, name) for name in PRICES):
        return True
    old_rates = old.per_minute_minor or {}
    return any(rate > old_rates.get(kind, 0) for kind, rate in (new.per_minute_minor or {}).items())


def earliest_effective_date(market: str, today: dt.date) -> dt.date:
    """BILL-13: a price rise follows LIFE-5, whose notice the documents' changes decide."""
    return changes.earliest_effective_date(today)


def schedule_price_change(
    *, market: str, effective_from: dt.date, prices: PriceChange, actor: Actor
) -> PriceList:
    """LIFE-5, BILL-13: a new price list from ``effective_from``; a rise is announced to every
    customer of the market at once and may not apply earlier than one month from today."""
    currency = get_market(market).currency
    errors: dict[str, list[str]] = {}
    for name in PRICES:
        if getattr(prices, name) < 0:
            errors[name] = [_("A price cannot be negative.")]
    for kind, rate in (prices.per_minute_minor or {}).items():
        if not isinstance(rate, int) or rate < 0:
            errors["per_minute_minor"] = [
                _("The rate for %(kind)s must be a whole, positive number of minor units.")
                % {"kind": kind}
            ]
    now = clock.now()
    today = local_date(market, now)
    if effective_from <= today:
        errors["effective_from"] = [_("A price change takes effect after today.")]
    if errors:
        raise BillingError(errors, code="price_change_invalid")
    try:
        replaced: PriceList | None = price_list_in_force(market, effective_from - dt.timedelta(1))
    except NoPriceList:
        replaced = None
    rise = disadvantages(prices, replaced)
    earliest = earliest_effective_date(market, today)
    if rise and effective_from < earliest:
        raise BillingError(
            _(
                "This change raises prices, so customers must be told at least one "
                "month ahead: it can take effect on %(earliest)s at the earliest."
            )
            % {"earliest": earliest.isoformat()},
            code="price_rise_too_soon",
            field="effective_from",
        )
    with transaction.atomic():
        if PriceList.objects.filter(market=market, effective_from=effective_from).exists():
            raise BillingError(
                _("A price list already takes effect on that day."),
                code="price_list_exists",
                field="effective_from",
            )
        price_list = PriceList.objects.create(
            market=market,
            currency=currency,
            effective_from=effective_from,
            monthly_fee_minor=prices.monthly_fee_minor,
            setup_fee_minor=prices.setup_fee_minor,
            reactivation_fee_minor=prices.reactivation_fee_minor,
            third_party_fee_bp=prices.third_party_fee_bp,
            per_minute_minor=prices.per_minute_minor
            or (replaced.per_minute_minor if replaced else {}),
            disadvantages_customers=rise,
            announced_at=now if rise else None,
            created_at=now,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        record_event(
            action="billing.price_change_scheduled",
            actor=actor,
            subject=price_list,
            data={
                "market": market,
                "effective_from": effective_from.isoformat(),
                "monthly_fee": Money(prices.monthly_fee_minor, currency).plain(),
                "disadvantages_customers": rise,
            },
        )
        if rise:
            _announce(price_list, replaced)
    return price_list


def _announce(price_list: PriceList, replaced: PriceList | None) -> None:
    """LIFE-5: each customer of the market, by email in their language, with the right to leave."""
    customers = Customer.objects.filter(market=price_list.market).exclude(
        status=CustomerStatus.TERMINATED
    )
    for customer in customers.iterator():
        queue_email(
            to=customer.email,
            template="billing/email/price_change",
            context={"customer": customer, "prices": price_list, "replaced": replaced},
            language=customer.language,
            kind="billing",
            customer=customer,
        )
        record_event(
            action="billing.price_change_announced",
            actor="system",
            customer=customer,
            subject=price_list,
            data={"effective_from": price_list.effective_from.isoformat()},
            customer_visible=True,
        )
