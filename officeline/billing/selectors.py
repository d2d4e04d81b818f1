"""Reads of billing data: a customer's invoices and cards, the price list in force."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext as _

from officeline.accounts.models import Customer
from officeline.billing.choices import CARD_FAILED_GROUNDS
from officeline.billing.errors import BillingError
from officeline.billing.models import Invoice, PaymentMethod, PriceList


def customer_invoices(customer_id: int) -> QuerySet[Invoice]:
    return Invoice.objects.filter(customer_id=customer_id).order_by("-issued_at", "-sequence")


def customer_invoice(customer_id: int, number: str) -> Invoice:
    """The customer's invoice by number; another customer's number is ``Invoice.DoesNotExist``."""
    return customer_invoices(customer_id).prefetch_related("lines", "payments").get(number=number)


class NoPriceList(BillingError):
    """No price list is in force in a market on a day: nothing can be billed."""

    default_code = "no_price_list"


def price_list_in_force(market: str, day: dt.date) -> PriceList:
    """The latest price list of ``market`` whose effective date is not after ``day``."""
    prices = (
        PriceList.objects.filter(market=market, effective_from__lte=day)
        .order_by("-effective_from")
        .first()
    )
    if prices is None:
        raise NoPriceList(
            _("No price list is in force in market %(market)s on %(day)s.")
            % {"market": market, "day": day.isoformat()}
        )
    return prices


def chargeable_cards(customer: Customer, now: dt.datetime) -> QuerySet[PaymentMethod]:
    """The customer's cards that may be charged at ``now``, the default first.

    BILL-6: a revoked card only until its authorisation ends. BILL-7, BILL-8: after the service
    is ended because the card failed (declined through the dunning, or the payment stopped at
    the bank), only a card given since then.
    """
    cards = (
        PaymentMethod.objects.filter(customer=customer)
        .filter(Q(revoked_at__isnull=True) | Q(authorised_until__gt=now))
        .order_by("-is_default", "-created_at")
    )
    failed_at = customer.terminations.filter(
        line__isnull=True, kind__in=CARD_FAILED_GROUNDS
    ).aggregate(at=Max("requested_at"))["at"]
    if failed_at is not None:
        cards = cards.filter(created_at__gt=failed_at)
    return cards
