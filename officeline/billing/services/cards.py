"""The customer's card: replacing it, and trying what is owed again at once (BILL-7)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.models import Customer
from officeline.actors import Actor
from officeline.billing.errors import BillingError
from officeline.billing.models import Invoice, Payment, PaymentMethod
from officeline.billing.payments.base import CardDetails
from officeline.billing.services.collection import claim_for_collection, collect_claimed
from officeline.billing.services.invoices import collect_unpaid_now
from officeline.events.services import record_event
from officeline.notifications.services import queue_email


def save_default_card(
    *, customer: Customer, card: CardDetails, provider: str, now: dt.datetime
) -> PaymentMethod:
    """The card charged from now on (its token only, ACC-3): the one given at sign-up, or a
    new one that replaces the customer's earlier default card."""
    PaymentMethod.objects.filter(customer=customer, is_default=True).update(
        is_default=False, removed_at=Coalesce("removed_at", Value(now))
    )
    return PaymentMethod.objects.create(
        customer=customer,
        provider=provider,
        token=card.token,
        brand=card.brand,
        last4=card.last4,
        exp_month=card.exp_month,
        exp_year=card.exp_year,
        is_default=True,
        created_at=now,
    )


def replace_card(
    *, customer: Customer, card: CardDetails, provider: str, actor: Actor
) -> PaymentMethod:
    """BILL-7: an expired or replaced card is updated by the customer; the new card is the one
    charged from now on, and every unpaid invoice is tried again at once."""
    now = clock.now()
    with transaction.atomic():
        method = save_default_card(customer=customer, card=card, provider=provider, now=now)
        collect_unpaid_now(customer=customer, now=now)
        record_event(
            action="billing.card_replaced",
            actor=actor,
            customer=customer,
            subject=method,
            data={"brand": card.brand, "last4": card.last4},
            customer_visible=True,
        )
    return method


def stripe_customer_id(customer: Customer) -> str:
    """The Stripe customer the account's latest Stripe card is saved on, or ""."""
    token = (
        PaymentMethod.objects.filter(customer=customer, provider="stripe")
        .order_by("-created_at", "-pk")
        .values_list("token", flat=True)
        .first()
    )
    return (token or "").partition("/")[0]


def collect_now(*, customer: Customer, now: dt.datetime | None = None) -> list[Payment]:
    """Try the customer's invoices that are due for collection now, oldest first (claimed in a
    short transaction, charged with none open: see ``collection.collect_claimed``)."""
    now = now or clock.now()
    claims = claim_for_collection(
        invoices=Invoice.objects.filter(customer=customer, collect_at__lte=now), now=now, limit=1000
    )
    return collect_claimed(claims=claims, now=now)


def apply_network_card_update(*, provider: str, method_id: str, card: CardDetails) -> int:
    """BILL-7: card updates sent by the card network are accepted without new consent.

    ``method_id`` is the provider's id of the stored card (the end of our token);
    returns how many stored cards were updated.
    """
    updated = 0
    with transaction.atomic():
        methods = PaymentMethod.objects.select_for_update().filter(
            provider=provider, token__endswith=f"/{method_id}", revoked_at__isnull=True
        )
        for method in methods.select_related("customer"):
            before = f"{method.last4} {method.exp_month:02d}/{method.exp_year}"
            method.brand, method.last4 = card.brand, card.last4
            method.exp_month, method.exp_year = card.exp_month, card.exp_year
            method.save(update_fields=["brand", "last4", "exp_month", "exp_year"])
            record_event(
                action="billing.card_updated_by_network",
                actor=provider,
                customer=method.customer,
                subject=method,
                before={"card": before},
                after={"card": f"{card.last4} {card.exp_month:02d}/{card.exp_year}"},
                customer_visible=True,
            )
            collect_unpaid_now(customer=method.customer, now=clock.now(), in_dunning_only=True)
            updated += 1
    return updated


# BILL-6: the card authorisation lasts until 30 days after its written revocation.
AUTHORISATION_AFTER_REVOCATION = dt.timedelta(days=30)


def stop_automatic_charging(*, customer: Customer, actor: Actor) -> list[PaymentMethod]:
    """BILL-6: the customer stops automatic charging; each card on file may still be charged
    for 30 days after this written revocation, and not after. Invoices issued later are
    collected only from a card added afterwards (or they go through dunning, BILL-8)."""
    now = clock.now()
    until = now + AUTHORISATION_AFTER_REVOCATION
    with transaction.atomic():
        methods = list(
            PaymentMethod.objects.select_for_update().filter(
                customer=customer, revoked_at__isnull=True
            )
        )
        if not methods:
            raise BillingError(
                _("Automatic charging is already stopped."),
                code="automatic_charging_already_stopped",
                field="card",
            )
        for method in methods:
            method.revoked_at, method.authorised_until = now, until
            method.removed_at = method.removed_at or until  # PRIV-8: its authority ends
            method.save(update_fields=["revoked_at", "authorised_until", "removed_at"])
        record_event(
            action="billing.automatic_charging_stopped",
            actor=actor,
            customer=customer,
            data={"authorised_until": until.isoformat()},
            customer_visible=True,
        )
        queue_email(
            to=customer.email,
            template="billing/email/charging_stopped",
            context={"customer": customer, "until": until},
            language=customer.language,
            kind="billing",
            customer=customer,
        )
    return methods
