"""Legal holds on a customer's data (PRIV-8)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.models import Customer
from officeline.accounts.permissions import require_capability
from officeline.actors import Actor
from officeline.errors import DomainError
from officeline.events.services import record_event
from officeline.privacy.models import LegalHold


def place_hold(
    *, actor: Actor, customer: Customer, reason: str, now: dt.datetime, disclosure: Any = None
) -> LegalHold:
    hold = LegalHold.objects.create(
        customer=customer, reason=reason, disclosure=disclosure, placed_at=now, placed_by=actor
    )
    record_event(
        action="privacy.legal_hold_placed",
        actor=actor,
        customer=customer,
        subject=hold,
        data={"reason": reason},
        at=now,
        customer_visible=False,
    )
    return hold


def place_legal_hold(*, actor: Actor, customer: Customer, reason: str) -> LegalHold:
    """PRIV-8: the DPO stops retention from deleting a customer's data, saying why."""
    require_capability(actor, "legal_holds.manage")
    reason = reason.strip()
    if not reason:
        raise DomainError(
            _("Say why this customer's data must be kept."), field="reason", code="reason_required"
        )
    with transaction.atomic():
        return place_hold(actor=actor, customer=customer, reason=reason, now=clock.now())


def release_legal_hold(*, actor: Actor, hold: LegalHold, reason: str) -> LegalHold:
    """PRIV-8: the DPO ends a hold; the customer's data past its retention goes at the next run."""
    require_capability(actor, "legal_holds.manage")
    reason = reason.strip()
    if not reason:
        raise DomainError(
            _("Say why the hold can end."), field="release_reason", code="reason_required"
        )
    now = clock.now()
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.released_at is not None:
            raise DomainError(_("This hold was already released."), code="released")
        hold.released_at, hold.released_by, hold.release_reason = now, actor, reason
        hold.save(update_fields=["released_at", "released_by", "release_reason"])
        record_event(
            action="privacy.legal_hold_released",
            actor=actor,
            customer=hold.customer,
            subject=hold,
            data={"reason": reason},
            at=now,
            customer_visible=False,
        )
    return hold
