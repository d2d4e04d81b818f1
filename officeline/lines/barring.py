"""Call barring and call limits: what a line may call, against toll fraud.

Premium-rate and international numbers (satellite and international networks count as
international) are barred on every line by default; which numbers those are is decided in
``markets.numbering``. The Office Manager opts a line in, for either or both; each change
is an event on the customer's timeline. Emergency numbers are never barred nor limited
(EMG-3), and a call to one of our own lines is never barred.

The SIP core applies the barring from the line's row in the routing view (no extra read
per call) and limits the external calls in progress per line and per customer, counted in
Kamailio's memory (dialog profiles). The limits are market parameters, rendered into the
SIP core's environment when it starts (``call_limits``): a change takes effect when
Kamailio is restarted.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from officeline.accounts.models import market_parameter
from officeline.events.services import record_event
from officeline.lines.choices import LineStatus
from officeline.lines.models import Line
from officeline.markets.choices import MarketCode

# Market parameters: external calls in progress at once, per line and per customer.
LINE_CALLS_PARAMETER = "line_concurrent_calls"
CUSTOMER_CALLS_PARAMETER = "customer_concurrent_calls"
DEFAULT_LINE_CALLS = 4
DEFAULT_CUSTOMER_CALLS = 20
BARRING_FIELDS = ("premium_calls_allowed", "international_calls_allowed")
# The reason phrases of the SIP core's refusals for barring and limits (kemi.py; a contract
# test checks they are the same): what the acceptable-use review counts as barred attempts.
REFUSAL_REASONS = frozenset(
    {
        "Premium-rate numbers are barred on this line",
        "International calls are barred on this line",
        "Satellite numbers are barred on this line",
        "Too many calls in progress on this line",
        "Too many calls in progress for this account",
    }
)


def call_limits(market: str) -> tuple[int, int]:
    """(external calls in progress per line, per customer) for a market; 0 is no limit."""
    return (
        int(market_parameter(market, LINE_CALLS_PARAMETER, DEFAULT_LINE_CALLS)),
        int(market_parameter(market, CUSTOMER_CALLS_PARAMETER, DEFAULT_CUSTOMER_CALLS)),
    )


def call_limits_text() -> str:
    """The limits of every market as the SIP core reads them: "uk=4/20,fr=4/20"."""
    return ",".join(
        "{}={}/{}".format(market.value, *call_limits(market.value)) for market in MarketCode
    )


def set_call_barring(
    *,
    line: Line,
    premium_allowed: bool | None = None,
    international_allowed: bool | None = None,
    actor: Any,
) -> Line:
    """The Office Manager opts a line in to premium-rate or international calls, or bars
    them again; ``None`` leaves a class as it is. One event when anything changed."""
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        if locked.status == LineStatus.TERMINATED:
            raise ValidationError({"status": [_("This line has ended.")]})
        before = {name: getattr(locked, name) for name in BARRING_FIELDS}
        wanted = dict(zip(BARRING_FIELDS, (premium_allowed, international_allowed), strict=True))
        for name, value in wanted.items():
            if value is not None:
                setattr(locked, name, bool(value))
        after = {name: getattr(locked, name) for name in BARRING_FIELDS}
        if after != before:
            locked.save(update_fields=list(BARRING_FIELDS))
            record_event(
                action="lines.call_barring_changed",
                actor=actor,
                customer=locked.customer,
                subject=locked,
                data={"number": locked.number.e164},
                before=before,
                after=after,
                customer_visible=True,
            )
    return locked
