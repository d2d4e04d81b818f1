"""Sign-up (ACC-1, ACC-2, ACC-3): a business opens its account on the portal.

The portal owns the outcome, so the workflow lives here and calls each app's own service:
accounts opens the customer and its Office Manager and records the signed terms, privacy
records the marketing answers (PRIV-4), billing saves the card; all in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.email_addresses import address_taken, tell_owner_of_taken_address
from officeline.accounts.models import Building, User
from officeline.accounts.services.customers import (
    clean_customer_details,
    open_customer_account,
    record_terms_acceptance,
)
from officeline.billing.payments import CardDetails
from officeline.billing.services.cards import save_default_card
from officeline.documents.models import DocumentVersion
from officeline.errors import DomainError
from officeline.events.services import record_event
from officeline.privacy.services.consents import record_signup_consents

# ACC-3: what sign-up cannot go without (the card and the terms are checked apart).
SIGN_UP_REQUIRED = (
    "legal_name",
    "company_number",
    "contact_name",
    "email",
    "phone",
    "address_line1",
    "city",
    "postcode",
    "workers_count",
)


class SignUpRefused(DomainError):
    """Sign-up cannot go ahead; the message dict names each field."""

    default_code = "sign_up_refused"


@dataclass(frozen=True)
class SignUpRequest:
    """Everything sign-up collects, already through the form's basic checks."""

    market: str
    language: str
    details: Mapping[str, Any]  # the EDITABLE_DETAILS of the business
    building_id: int | None
    password_hash: str
    is_business: bool
    is_adult: bool
    # PRIV-4: the answers to the two unticked marketing boxes, per channel ("email", "sms").
    marketing: Mapping[str, bool] = field(default_factory=dict)


def _check(request: SignUpRequest, terms: DocumentVersion) -> dict[str, Any]:
    """The business's details, cleaned; or SignUpRefused naming every missing or wrong one."""
    errors: dict[str, list[str]] = {}
    if not request.is_business:
        errors["is_business"] = [_("Officeline is for businesses only.")]
    if not request.is_adult:
        errors["is_adult"] = [_("You must be 18 or over to sign up.")]
    missing = [
        name for name in SIGN_UP_REQUIRED if not str(request.details.get(name) or "").strip()
    ]
    for name in missing:
        errors[name] = [_("This field is required.")]
    if (
        terms.document.kind != "terms"
        or terms.document.market != request.market
        or terms.published_at is None
    ):
        errors["terms"] = [_("These are not the published terms of this market.")]
    if errors:
        raise SignUpRefused(errors)
    try:
        return clean_customer_details(market=request.market, changes=request.details)
    except ValidationError as exc:
        raise SignUpRefused(exc.message_dict) from None


def _building(request: SignUpRequest) -> Building | None:
    if request.building_id is None:
        return None
    building = Building.objects.filter(pk=request.building_id, market=request.market).first()
    if building is None:
        raise SignUpRefused(
            {"building": [_("Choose one of our buildings in this market.")]},
            code="unknown_building",
        )
    return building


def sign_up(
    *,
    request: SignUpRequest,
    card: CardDetails,
    provider: str,
    terms: DocumentVersion,
    terms_wording: str,
    ip_address: str,
    user_agent: str,
) -> User | None:
    """Create the customer, its Office Manager, the card and the signed terms, all or nothing.

    ACC-1: businesses only, and the person signing up attests being 18 or over.
    ACC-2: accepting the terms is recorded as an electronic signature.
    ACC-3: the mandatory data are all there; the card is held as a token only.
    The Office Manager's email is their login once confirmed (a link is emailed to it).
    When the email is already someone's login nothing is created and None is returned;
    its owner is told by email, and the caller answers as for a new account.
    """
    cleaned = _check(request, terms)
    email = str(cleaned["email"]).lower()
    now = clock.now()
    with transaction.atomic():
        if address_taken(email):
            # The same answer as for a new account, so that sign-up does not tell who has
            # one: the address's owner is told by email, and nothing is created.
            tell_owner_of_taken_address(email=email, language=request.language, signing_up=True)
            return None
        user = open_customer_account(
            market=request.market,
            language=request.language,
            building=_building(request),
            details={**cleaned, "email": email},
            password_hash=request.password_hash,
            now=now,
        )
        customer = user.customer
        assert customer is not None
        # PRIV-4: marketing consent is asked at registration, per channel, never pre-ticked.
        record_signup_consents(
            person=user,
            email=bool(request.marketing.get("email")),
            sms=bool(request.marketing.get("sms")),
        )
        save_default_card(customer=customer, card=card, provider=provider, now=now)
        acceptance = record_terms_acceptance(
            customer=customer,
            user=user,
            terms=terms,
            wording=terms_wording,
            ip_address=ip_address,
            user_agent=user_agent,
            at=now,
        )
        record_event(
            action="accounts.signed_up",
            actor=user,
            customer=customer,
            subject=customer,
            after={
                "legal_name": customer.legal_name,
                "terms_version": terms.version,
                "terms_sha256": terms.sha256,
                "accepted_at": acceptance.accepted_at.isoformat(),
                "card": f"{card.brand} {card.last4}",
            },
            customer_visible=True,
        )
    return user
