"""A customer's account: its opening (the customer and its Office Manager, the signed terms) and
the details the Office Manager or staff change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from officeline.accounts import validators
from officeline.accounts.choices import CustomerRole, PreferredFormat
from officeline.accounts.email_addresses import add_unverified_login, request_account_email_change
from officeline.accounts.models import Building, Customer, TermsAcceptance, User
from officeline.accounts.permissions import require_capability, require_customer_access
from officeline.actors import Actor
from officeline.events.services import record_event

if TYPE_CHECKING:
    from officeline.documents.models import DocumentVersion

# What the Office Manager may change about their business, and how each value is checked.
EDITABLE_DETAILS = (
    "legal_name",
    "company_number",
    "vat_number",
    "contact_name",
    "email",
    "phone",
    "address_line1",
    "address_line2",
    "city",
    "postcode",
    "workers_count",
    "language",
    "preferred_format",
    "preferred_format_details",
    "accessibility_needs",
)


def clean_customer_details(*, market: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Check and normalise customer details; one ValidationError naming every bad field."""
    unknown = sorted(set(changes) - set(EDITABLE_DETAILS))
    errors: dict[str, list[str]] = {
        name: ["This field cannot be changed here."] for name in unknown
    }
    cleaned: dict[str, Any] = {}
    checks: dict[str, Callable[[Any], Any]] = {
        "company_number": lambda v: validators.company_number(v, market),
        "vat_number": lambda v: validators.vat_number(v, market),
        "phone": lambda v: validators.phone_number(v, market),
        "postcode": lambda v: validators.postcode(v, market),
        "workers_count": validators.workers_count,
    }
    for name, value in changes.items():
        if name in unknown:
            continue
        try:
            if name in checks:
                cleaned[name] = checks[name](value)
            elif name == "preferred_format" and value not in PreferredFormat.values:
                raise ValidationError(
                    "Choose one of: " + ", ".join(PreferredFormat.values), code="invalid_choice"
                )
            elif name == "language" and value not in ("en", "fr"):
                raise ValidationError("Choose en or fr.", code="invalid_choice")
            elif (
                name in ("legal_name", "contact_name", "email", "address_line1", "city")
                and not str(value or "").strip()
            ):
                raise ValidationError("This field is required.", code="required")
            else:
                cleaned[name] = value.strip() if isinstance(value, str) else value
        except ValidationError as exc:
            errors[name] = exc.messages
    fmt = cleaned.get("preferred_format")
    if fmt == PreferredFormat.OTHER and not (
        cleaned.get("preferred_format_details") or changes.get("preferred_format_details")
    ):
        errors.setdefault("preferred_format_details", []).append(
            "Tell us how you would like us to write to you."
        )
    if errors:
        raise ValidationError(errors)
    return cleaned


def update_customer_details(
    *, customer: Customer, actor: Actor, changes: Mapping[str, Any]
) -> Customer:
    """Change a customer's details (the Office Manager, or staff); records before and after.

    INFO-3: accessibility needs and the preferred format for written replies are
    among the details, and every written outcome reads them from here. A new account
    email waits for its confirmation (``email_addresses.request_account_email_change``).
    """
    if getattr(actor, "staff_role", ""):
        require_capability(actor, "customers.edit")
    else:
        require_customer_access(actor, customer, manage=True)
    cleaned = clean_customer_details(market=customer.market, changes=changes)
    with transaction.atomic():
        locked = Customer.objects.select_for_update().get(pk=customer.pk)
        new_email = cleaned.pop("email", None)
        if new_email is not None and str(new_email).lower() != locked.email.lower():
            # The account email is the Office Manager's login: it changes only once the new
            # address is confirmed from its mailbox (email_addresses.login_email_changed).
            request_account_email_change(customer=locked, actor=actor, new_email=new_email)
        before = {k: getattr(locked, k) for k in cleaned if getattr(locked, k) != cleaned[k]}
        if not before:
            return locked
        for name in before:
            setattr(locked, name, cleaned[name])
        locked.full_clean(exclude=["building"])
        locked.save(update_fields=list(before))
        record_event(
            action="accounts.customer_details_changed",
            actor=actor,
            customer=locked,
            subject=locked,
            before=before,
            after={k: cleaned[k] for k in before},
            customer_visible=True,
        )
    return locked


def open_customer_account(
    *,
    market: str,
    language: str,
    building: Building | None,
    details: Mapping[str, Any],
    password_hash: str,
    now: dt.datetime,
) -> User:
    """ACC-3: a new customer and its Office Manager, from details already cleaned
    (``clean_customer_details``) whose email is nobody's login yet.

    The Office Manager's email is their login once confirmed: a link is emailed to it.
    """
    email = str(details["email"]).lower()
    customer = Customer.objects.create(
        market=market,
        building=building,
        created_at=now,
        **{"language": language, **details, "email": email},
    )
    user = User(
        email=email,
        full_name=str(details.get("contact_name", "")),
        customer=customer,
        customer_role=CustomerRole.OFFICE_MANAGER,
        language=language,
        password=password_hash,
    )
    user.save()
    # The address is the login once confirmed from its mailbox; the link goes there now.
    add_unverified_login(
        person=user, email=email, language=language, primary=True, customer=customer
    )
    return user


def record_terms_acceptance(
    *,
    customer: Customer,
    user: User,
    terms: DocumentVersion,
    wording: str,
    ip_address: str,
    user_agent: str,
    at: dt.datetime,
) -> TermsAcceptance:
    """ACC-2: ``user`` signs ``terms`` for ``customer`` by an electronic signature."""
    return TermsAcceptance.objects.create(
        customer=customer,
        user=user,
        document_version=terms,
        document_sha256=terms.sha256,
        accepted_at=at,
        ip_address=ip_address,
        user_agent=user_agent[:500],
        wording=wording,
    )
