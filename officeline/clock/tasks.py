"""The worker's schedule: tick every minute."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from officeline import clock


@db_periodic_task(crontab(minute="*"))
def tick_every_minute() -> None:
    clock.tick()
