"""Call events Kamailio could not write to the database, replayed from its spool.

The routing (``routing/kemi.py``) appends one JSON line per event to ``events-<pid>.jsonl``
when its INSERT fails. A replay first renames each file to ``.taken`` (a writer that
opened it just before keeps appending to the same file), inserts every line, ignoring
events already there (``event_id`` is unique), and deletes a ``.taken`` file only on
the next replay, after reading it a second time: nothing appended late is lost.
"""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path

from officeline.telephony.models import CallEvent

log = logging.getLogger(__name__)
FIELDS = {f.name for f in CallEvent._meta.concrete_fields} - {"id"}


def _events(path: Path) -> list[CallEvent]:
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            found.append(CallEvent(**{k: v for k, v in data.items() if k in FIELDS}))
        except (ValueError, TypeError) as exc:
            # A line cut short by a crash mid-write; the rest of the file still counts.
            log.warning("call event spool %s:%s unreadable: %s", path, number, exc)
    return found


def replay_spool(*, directory: Path) -> int:
    """Insert the spooled call events into the database; return how many lines were read."""
    if not directory.is_dir():
        return 0
    read = 0
    previously_taken = sorted(directory.glob("*.taken"))
    for path in sorted(directory.glob("*.jsonl")):
        taken = path.with_name(f"{path.stem}-{uuid.uuid4().hex[:8]}.taken")
        try:
            path.rename(taken)
        except FileNotFoundError:  # another worker took it
            continue
        events = _events(taken)
        CallEvent.objects.bulk_create(events, ignore_conflicts=True)
        read += len(events)
    for taken in previously_taken:
        try:
            events = _events(taken)
        except FileNotFoundError:
            continue
        CallEvent.objects.bulk_create(events, ignore_conflicts=True)
        taken.unlink(missing_ok=True)
    return read
