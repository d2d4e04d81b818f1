"""Due work of the usage app, run by ``tick`` (every minute in the worker)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from officeline.usage.services import record_calls


def fold_call_events(now: dt.datetime) -> int:
    """Call records from the SIP core's call events; their times are the SIP side's, not ``now``."""
    return record_calls(spool_dir=settings.SIP_CDR_SPOOL_DIR)
