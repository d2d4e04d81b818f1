"""``officeline terminate-customer``: the operator ends a customer's service (LIFE-2, AUP-4)."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from officeline.billing.models import Termination
from officeline.billing.tests.factories import invoice_with_two_lines

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def terminate(**options) -> str:
    out = io.StringIO()
    call_command("terminate_customer", stdout=out, **options)
    return out.getvalue().strip()


def test_life2_terminate_customer_for_convenience_prints_the_end_15_days_on(test_clock):
    customer = invoice_with_two_lines(test_clock).customer
    printed = terminate(customer=str(customer.pk), ground="convenience", note="Building closes")
    assert (
        printed
        == f"customer {customer.pk} ({customer.legal_name}): ends on 2026-02-09 (convenience)"
    )
    termination = Termination.objects.get()
    assert (termination.kind, termination.note) == ("convenience", "Building closes")
    assert termination.effective_at.astimezone(LONDON).date() == dt.date(2026, 2, 9)
    with pytest.raises(CommandError, match="already ending"):
        terminate(customer=customer.email, ground="breach")


def test_aup4_terminate_customer_for_abnormal_use_with_its_periods(test_clock):
    customer = invoice_with_two_lines(test_clock).customer
    printed = terminate(
        customer=customer.email.upper(),
        ground="abnormal_use",
        period=["2026-01-20:2026-01-22", "2026-01-24"],
    )
    assert printed.endswith("ends on 2026-01-25 (abnormal_use)")
    periods = Termination.objects.get().abnormal_periods.order_by("starts_at")
    assert [p.starts_at.astimezone(LONDON).date() for p in periods] == [
        dt.date(2026, 1, 20),
        dt.date(2026, 1, 24),
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"customer": "99999", "ground": "breach"}, "--customer: there is no customer '99999'"),
        ({"customer": "nobody@x.test", "ground": "breach"}, "there is no customer"),
        ({"ground": "customer"}, "--ground: choose one of convenience, "),
        ({"ground": "whim"}, "--ground: choose one of"),
        ({"ground": "abnormal_use"}, "--period: Give the periods of abnormal use"),
        ({"ground": "breach", "period": ["2026-01-20"]}, "--period: Periods of abnormal use go"),
        ({"ground": "abnormal_use", "period": ["20/01/2026"]}, "YYYY-MM-DD:YYYY-MM-DD"),
        ({"ground": "abnormal_use", "period": ["2026-01-22:2026-01-20"]}, "cannot end before"),
        ({"ground": "abnormal_use", "period": ["2026-01-20:2026-03-01"]}, "cannot end after today"),
    ],
)
def test_bad_terminate_customer_input_names_the_problem_and_changes_nothing(
    test_clock, options, message
):
    customer = invoice_with_two_lines(test_clock).customer
    with pytest.raises(CommandError, match=message):
        terminate(**{"customer": str(customer.pk), **options})
    assert not Termination.objects.exists()
    customer.refresh_from_db()
    assert customer.status == "active"
