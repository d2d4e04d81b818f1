"""Disclosures of personal data to authorities (PRIV-9)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.models import Customer
from officeline.accounts.permissions import require_capability
from officeline.actors import Actor
from officeline.errors import DomainError
from officeline.events.services import record_event
from officeline.markets.choices import MarketCode
from officeline.markets.deadlines import local_date
from officeline.privacy.models import Disclosure
from officeline.privacy.services.legal_holds import place_hold

DISCLOSURE_LENGTHS = {"authority": 200, "requester_name": 200, "legal_basis": 500, "reference": 200}


def record_disclosure(
    *,
    actor: Actor,
    authority: str,
    requester_name: str,
    given: str,
    legal_basis: str,
    reference: str,
    disclosed_on: dt.date,
    customer: Customer | None = None,
) -> Disclosure:
    """PRIV-9: record personal data given to an authority; the DPO's role only.

    Every field but the customer is required; the date cannot be after today.
    The event goes on the customer's staff timeline, never on the portal's.
    """
    require_capability(actor, "disclosures.manage")
    now = clock.now()
    values = {
        "authority": authority.strip(),
        "requester_name": requester_name.strip(),
        "given": given.strip(),
        "legal_basis": legal_basis.strip(),
        "reference": reference.strip(),
    }
    _check_disclosure(values, disclosed_on=disclosed_on, now=now)
    with transaction.atomic():
        disclosure = Disclosure.objects.create(
            **values,
            disclosed_on=disclosed_on,
            customer=customer,
            recorded_by=actor,
            recorded_at=now,
        )
        record_event(
            action="privacy.disclosure_recorded",
            actor=actor,
            customer=customer,
            subject=disclosure,
            data={
                "authority": disclosure.authority,
                "legal_basis": disclosure.legal_basis,
                "reference": disclosure.reference,
                "disclosed_on": disclosed_on.isoformat(),
            },
            at=now,
            customer_visible=False,  # PRIV-9: the staff timeline only
        )
        if customer is not None:
            # PRIV-8: what was disclosed about a customer is kept until the DPO releases it.
            place_hold(
                actor=actor,
                customer=customer,
                reason=_("Disclosure to %(authority)s, their reference %(reference)s")
                % {"authority": disclosure.authority, "reference": disclosure.reference},
                disclosure=disclosure,
                now=now,
            )
    return disclosure


def _check_disclosure(values: dict[str, str], *, disclosed_on: dt.date, now: dt.datetime) -> None:
    """Every field is required and not too long; the date is not after today in any market."""
    errors: dict[str, list[str]] = {
        name: [_("This field is required.")] for name, value in values.items() if not value
    }
    latest_today = max(local_date(code, now) for code in MarketCode.values)
    if disclosed_on > latest_today:
        errors["disclosed_on"] = [_("The date of the disclosure cannot be in the future.")]
    for name, limit in DISCLOSURE_LENGTHS.items():
        if len(values[name]) > limit:
            errors[name] = [_("At most %(n)d characters.") % {"n": limit}]
    if errors:
        raise DomainError(errors, code="invalid")
