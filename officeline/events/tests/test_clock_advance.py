"""Moving the test clock is recorded as an event (the events app listens to the clock)."""

from __future__ import annotations

import datetime as dt

import pytest

from officeline import clock
from officeline.clock import ticker as tick_module
from officeline.events.models import Event

pytestmark = pytest.mark.django_db


def test_advance_moves_forward_records_event_and_runs_tick(test_clock, monkeypatch):
    seen: list[dt.datetime] = []
    monkeypatch.setattr(tick_module, "_handlers", {"test.seen": lambda now: seen.append(now) or 1})
    new_now = test_clock.advance(dt.timedelta(days=2))
    assert new_now == dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
    assert clock.now() == new_now
    assert seen == [new_now]
    event = Event.objects.get(action="clock.advanced")
    assert event.after == {"now": new_now.isoformat()}
