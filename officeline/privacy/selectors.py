"""Reads of the privacy app."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from officeline.markets.definitions import get_market
from officeline.privacy import register
from officeline.privacy.choices import MarketingChannel
from officeline.privacy.models import MarketingConsent


def register_for_market(market: str, *, show_models: bool = False) -> dict[str, Any]:
    """PRIV-1: the register as one market publishes it (each entry with its retention there)."""
    rows = [
        {
            "entry": item,
            "retention": item.retention_in(market),
            "models": register.models_of(item.key),
        }
        for item in register.entries()
    ]
    return {"market": get_market(market), "rows": rows, "show_models": show_models}


def current_consent(person: Any, channel: str) -> MarketingConsent | None:
    """PRIV-4: the consent in force for a person on a channel (the latest row), if any."""
    return (
        MarketingConsent.objects.filter(person=person, channel=channel)
        .order_by("-at", "-id")
        .first()
    )


def has_marketing_consent(person: Any, channel: str) -> bool:
    """PRIV-4: marketing goes to a person on a channel only while their consent is given."""
    consent = current_consent(person, channel)
    return consent is not None and consent.given


def marketing_preferences(person: Any) -> dict[str, bool]:
    """Each channel and whether the person consents to marketing on it now."""
    return {channel: has_marketing_consent(person, channel) for channel in MarketingChannel.values}


def consent_history(person: Any) -> QuerySet[MarketingConsent]:
    """Every step of a person's marketing consent, the latest first."""
    return MarketingConsent.objects.filter(person=person).order_by("-at", "-id")
