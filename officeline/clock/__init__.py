"""The one source of "now", and ``tick``, which runs every piece of due work.

Nothing else in Officeline reads the system clock. ``now()`` is the real time,
or, where the deployment enables the test clock (demo and test, never
production), the time of the test clock that staff move in the console or the
API. ``tick(now)`` runs every registered handler; see ``officeline.clock.ticker``.

Moving the test clock is recorded by whoever registers with ``on_advance`` (the
events app, in its ``ready()``): the clock sits below the events it would record.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.db import transaction

from officeline.clock.source import frozen, now, system_now
from officeline.clock.ticker import TickError, register, tick

if TYPE_CHECKING:
    from django.db import models

    from officeline.actors import Actor

__all__ = [
    "TickError",
    "advance",
    "frozen",
    "now",
    "on_advance",
    "register",
    "set_test_clock",
    "tick",
]


class AdvanceListener(Protocol):
    """Called inside the transaction that moves the test clock from ``start`` to ``target``."""

    def __call__(
        self, *, actor: Actor, subject: models.Model, start: dt.datetime, target: dt.datetime
    ) -> None: ...


_advance_listeners: list[AdvanceListener] = []


def on_advance(listener: AdvanceListener) -> AdvanceListener:
    """Register a listener of test clock moves (in ``AppConfig.ready()``)."""
    if listener not in _advance_listeners:
        _advance_listeners.append(listener)
    return listener


class TestClockDisabled(RuntimeError):
    def __init__(self) -> None:
        super().__init__("the test clock is disabled in this deployment")


def _require_test_clock() -> None:
    if not settings.TEST_CLOCK_ENABLED:
        raise TestClockDisabled()


def set_test_clock(at: dt.datetime) -> None:
    """Freeze the test clock at an instant (tests and demo set-up). Runs no tick."""
    _require_test_clock()
    if at.tzinfo is None:
        raise ValueError("the test clock takes an aware time")
    # The clock package is imported by its AppConfig, before models are loaded.
    from officeline.clock.models import TestClock

    TestClock.objects.update_or_create(pk=1, defaults={"frozen_at": at, "offset": dt.timedelta()})


def advance(
    delta: dt.timedelta, *, actor: Actor = None, step: dt.timedelta | None = None
) -> dt.datetime:
    """Move the test clock forward by ``delta`` and run ``tick`` at the new time.

    With ``step``, tick also runs at every step on the way, as a worker calling
    it regularly would (so a deadline met by an earlier action is seen in order).
    Returns the new now. Time never moves backwards.
    """
    _require_test_clock()
    if delta < dt.timedelta():
        raise ValueError("the test clock only moves forward")
    # The clock package is imported by its AppConfig, before models are loaded.
    from officeline.clock.models import TestClock

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
        for listener in _advance_listeners:
            listener(actor=actor, subject=clock_row, start=start, target=target)
    for moment in moments:
        if frozen_mode:
            TestClock.objects.filter(pk=1).update(frozen_at=moment)
        else:
            TestClock.objects.filter(pk=1).update(offset=moment - system_now())
        tick(moment)
    return target
