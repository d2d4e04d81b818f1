"""A visitor's cookie choice (PRIV-5)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.errors import DomainError
from officeline.events.services import record_event
from officeline.privacy import cookies
from officeline.privacy.choices import CookieChoiceValue
from officeline.privacy.models import CookieChoice
from officeline.privacy.services.consents import customer_of


def record_cookie_choice(*, choice: str, anonymous_id: str, user: Any = None) -> CookieChoice:
    """PRIV-5: a visitor's cookie choice, kept with the policy version it answers."""
    if choice not in CookieChoiceValue.values:
        raise DomainError(
            _("Choose “Accept performance cookies” or “Only necessary”."),
            field="choice",
            code="invalid_choice",
        )
    now = clock.now()
    with transaction.atomic():
        row = CookieChoice.objects.create(
            anonymous_id=anonymous_id,
            user=user if getattr(user, "pk", None) else None,
            choice=choice,
            at=now,
            policy_version=cookies.POLICY_VERSION,
        )
        record_event(
            action="privacy.cookie_choice",
            actor=user if getattr(user, "pk", None) else "visitor",
            customer=customer_of(user) if user is not None else None,
            subject=row,
            data={"choice": choice, "policy_version": cookies.POLICY_VERSION},
            at=now,
            customer_visible=user is not None,
        )
    return row
