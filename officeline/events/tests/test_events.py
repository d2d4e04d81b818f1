from __future__ import annotations

import pytest

from officeline.events.models import Event
from officeline.events.selectors import subject_timeline
from officeline.events.services import record_event

pytestmark = pytest.mark.django_db


def test_record_event_stamps_the_clock_time_and_system_actor(test_clock):
    event = record_event(action="demo.done", data={"x": 1})
    assert event.occurred_at == test_clock.now()
    assert event.actor_label == "system"
    assert list(Event.objects.values_list("action", flat=True)) == ["demo.done"]


def test_subject_timeline_orders_events(test_clock):
    from officeline.clock.models import TestClock

    row = TestClock.objects.get(pk=1)
    record_event(action="a", subject=row)
    record_event(action="b", subject=row, actor="tick")
    assert [e.action for e in subject_timeline("clock.testclock", 1)] == ["a", "b"]
