"""The source of "now": the system clock, or the test clock where the deployment enables it."""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

# A process-local override for code that runs without a database (unit tests of pure functions).
_override: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "officeline_clock_override", default=None
)


def system_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def now() -> dt.datetime:
    """The current instant, aware, in UTC."""
    override = _override.get()
    if override is not None:
        return override
    if not settings.TEST_CLOCK_ENABLED:
        return system_now()
    # The clock package is imported by its AppConfig, before models are loaded.
    from officeline.clock.models import TestClock

    state = TestClock.objects.filter(pk=1).values_list("frozen_at", "offset").first()
    if state is None:
        return system_now()
    frozen_at, offset = state
    if frozen_at is not None:
        return frozen_at.astimezone(dt.UTC)
    return system_now() + offset


@contextmanager
def frozen(at: dt.datetime) -> Iterator[None]:
    """Within the block, ``now()`` is ``at`` in this context only (no database needed)."""
    if at.tzinfo is None:
        raise ValueError("the frozen time must be aware")
    token = _override.set(at.astimezone(dt.UTC))
    try:
        yield
    finally:
        _override.reset(token)
