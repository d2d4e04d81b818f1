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

A spend limit per line and per customer and calendar month (market parameters too): the
worker's tick values the month's calls as billing rates them (``billing.spend``) and marks
the lines that reached it; the SIP core then refuses their external calls ("Spend limit
reached") until the month ends, when the tick clears the mark.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from officeline.accounts.models import market_parameter
from officeline.actors import Actor
from officeline.events.services import record_event
from officeline.lines.choices import LineStatus
from officeline.lines.errors import LineError
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
        "Spend limit reached",
    }
)


# Market parameters: what a line, and a customer, may spend on calls in a calendar month
# (the market's time), in the currency's minor units; 0 is no limit.
LINE_SPEND_PARAMETER = "line_monthly_spend_limit_minor"
CUSTOMER_SPEND_PARAMETER = "customer_monthly_spend_limit_minor"
DEFAULT_LINE_SPEND_MINOR = 10_000  # 100.00 GBP or EUR
DEFAULT_CUSTOMER_SPEND_MINOR = 100_000  # 1,000.00


def spend_limits(market: str) -> tuple[int, int]:
    """(a line's, a customer's) monthly spend limit in minor units for a market; 0 is none."""
    return (
        int(market_parameter(market, LINE_SPEND_PARAMETER, DEFAULT_LINE_SPEND_MINOR)),
        int(market_parameter(market, CUSTOMER_SPEND_PARAMETER, DEFAULT_CUSTOMER_SPEND_MINOR)),
    )


def mark_spend_limit_reached(
    *, line: Line, spent_minor: int, limit_minor: int, whose: str, now: dt.datetime
) -> bool:
    """The line (``whose`` "line") or its customer ("customer") has spent its limit this
    month: the SIP core refuses the line's external calls until the month ends. False when
    the line was marked already."""
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        if locked.spend_limit_reached_at is not None:
            return False
        locked.spend_limit_reached_at = now
        locked.save(update_fields=["spend_limit_reached_at"])
        record_event(
            action="lines.spend_limit_reached",
            actor="tick",
            customer=locked.customer,
            subject=locked,
            at=now,
            data={
                "number": locked.number.e164,
                "whose": whose,
                "spent_minor": spent_minor,
                "limit_minor": limit_minor,
            },
            customer_visible=True,
        )
    return True


def clear_spend_limit(*, line: Line, now: dt.datetime) -> None:
    """A new month: the line's external calls are allowed again."""
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        if locked.spend_limit_reached_at is None:
            return
        locked.spend_limit_reached_at = None
        locked.save(update_fields=["spend_limit_reached_at"])
        record_event(
            action="lines.spend_limit_cleared",
            actor="tick",
            customer=locked.customer,
            subject=locked,
            at=now,
            data={"number": locked.number.e164},
            customer_visible=True,
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
    actor: Actor,
) -> Line:
    """The Office Manager opts a line in to premium-rate or international calls, or bars
    them again; ``None`` leaves a class as it is. One event when anything changed."""
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update().select_related("number", "customer").get(pk=line.pk)
        )
        if locked.status == LineStatus.TERMINATED:
            raise LineError(_("This line has ended."), code="line_ended", field="status")
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
