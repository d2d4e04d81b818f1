"""Writing events. Every domain action calls ``record_event`` inside its transaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import models

from officeline import clock
from officeline.events.models import Event

if TYPE_CHECKING:
    from officeline.actors import Actor

SYSTEM = "system"


def subject_key(obj: models.Model) -> tuple[str, str]:
    """("app_label.model", "pk") for a model instance."""
    return obj._meta.label_lower, str(obj.pk)


def _actor_fields(actor: Actor | str) -> tuple[Any, str]:
    if actor is None:
        return None, SYSTEM
    if isinstance(actor, str):
        return None, actor
    label = getattr(actor, "email", "") or str(actor)
    return (actor if getattr(actor, "pk", None) else None), label


def build_event(
    *,
    action: str,
    actor: Actor | str = None,
    customer: Any = None,
    subject: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
    customer_visible: bool = False,
) -> Event:
    """An unsaved event, for ``Event.objects.bulk_create`` when one step records many."""
    user, label = _actor_fields(actor)
    subject_type, subject_id = subject_key(subject) if subject is not None else ("", "")
    return Event(
        occurred_at=at or clock.now(),
        actor=user,
        actor_label=label,
        action=action,
        customer=customer,
        subject_type=subject_type,
        subject_id=subject_id,
        before=before,
        after=after,
        data=data or {},
        customer_visible=customer_visible,
    )


def record_event(
    *,
    action: str,
    actor: Actor | str = None,
    customer: Any = None,
    subject: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
    customer_visible: bool = False,
) -> Event:
    """Record one domain action. ``actor`` is a user, a label ("tick"), or None (system)."""
    event = build_event(
        action=action,
        actor=actor,
        customer=customer,
        subject=subject,
        before=before,
        after=after,
        data=data,
        at=at,
        customer_visible=customer_visible,
    )
    event.save()
    return event


def record_clock_advance(
    *, actor: Actor, subject: models.Model, start: dt.datetime, target: dt.datetime
) -> None:
    """A move of the test clock, as an event (registered with ``clock.on_advance``)."""
    record_event(
        action="clock.advanced",
        actor=actor,
        at=target,
        subject=subject,
        before={"now": start.isoformat()},
        after={"now": target.isoformat()},
    )
