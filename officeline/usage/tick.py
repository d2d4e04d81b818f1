"""Due work of the usage app, run by ``tick`` (every minute in the worker)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from officeline.usage.services import reviews, voicemail
from officeline.usage.services.calls import record_calls


def fold_call_events(now: dt.datetime) -> int:
    """Call records from the SIP core's call events; their times are the SIP side's, not ``now``."""
    return record_calls(spool_dir=settings.SIP_CDR_SPOOL_DIR)


def enforce_limits(now: dt.datetime) -> int:
    """PRIV-3: the voicemails past their market's limits are deleted, except under a legal hold."""
    return voicemail.enforce_limits(now=now)


def review_usage(now: dt.datetime) -> int:
    """AUP-1, AUP-3: each market's complete local days not reviewed yet; the cases opened."""
    return reviews.review_usage(now=now)


def review_deadlines(now: dt.datetime) -> int:
    """AUP-2: the open cases past their deadline, for decision or remedied."""
    return reviews.review_deadlines(now=now)
