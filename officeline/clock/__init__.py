"""The one source of "now", and ``tick``, which runs every piece of due work.

Nothing else in Officeline reads the system clock. ``now()`` is the real time,
or, where the deployment enables the test clock (demo and test, never
production), the time of the test clock that staff move in the console or the
API. ``tick(now)`` runs every registered handler; see ``officeline.clock.ticker``.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from officeline.clock.ticker import TickError, register, tick

__all__ = ["TickError", "advance", "frozen", "now", "register", "set_test_clock", "tick"]

# A process-local override for code that runs without a database (unit tests of pure functions).
_override: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "officeline_clock_override", default=None
)


def _system_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def now() -> dt.datetime:
    """The current instant, aware, in UTC."""
    override = _override.get()
    if override is not None:
        return override
    from django.conf import settings

    if not settings.TEST_CLOCK_ENABLED:
        return _system_now()
    from officeline.clock.models import TestClock

    state = TestClock.objects.filter(pk=1).values_list("frozen_at", "offset").first()
    if state is None:
        return _system_now()
    frozen_at, offset = state
    if frozen_at is not None:
        return frozen_at.astimezone(dt.UTC)
    return _system_now() + offset


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


class TestClockDisabled(RuntimeError):
    def __init__(self) -> None:
        super().__init__("the test clock is disabled in this deployment")


def _require_test_clock() -> None:
    from django.conf import settings

    if not settings.TEST_CLOCK_ENABLED:
        raise TestClockDisabled()


def set_test_clock(at: dt.datetime) -> None:
    """Freeze the test clock at an instant (tests and demo set-up). Runs no tick."""
    _require_test_clock()
    if at.tzinfo is None:
        raise ValueError("the test clock takes an aware time")
    from officeline.clock.models import TestClock

    TestClock.objects.update_or_create(pk=1, defaults={"frozen_at": at, "offset": dt.timedelta()})


def advance(
    delta: dt.timedelta, *, actor: object | None = None, step: dt.timedelta | None = None
) -> dt.datetime:
    """Move the test clock forward by ``delta`` and run ``tick`` at the new time.

    With ``step``, tick also runs at every step on the way, as a worker calling
    it regularly would (so a deadline met by an earlier action is seen in order).
    Returns the new now. Time never moves backwards.
    """
    _require_test_clock()
    if delta < dt.timedelta():
        raise ValueError("the test clock only moves forward")
    from django.db import transaction

    from officeline.clock.models import TestClock
    from officeline.events.services import record_event

    start = now()
    target = start + delta
    moments: list[dt.datetime] = []
    if step is not None and step > dt.timedelta():
        moment = start + step
        while moment < target:
            moments.append(moment)
            moment += step
    moments.append(target)
    with transaction.atomic():
        clock_row, _ = TestClock.objects.select_for_update().get_or_create(pk=1)
        frozen_mode = clock_row.frozen_at is not None
        record_event(
            action="clock.advanced",
            actor=actor,
            at=target,
            subject=clock_row,
            before={"now": start.isoformat()},
            after={"now": target.isoformat()},
        )
    for moment in moments:
        if frozen_mode:
            TestClock.objects.filter(pk=1).update(frozen_at=moment)
        else:
            TestClock.objects.filter(pk=1).update(offset=moment - _system_now())
        tick(moment)
    return target
