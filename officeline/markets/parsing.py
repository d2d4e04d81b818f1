"""Reading a deadline question from text: shared by the ``deadline`` command and the API."""

from __future__ import annotations

import datetime as dt

from officeline.markets.deadlines import DeadlineError


def parse_start(value: str, *, field: str) -> dt.datetime:
    """An ISO 8601 date and time with its offset; a clear error naming ``field`` otherwise."""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise DeadlineError(
            f"{field} {value!r} is not an ISO 8601 date and time (e.g. 2026-12-24T16:30:00+00:00)"
        ) from None
    if moment.tzinfo is None:
        raise DeadlineError(f"{field} {value!r} has no UTC offset (add e.g. +00:00)")
    return moment


def parse_count(value: object, *, field: str) -> int:
    """A whole, non-negative number of units."""
    if isinstance(value, bool):
        raise DeadlineError(f"{field} {value!r} is not a whole number")
    try:
        count = int(str(value).strip())
    except ValueError:
        raise DeadlineError(f"{field} {value!r} is not a whole number") from None
    if count < 0:
        raise DeadlineError(f"{field} {value!r} cannot be negative")
    if count > 100_000:
        raise DeadlineError(f"{field} {value!r} is too large")
    return count
