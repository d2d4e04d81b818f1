"""PORT-2: compensation for a port completed after its due date."""

from __future__ import annotations

import datetime as dt

from officeline.billing.money import Money, MoneyError


def days_late(*, due: dt.date, completed: dt.date) -> int:
    """Calendar days between the due date and the completion date (0 when in time)."""
    return max(0, (completed - due).days)


def porting_compensation(*, monthly_fee: Money, due: dt.date, completed: dt.date) -> Money:
    """PORT-2: monthly fee x 12 / 365 x calendar days late, rounded to the currency's minor unit."""
    if monthly_fee.minor < 0:
        raise MoneyError("the monthly fee cannot be negative")
    return monthly_fee.times_fraction(12 * days_late(due=due, completed=completed), 365)
