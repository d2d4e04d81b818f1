"""The clock: one source of now, a movable test clock, and an idempotent tick."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from officeline import clock
from officeline.clock import ticker as tick_module

pytestmark = pytest.mark.django_db


def test_now_is_the_frozen_test_clock(test_clock):
    assert clock.now() == dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)


def test_advance_with_step_ticks_on_the_way(test_clock, monkeypatch):
    seen: list[dt.datetime] = []
    monkeypatch.setattr(tick_module, "_handlers", {"test.seen": lambda now: seen.append(now) or 0})
    test_clock.advance(dt.timedelta(days=3), step=dt.timedelta(days=1))
    assert [s.day for s in seen] == [26, 27, 28]


def test_clock_never_moves_backwards(test_clock):
    with pytest.raises(ValueError, match="forward"):
        test_clock.advance(dt.timedelta(seconds=-1))


def test_test_clock_is_off_in_production(settings):
    settings.TEST_CLOCK_ENABLED = False
    before = dt.datetime.now(dt.UTC)
    assert clock.now() >= before
    with pytest.raises(clock.TestClockDisabled):
        clock.advance(dt.timedelta(days=1))


def test_a_failing_handler_does_not_stop_the_others(test_clock, monkeypatch):
    ran: list[str] = []

    def boom(now):
        raise RuntimeError("broken")

    monkeypatch.setattr(
        tick_module, "_handlers", {"a.boom": boom, "b.fine": lambda now: ran.append("b") or 1}
    )
    with pytest.raises(clock.TickError, match=r"a\.boom"):
        clock.tick()
    assert ran == ["b"]


def test_registering_two_handlers_under_one_name_is_refused(monkeypatch):
    monkeypatch.setattr(tick_module, "_handlers", {})
    clock.register("x.one")(lambda now: 0)
    with pytest.raises(ValueError, match="already registered"):
        clock.register("x.one")(lambda now: 1)


def test_frozen_context_needs_no_database():
    at = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    with clock.frozen(at):
        assert clock.now() == at


SYSTEM_CLOCK = re.compile(
    r"datetime\.now\(|timezone\.now\b|datetime\.utcnow|time\.time\(\)|date\.today\(|auto_now(_add)?\s*=\s*True"
)


def test_nothing_but_the_clock_app_reads_the_system_clock():
    """Every module outside officeline/clock gets now from clock.now()."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root)
        if rel.parts[0] == "clock" or "tests" in rel.parts or "migrations" in rel.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if SYSTEM_CLOCK.search(line) and "# clock-ok" not in line:
                offenders.append(f"{rel}:{number}: {line.strip()}")
    assert offenders == []
