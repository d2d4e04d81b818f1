"""Test-wide fixtures: the test clock, factories' users, clients."""

from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("OFFICELINE_DEPLOYMENT", "test")
os.environ.setdefault("OFFICELINE_SECRET_KEY", "test-only-not-secret")

import pytest


@pytest.fixture
def test_clock(db):
    """The test clock, frozen at 2026-11-25 10:00 UTC (a Wednesday); move it with .advance()."""
    from officeline import clock

    class TestClockHandle:
        def set(self, at: dt.datetime) -> dt.datetime:
            clock.set_test_clock(at)
            return at

        def advance(self, delta: dt.timedelta, **kwargs) -> dt.datetime:
            return clock.advance(delta, **kwargs)

        def now(self) -> dt.datetime:
            return clock.now()

    handle = TestClockHandle()
    handle.set(dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC))
    return handle
