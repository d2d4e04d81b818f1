"""``tick(now)``: run every registered piece of due work.

Apps register handlers in their ``AppConfig.ready``::

    from officeline import clock

    @clock.register("support.acknowledge_breaches")
    def mark_missed_acknowledgements(now: datetime) -> int: ...

A handler selects only what is due (an indexed ``due_at <= now`` query on rows
not yet done), acts, records an event, and returns how many items it handled.
It must be idempotent: running it twice, late, or concurrently in two workers
does nothing twice. The usual way is to take the due rows with
``select_for_update(skip_locked=True)`` inside ``transaction.atomic()`` and to
mark each one done in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Callable

from officeline.clock.source import now as clock_now
from officeline.clock.source import system_now

log = logging.getLogger(__name__)

Handler = Callable[[dt.datetime], int | None]
_handlers: dict[str, Handler] = {}


class TickError(RuntimeError):
    """One or more handlers failed; the others still ran."""

    def __init__(self, failures: dict[str, BaseException]) -> None:
        names = ", ".join(sorted(failures))
        super().__init__(f"tick handlers failed: {names}")
        self.failures = failures


def register(name: str) -> Callable[[Handler], Handler]:
    """Register a due-work handler under a stable name (``app.what``)."""

    def decorator(func: Handler) -> Handler:
        existing = _handlers.get(name)
        # A module imported twice registers the same function again: that is harmless.
        same_function = existing is not None and (
            f"{existing.__module__}.{existing.__qualname__}"
            == f"{func.__module__}.{func.__qualname__}"
            and "<lambda>" not in func.__qualname__
        )
        if existing is not None and existing is not func and not same_function:
            raise ValueError(f"tick handler {name!r} is already registered")
        _handlers[name] = func
        return func

    return decorator


def handlers() -> dict[str, Handler]:
    return dict(sorted(_handlers.items()))


def tick(now: dt.datetime | None = None, *, only: set[str] | None = None) -> dict[str, int]:
    """Run every handler (or those named in ``only``) for ``now``; return what each did."""
    # The clock package is imported by its AppConfig, before models are loaded.
    from officeline.clock.models import TickRun

    now = now or clock_now()
    done: dict[str, int] = {}
    failures: dict[str, BaseException] = {}
    for name, handler in handlers().items():
        if only is not None and name not in only:
            continue
        started = system_now()
        try:
            done[name] = int(handler(now) or 0)
        except Exception as exc:
            log.exception("tick handler %s failed", name)
            failures[name] = exc
            TickRun.objects.create(
                started_at=started, now=now, handler=name, error=traceback.format_exc()[-4000:]
            )
            continue
        if done[name]:
            TickRun.objects.create(started_at=started, now=now, handler=name, done=done[name])
    if failures:
        raise TickError(failures)
    return done
