"""What billing does on each tick of the clock (registered in ``apps.py``, in this order)."""

from __future__ import annotations

import datetime as dt

from officeline.billing.services import refunds, run, spend, termination, third_party
from officeline.billing.services.collection import collect_due


def import_carrier_charges(now: dt.datetime) -> int:
    """BILL-10: record what the carrier reports, before the run bills it."""
    return third_party.import_carrier_charges(now=now)


def invoices_due(now: dt.datetime) -> int:
    """Issue what is due, then collect what is due (new invoices at once)."""
    return run.invoice_run(now=now) + collect_due(now=now)


def terminations_due(now: dt.datetime) -> int:
    """End the lines of every termination whose moment has come."""
    return termination.complete_due_terminations(now=now)


def bill_after_final_invoice(now: dt.datetime) -> int:
    """Bill what came in after an account's final invoice."""
    return termination.bill_after_final_invoices(now=now)


def refunds_due(now: dt.datetime) -> int:
    """Ask again for the refunds the provider could not be asked for."""
    return refunds.retry_due_refunds(now=now)


def spend_limits_due(now: dt.datetime) -> int:
    """Toll fraud: mark the lines whose month reached a spend limit."""
    return spend.mark_spend_limits(now=now)
