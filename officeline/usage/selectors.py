"""Reads of the usage app: call records, the call log and voicemail within their limits
(PRIV-3), and acceptable-use review cases (AUP-2).

PRIV-3: the call log is a convenience with operator limits per market. It is what the
customer's people see of their calls (the portal's ``/calls/``). It keeps no copy of its
own: it is the business's call records (traffic data, PRIV-2) read within two limits that
the operator sets per market (``OperatorMarket.parameters``):

- ``call_log_months``: how long an entry stays in the log, counted in the
  market's local days from the call's start (default 3 months, the register's
  retention of call logs);
- ``call_log_max_entries``: how many of the newest entries the log shows
  (default 1,000).

So a limit applies the moment it is set, to every page that shows the log,
and nothing the operator still needs is destroyed for it: the call records
themselves are traffic data, kept for billing, enquiries and fraud until their
own retention (PRIV-8: uk 12 months, fr 1 year), when ``tick``'s retention run
deletes them. The staff console's list of a customer's calls is that traffic
data (logged, PRIV-10), not the call log, and is not limited. A call log can
never show more than the traffic data still holds. Voicemails have limits of
their own (``voicemail_days``, ``voicemail_max_messages``), which ``tick`` enforces
by deleting them (``services/voicemail.py``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from officeline.accounts.models import Customer, market_parameter
from officeline.markets.deadlines import kept_since
from officeline.usage.choices import (
    CALL_LOG_DEFAULT_MAX_ENTRIES,
    CALL_LOG_DEFAULT_MONTHS,
    OPEN_CASE_STATUSES,
    VOICEMAIL_DEFAULT_DAYS,
    VOICEMAIL_DEFAULT_MAX_MESSAGES,
    Disposition,
)
from officeline.usage.models import CallRecord, UseReviewCase, Voicemail

log = logging.getLogger(__name__)

CALL_LOG_MONTHS_PARAMETER = "call_log_months"
CALL_LOG_MAX_ENTRIES_PARAMETER = "call_log_max_entries"
VOICEMAIL_DAYS_PARAMETER = "voicemail_days"
VOICEMAIL_MAX_MESSAGES_PARAMETER = "voicemail_max_messages"


def customer_calls(customer_id: int) -> QuerySet[CallRecord]:
    """A customer's call records, newest first (the customer-and-start index)."""
    return (
        CallRecord.objects.filter(customer_id=customer_id)
        .select_related("line__number")
        .order_by("-started_at", "-id")
    )


# --- limits (PRIV-3) ----------------------------------------------------------------


def _whole_parameter(market: str, name: str, default: int) -> int:
    """A configured limit: a whole number of at least 1; anything else is logged and ignored."""
    value = market_parameter(market, name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        log.warning("market %s: %s must be a whole number of at least 1", market, name)
        return default
    return value


@dataclass(frozen=True)
class CallLogLimits:
    months: int
    max_entries: int


def call_log_limits(market: str) -> CallLogLimits:
    """PRIV-3: the market's limits on the call log, or the defaults where the operator set none."""
    return CallLogLimits(
        months=_whole_parameter(market, CALL_LOG_MONTHS_PARAMETER, CALL_LOG_DEFAULT_MONTHS),
        max_entries=_whole_parameter(
            market, CALL_LOG_MAX_ENTRIES_PARAMETER, CALL_LOG_DEFAULT_MAX_ENTRIES
        ),
    )


def call_log(customer: Customer, now: dt.datetime) -> QuerySet[CallRecord]:
    """PRIV-3: the customer's call log at ``now``: its newest entries within the market's limits."""
    limit = call_log_limits(customer.market)
    since = kept_since(customer.market, now, limit.months)
    return customer_calls(customer.pk).filter(started_at__gte=since)[: limit.max_entries]


@dataclass(frozen=True)
class VoicemailLimits:
    days: int
    max_messages: int


def voicemail_limits(market: str) -> VoicemailLimits:
    """PRIV-3: the market's limits on voicemail, or the defaults where the operator set none."""
    return VoicemailLimits(
        days=_whole_parameter(market, VOICEMAIL_DAYS_PARAMETER, VOICEMAIL_DEFAULT_DAYS),
        max_messages=_whole_parameter(
            market, VOICEMAIL_MAX_MESSAGES_PARAMETER, VOICEMAIL_DEFAULT_MAX_MESSAGES
        ),
    )


def line_voicemails(customer: Customer, line_id: int | None = None) -> QuerySet[Voicemail]:
    """The customer's messages, newest first, optionally of one of its lines."""
    qs = Voicemail.objects.filter(customer=customer).select_related("line__number")
    if line_id is not None:
        qs = qs.filter(line_id=line_id)
    return qs.order_by("-received_at", "-pk")


# --- acceptable-use reviews (AUP-2) -------------------------------------------------


def cases_under_review() -> QuerySet[UseReviewCase]:
    """The cases still under review, the nearest deadline first (the console's list)."""
    return (
        UseReviewCase.objects.filter(status__in=OPEN_CASE_STATUSES)
        .select_related("customer", "line__number")
        .order_by("respond_by", "pk")
    )


def customer_cases(customer_id: int) -> QuerySet[UseReviewCase]:
    return (
        UseReviewCase.objects.filter(customer_id=customer_id)
        .select_related("line__number")
        .order_by("-opened_at", "-pk")
    )


def sample_rows(case: UseReviewCase) -> list[dict[str, Any]]:
    """The case's sample of calls for a page: times as datetimes, outcomes in words."""
    return [
        {
            **call,
            "started_at": dt.datetime.fromisoformat(call["started_at"]),
            "outcome_label": Disposition(call["outcome"]).label,
        }
        for call in case.sample_calls
    ]
