"""Marketing consent and its changes (PRIV-4).

A person's marketing consent is kept per channel (email, SMS) as a history of
``MarketingConsent`` rows, never overwritten; the latest row is in force. It is
asked at sign-up with unticked boxes, changed on the portal's account page, and
withdrawn by the one-click unsubscribe link of every marketing email (RFC 8058,
``unsubscribe``) or by replying STOP to a marketing text (``sms_replies``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.models import User
from officeline.actors import Actor
from officeline.errors import DomainError
from officeline.events.services import record_event
from officeline.privacy.choices import (
    ConsentMethod,
    MarketingChannel,
)
from officeline.privacy.models import MarketingConsent
from officeline.privacy.selectors import current_consent


def customer_of(person: Any) -> Any:
    return person.customer if getattr(person, "customer_id", None) else None


def address_for(person: Any, channel: str) -> str:
    """Where marketing on ``channel`` reaches the person: their email, or their business's number."""
    if channel == MarketingChannel.EMAIL:
        return str(person.email)
    customer = customer_of(person)
    return str(customer.phone) if customer is not None else ""


def _check_choice(field: str, value: str, choices: Any) -> None:
    if value not in choices.values:
        raise DomainError(
            _("Choose one of: %s.") % ", ".join(choices.values), field=field, code="invalid_choice"
        )


def record_marketing_consent(
    *,
    person: User,
    channel: str,
    given: bool,
    method: str,
    actor: Actor,
    address: str = "",
    always: bool = False,
) -> MarketingConsent | None:
    """PRIV-4: add a step to a person's marketing consent on one channel.

    Nothing is written when the consent in force already says the same (unless
    ``always``: sign-up records the answer to the question either way). A
    consent to texts needs a number to send them to.
    """
    _check_choice("channel", channel, MarketingChannel)
    _check_choice("method", method, ConsentMethod)
    address = address or address_for(person, channel)
    if given and not address:
        raise DomainError(
            _("There is no phone number to send texts to."), field=channel, code="no_phone_number"
        )
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=person.pk).first()
        current = current_consent(person, channel)
        in_force = current is not None and current.given
        if in_force == given and not always:
            return None
        now = clock.now()
        consent = MarketingConsent.objects.create(
            person=person,
            channel=channel,
            given=given,
            address=address,
            method=method,
            at=now,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        record_event(
            action="privacy.marketing_consent_" + ("given" if given else "withdrawn"),
            actor=actor if actor is not None else person,
            customer=customer_of(person),
            subject=consent,
            data={"person": person.pk, "channel": channel, "method": method},
            at=now,
            customer_visible=True,
        )
    return consent


def record_signup_consents(*, person: User, email: bool, sms: bool) -> list[MarketingConsent]:
    """PRIV-4: the answers to the two unticked sign-up boxes, recorded whichever they are."""
    rows = []
    with transaction.atomic():
        for channel, given in ((MarketingChannel.EMAIL, email), (MarketingChannel.SMS, sms)):
            row = record_marketing_consent(
                person=person,
                channel=channel,
                given=bool(given),
                method=ConsentMethod.SIGNUP_FORM,
                actor=person,
                always=True,
            )
            if row is not None:
                rows.append(row)
    return rows


def set_marketing_preferences(
    *, person: User, actor: Actor, preferences: Mapping[str, bool]
) -> list[MarketingConsent]:
    """PRIV-4: the person changes their consents (portal), or staff record what they asked.

    Only the person themselves, or operator staff, may change a person's consent.
    """
    is_staff = bool(getattr(actor, "staff_role", "")) and getattr(actor, "is_active", False)
    if not is_staff and getattr(actor, "pk", None) != person.pk:
        raise PermissionDenied("only the person, or staff, can change their marketing consent")
    unknown = sorted(set(preferences) - set(MarketingChannel.values))
    if unknown:
        raise DomainError(
            {name: [_("This is not a marketing channel.")] for name in unknown},
            code="not_a_marketing_channel",
        )
    method = ConsentMethod.STAFF if is_staff else ConsentMethod.PORTAL
    rows = []
    with transaction.atomic():
        for channel, given in preferences.items():
            row = record_marketing_consent(
                person=person, channel=channel, given=bool(given), method=method, actor=actor
            )
            if row is not None:
                rows.append(row)
    return rows
