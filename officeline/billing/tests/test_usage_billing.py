"""Calls on invoices (BILL-11): the commercial per-minute plan, rated per started minute.

Accounts are walked with the test clock; every amount is checked to the cent,
and the VAT of each invoice is the sum of its lines' VAT.
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from officeline.accounts.models import Notice
from officeline.accounts.tests.factories import CustomerFactory
from officeline.billing.choices import ChargeKind, Plan
from officeline.billing.models import BilledCall, Invoice, LinePlan
from officeline.billing.services import documents
from officeline.billing.services.plans import change_line_plan, plan_in_force
from officeline.billing.services.rating import billable_minutes
from officeline.billing.services.run import invoice_run
from officeline.billing.tests.factories import assert_vat_adds_up, call, give_card, go_to, new_line
from officeline.usage.models import CallRecord

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def test_bill11_started_minutes():
    assert [billable_minutes(s) for s in (1, 59, 60, 61, 119, 120, 121, 3600)] == [
        1, 1, 1, 2, 2, 2, 3, 60,
    ]  # fmt: skip


def test_bill11_commercial_calls_of_the_past_period_on_the_next_invoice(
    test_clock, commercial_line
):
    """The 25 February invoice: February's fee in advance and January's calls per started minute."""
    line = commercial_line
    day = dt.datetime(2026, 1, 27, 9, 0, tzinfo=LONDON)
    call(line, dt.datetime(2026, 1, 25, 15, 0, tzinfo=LONDON), 600)  # standard plan then: free
    call(line, day, 61)  # 2 min x 3p
    call(line, day + dt.timedelta(hours=1), 600, "mobile")  # 10 min x 8p
    call(line, day + dt.timedelta(hours=2), 59, "international")  # 1 min x 25p
    call(line, day + dt.timedelta(hours=3), 60)  # 1 min x 3p
    call(line, day + dt.timedelta(hours=4), 300, "emergency")  # never charged
    call(line, day + dt.timedelta(hours=5), 300, "internal")  # never charged
    call(line, day + dt.timedelta(hours=6), 300, direction="inbound")  # the caller pays
    call(line, day + dt.timedelta(hours=7), 0, disposition="no_answer", answered_at=None)
    # Still going when the invoice is issued: on the next one.
    running = call(line, dt.datetime(2026, 2, 24, 23, 58, tzinfo=LONDON), None, "mobile")
    go_to(test_clock, dt.datetime(2026, 2, 25, 0, 10, tzinfo=LONDON))

    invoice = Invoice.objects.get(period_start=dt.date(2026, 2, 25))
    lines = list(invoice.lines.order_by("position"))
    assert [(ln.kind, ln.destination, ln.quantity, ln.unit_minor, ln.net_minor, ln.vat_minor)
            for ln in lines] == [
        (ChargeKind.MONTHLY_FEE, "", 1, 2500, 2500, 500),
        (ChargeKind.USAGE, "national", 3, 3, 9, 2),  # 1.8p of VAT rounds to 2p
        (ChargeKind.USAGE, "mobile", 10, 8, 80, 16),
        (ChargeKind.USAGE, "international", 1, 25, 25, 5),
    ]  # fmt: skip
    assert (invoice.net_minor, invoice.vat_minor, invoice.total_minor) == (2614, 523, 3137)
    assert_vat_adds_up(invoice)
    assert invoice.status == "paid"
    usage = lines[1]
    assert (usage.phone_number, usage.period_start, usage.period_end) == (
        line.number.e164,
        dt.date(2026, 1, 25),
        dt.date(2026, 2, 25),
    )
    assert [(c.duration_seconds, c.minutes, c.amount_minor) for c in usage.calls.all()] == [
        (61, 2, 6),
        (60, 1, 3),
    ]

    # The call that was still going ends, and is billed once, on the March invoice.
    CallRecord.objects.filter(pk=running.pk).update(
        ended_at=running.started_at + dt.timedelta(minutes=3, seconds=5),
        duration_seconds=180,
        disposition="answered",
    )
    assert invoice_run(now=test_clock.now()) == 0  # a repeated run issues nothing
    go_to(test_clock, dt.datetime(2026, 3, 25, 0, 10, tzinfo=LONDON))
    march = Invoice.objects.get(period_start=dt.date(2026, 3, 25))
    assert [(ln.kind, ln.quantity, ln.net_minor, ln.vat_minor) for ln in march.lines.all()] == [
        (ChargeKind.MONTHLY_FEE, 1, 2500, 500),
        (ChargeKind.USAGE, 3, 24, 5),
    ]
    assert march.total_minor == 3029
    assert_vat_adds_up(march)
    assert BilledCall.objects.count() == 5
    assert BilledCall.objects.filter(call=running).count() == 1


def test_bill11_standard_plan_calls_are_included_in_the_monthly_fee(test_clock):
    test_clock.set(dt.datetime(2026, 1, 18, 10, 0, tzinfo=LONDON))
    customer = CustomerFactory(market="uk")
    give_card(customer)
    line = new_line(customer)
    go_to(test_clock, dt.datetime(2026, 1, 26, 10, 0, tzinfo=LONDON))
    call(line, dt.datetime(2026, 1, 27, 9, 0, tzinfo=LONDON), 4000, "international")
    go_to(test_clock, dt.datetime(2026, 2, 25, 0, 10, tzinfo=LONDON))
    invoice = Invoice.objects.get(period_start=dt.date(2026, 2, 25))
    assert [ln.kind for ln in invoice.lines.all()] == [ChargeKind.MONTHLY_FEE]
    assert invoice.total_minor == 3000
    assert not BilledCall.objects.exists()


def test_bill11_plan_history_rates_each_call_by_the_plan_when_it_started(
    test_clock, commercial_line
):
    line = commercial_line
    call(line, dt.datetime(2026, 1, 28, 9, 0, tzinfo=LONDON), 120)  # commercial: 2 min
    go_to(test_clock, dt.datetime(2026, 2, 1, 12, 0, tzinfo=LONDON))
    change_line_plan(line=line, plan=Plan.STANDARD, actor=None, reason="Use back to normal")
    call(line, dt.datetime(2026, 2, 2, 9, 0, tzinfo=LONDON), 600)  # standard again: free
    assert plan_in_force(line, dt.datetime(2026, 1, 30, tzinfo=LONDON)) == Plan.COMMERCIAL
    assert plan_in_force(line, dt.datetime(2026, 2, 2, tzinfo=LONDON)) == Plan.STANDARD
    assert plan_in_force(line, dt.datetime(2026, 1, 26, 9, 59, tzinfo=LONDON)) == Plan.STANDARD
    assert list(LinePlan.objects.values_list("plan", flat=True)) == ["commercial", "standard"]
    go_to(test_clock, dt.datetime(2026, 2, 25, 0, 10, tzinfo=LONDON))
    invoice = Invoice.objects.get(period_start=dt.date(2026, 2, 25))
    assert [(ln.kind, ln.quantity, ln.net_minor) for ln in invoice.lines.all()] == [
        (ChargeKind.MONTHLY_FEE, 1, 2500),
        (ChargeKind.USAGE, 2, 6),
    ]
    assert (invoice.vat_minor, invoice.total_minor) == (501, 3007)
    # Each change was told to the customer in writing.
    subjects = list(Notice.objects.filter(customer=line.customer).values_list("subject", flat=True))
    assert any("commercial per-minute plan" in s for s in subjects)
    assert any("standard monthly plan" in s for s in subjects)


def test_bill11_plan_changes_are_checked(test_clock, commercial_line):
    line = commercial_line
    with pytest.raises(ValidationError, match="already on that plan"):
        change_line_plan(line=line, plan=Plan.COMMERCIAL, actor=None, reason="again")
    with pytest.raises(ValidationError, match="in the past"):
        change_line_plan(
            line=line,
            plan=Plan.STANDARD,
            actor=None,
            reason="back",
            effective_at=test_clock.now() - dt.timedelta(minutes=1),
        )
    with pytest.raises(CommandError, match="--plan: Choose one of"):
        call_command("line_plan", line=line.number.e164, plan="gold", reason="x")
    with pytest.raises(CommandError, match="--from: '1 March' is not a date"):
        call_command("line_plan", line=line.number.e164, plan="standard", reason="x", **{
            "effective_at": "1 March"
        })  # fmt: skip
    with pytest.raises(CommandError, match="--line: no live line"):
        call_command("line_plan", line="+442079460000", plan="standard", reason="x")
    assert LinePlan.objects.count() == 1
    out = io.StringIO()
    call_command(
        "line_plan", line=line.number.e164, plan="standard", reason="Back to normal", stdout=out
    )
    assert out.getvalue().startswith(f"{line.number.e164} standard from 2026-01-26T10:00:00")


def test_bill11_statement_lists_the_calls(test_clock, commercial_line):
    line = commercial_line
    call(line, dt.datetime(2026, 1, 27, 9, 0, tzinfo=LONDON), 61, "mobile")
    go_to(test_clock, dt.datetime(2026, 2, 25, 0, 10, tzinfo=LONDON))
    invoice = Invoice.objects.get(period_start=dt.date(2026, 2, 25))
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(documents.statement_pdf(invoice))).pages
    )
    assert "+447700900123" in text and "1:01" in text
    assert "Per started minute at £0.08" in text
