from __future__ import annotations

import datetime

from django.db import models


class TestClock(models.Model):
    """The movable clock of a demo or test deployment (one row, pk=1).

    ``frozen_at`` set: time stands still there until moved. Otherwise time
    runs with the system clock, shifted by ``offset``. Staff move it forward
    only; moving it runs ``tick`` (officeline.clock.advance).
    """

    frozen_at = models.DateTimeField(null=True, blank=True)
    offset = models.DurationField(default=datetime.timedelta)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "test clock"

    def __str__(self) -> str:
        return f"frozen at {self.frozen_at}" if self.frozen_at else f"offset {self.offset}"


class TickRun(models.Model):
    """What one tick did, per handler: when, for which 'now', how many items, errors."""

    started_at = models.DateTimeField()
    now = models.DateTimeField()
    handler = models.CharField(max_length=100)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["handler", "-started_at"])]
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.handler} at {self.now}: {self.done}"
