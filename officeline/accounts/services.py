"""Writes of the accounts app: named actions, one transaction and one event each."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from officeline.accounts import validators
from officeline.accounts.choices import PreferredFormat
from officeline.accounts.models import Customer
from officeline.accounts.permissions import require_customer_access
from officeline.events.services import record_event

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


def clean_customer_details(market: str, changes: Mapping[str, Any]) -> dict[str, Any]:
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
    *, customer: Customer, actor: Any, changes: Mapping[str, Any]
) -> Customer:
    """Change a customer's details (the Office Manager, or staff); records before and after.

    INFO-3: accessibility needs and the preferred format for written replies are
    among the details, and every written outcome reads them from here.
    """
    if not getattr(actor, "staff_role", ""):
        require_customer_access(actor, customer, manage=True)
    cleaned = clean_customer_details(customer.market, changes)
    with transaction.atomic():
        locked = Customer.objects.select_for_update().get(pk=customer.pk)
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
