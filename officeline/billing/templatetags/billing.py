"""Money and invoice lines as people read them, in the language of the page or the PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from officeline.billing.choices import ChargeKind
from officeline.billing.models import InvoiceLine
from officeline.billing.money import Money

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
    if item.period_start and item.period_end:
        text += " · " + _("%(first)s to %(last)s") % {
            "first": _day(item.period_start),
            "last": _day(last_day(item.period_end)),
        }
    if item.days is not None and item.days_in_period:
        text += " · " + _("%(days)s of %(total)s days") % {
            "days": item.days,
            "total": item.days_in_period,
        }
    return text
