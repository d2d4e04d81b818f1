"""PRIV-3: the customer's call log, a convenience with operator limits per market.

The call log is what the customer's people see of their calls (the portal's
``/calls/``). It keeps no copy of its own: it is the business's call records
(traffic data, PRIV-2) read within two limits that the operator sets per
market (``OperatorMarket.parameters``):

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
their own, which ``tick`` enforces by deleting them (``voicemail.py``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db.models import QuerySet

from officeline.accounts.models import Customer, market_parameter
from officeline.markets.deadlines import kept_since
from officeline.usage.choices import CALL_LOG_DEFAULT_MAX_ENTRIES, CALL_LOG_DEFAULT_MONTHS
from officeline.usage.models import CallRecord
from officeline.usage.selectors import customer_calls

log = logging.getLogger(__name__)

DEFAULT_MONTHS = CALL_LOG_DEFAULT_MONTHS
DEFAULT_MAX_ENTRIES = CALL_LOG_DEFAULT_MAX_ENTRIES
MONTHS_PARAMETER = "call_log_months"
MAX_ENTRIES_PARAMETER = "call_log_max_entries"


@dataclass(frozen=True)
class CallLogLimits:
    months: int
    max_entries: int


def whole_parameter(market: str, name: str, default: int) -> int:
    """A configured limit: a whole number of at least 1; anything else is logged and ignored."""
    value = market_parameter(market, name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        log.warning("market %s: %s must be a whole number of at least 1", market, name)
        return default
    return value


def limits(market: str) -> CallLogLimits:
    """PRIV-3: the market's limits on the call log, or the defaults where the operator set none."""
    return CallLogLimits(
        months=whole_parameter(market, MONTHS_PARAMETER, DEFAULT_MONTHS),
        max_entries=whole_parameter(market, MAX_ENTRIES_PARAMETER, DEFAULT_MAX_ENTRIES),
    )


def call_log(customer: Customer, now: dt.datetime) -> QuerySet[CallRecord]:
    """PRIV-3: the customer's call log at ``now``: its newest entries within the market's limits."""
    limit = limits(customer.market)
    since = kept_since(customer.market, now, limit.months)
    return customer_calls(customer.pk).filter(started_at__gte=since)[: limit.max_entries]
