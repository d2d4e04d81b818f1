"""Money and invoice lines as people read them, in the language of the page or the PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from officeline.billing.choices import LATE_PAYMENT_KINDS, ChargeKind
from officeline.billing.models import InvoiceLine
from officeline.billing.money import Money
from officeline.billing.services.invoices import OUTSIDE_VAT_SCOPE
from officeline.usage.choices import DestinationType

register = template.Library()


@register.filter
def money(minor: int, currency: str) -> str:
    """{{ invoice.total_minor|money:invoice.currency }} -> '£30.00' or '30,00 €'."""
    return Money(int(minor), currency).display(get_language() or "en")


@register.filter
def percent_bp(basis_points: int) -> str:
    """2000 -> '20 %' ('20 %' in French too; '5.5 %' / '5,5 %')."""
    value = Decimal(format((Decimal(int(basis_points)) / 100).normalize(), "f"))
    return f"{formats.number_format(value)} %"


def _day(day: dt.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


@register.filter
def last_day(period_end: dt.date) -> dt.date:
    """Periods end on the day after their last day; people read the last day."""
    return period_end - dt.timedelta(days=1)


@register.simple_tag
def charge_description(item: InvoiceLine) -> str:
    """What a charge is, in the current language: kind, line, period, days for a part period."""
    text = str(ChargeKind(item.kind).label)
    if item.phone_number:
        text += " · " + _("line %(number)s") % {"number": item.phone_number}
    if item.destination:
        text += " · " + str(DestinationType(item.destination).label)
    if item.kind in LATE_PAYMENT_KINDS:
        # BILL-8: the description is the number of the invoice paid late.
        text += " · " + _("invoice %(number)s") % {"number": item.description}
    elif item.description:
        text += " · " + item.description
    if item.annual_rate_bp is not None:
        text += " · " + _("%(rate)s a year on %(amount)s") % {
            "rate": percent_bp(item.annual_rate_bp),
            "amount": money(item.unit_minor, item.invoice.currency),
        }
    if item.fee_bp is not None:
        text += " · " + _("%(rate)s of %(amount)s") % {
            "rate": percent_bp(item.fee_bp),
            "amount": money(item.unit_minor, item.invoice.currency),
        }
    if item.period_start and item.period_end == item.period_start + dt.timedelta(days=1):
        text += " · " + _day(item.period_start)
    elif item.period_start and item.period_end:
        text += " · " + _("%(first)s to %(last)s") % {
            "first": _day(item.period_start),
            "last": _day(last_day(item.period_end)),
        }
    if item.days is not None and item.days_in_period:
        text += " · " + _("%(days)s of %(total)s days") % {
            "days": item.days,
            "total": item.days_in_period,
        }
    elif item.days is not None:
        text += " · " + ngettext("%(days)s day", "%(days)s days", item.days) % {"days": item.days}
    return text


@register.simple_tag
def vat_rate(item: InvoiceLine) -> str:
    """The line's VAT rate as printed; a charge outside the scope of VAT says so (BILL-8)."""
    if item.kind in OUTSIDE_VAT_SCOPE:
        return _("Outside the scope of VAT")
    return percent_bp(item.vat_rate_bp)


@register.filter
def call_duration(seconds: int) -> str:
    """A call's duration as people read it: '4:05' (minutes and seconds), '1:02:03' past an hour."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
