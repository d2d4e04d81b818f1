"""``officeline tick``: run every piece of due work once, now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from officeline import clock


class Command(BaseCommand):
    help = "Run all due work (deadlines, invoices, retention...) once at the current time."

    def handle(self, *args: Any, **options: Any) -> None:
        now = clock.now()
        try:
            done = clock.tick(now)
        except clock.TickError as exc:
            raise CommandError(str(exc)) from None
        total = sum(done.values())
        self.stdout.write(f"tick at {now.isoformat()}: {total} item(s) done")
        for name, count in done.items():
            if count:
                self.stdout.write(f"  {name}: {count}")
