"""Due work of the lines app, run by ``tick``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from officeline.events.models import Event
from officeline.events.services import build_event
from officeline.lines.choices import NumberChangeStatus, NumberStatus
from officeline.lines.models import Number, NumberChange
from officeline.lines.services.numbers import make_number_change

BATCH = 500


def release_quarantined_numbers(now: dt.datetime) -> int:
    """LINE-3: a number whose quarantine has passed can be given to a new line again."""
    done = 0
    while True:
        with transaction.atomic():
            batch = list(
                Number.objects.select_for_update(skip_locked=True)
                .filter(status=NumberStatus.QUARANTINED, quarantined_until__lte=now)
                .order_by("quarantined_until", "pk")[:BATCH]
            )
            Number.objects.filter(pk__in=[n.pk for n in batch]).update(
                status=NumberStatus.AVAILABLE, quarantined_until=None
            )
            Event.objects.bulk_create(
                build_event(
                    action="lines.number_released",
                    actor="tick",
                    at=now,
                    subject=number,
                    data={"number": number.e164},
                )
                for number in batch
            )
            done += len(batch)
        if len(batch) < BATCH:
            return done


def make_due_number_changes(now: dt.datetime) -> int:
    """LINE-2: the number changes whose notice period has ended are made."""
    done = 0
    due = NumberChange.objects.filter(
        status=NumberChangeStatus.SCHEDULED, effective_at__lte=now
    ).order_by("effective_at", "pk")
    for change in due[:BATCH]:
        make_number_change(change=change, now=now)
        done += 1
    return done
