"""Ending the service for abnormal or prohibited use (AUP-4): the abnormal periods' calls are
billed at the commercial rates on a final invoice; and no service credits for outages (BILL-9)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import formats, translation

from officeline.accounts.models import Notice
from officeline.accounts.tests.factories import CustomerFactory
from officeline.billing.carriers import SandboxCarrierFeed
from officeline.billing.choices import ChargeKind, Plan, TerminationKind
from officeline.billing.models import BilledCall, Invoice, Termination
from officeline.billing.services.credit_notes import issue_credit_note
from officeline.billing.services.plans import change_line_plan
from officeline.billing.services.termination import terminate_by_operator
from officeline.billing.tests.factories import assert_vat_adds_up, call, give_card, go_to, new_line
from officeline.lines.choices import LineStatus

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def uk_line(test_clock):
    """A uk line on the standard plan, billed from 25 January."""
    test_clock.set(dt.datetime(2026, 1, 18, 10, 0, tzinfo=LONDON))
    customer = CustomerFactory(market="uk")
    give_card(customer)
    line = new_line(customer)
    go_to(test_clock, dt.datetime(2026, 1, 26, 10, 0, tzinfo=LONDON))
    return line


def test_aup4_abnormal_periods_billed_at_commercial_rates_on_a_final_invoice(test_clock, uk_line):
    line = uk_line
    # 1-7 February: abnormal use on the standard plan (calls included, so far free).
    for day in range(1, 8):
        call(line, dt.datetime(2026, 2, day, 9, 0, tzinfo=LONDON), 3599)  # 60 min x 3p each
        call(line, dt.datetime(2026, 2, day, 11, 0, tzinfo=LONDON), 61, "mobile")  # 2 min x 8p
    call(line, dt.datetime(2026, 2, 7, 23, 59, tzinfo=LONDON), 30, "emergency")  # never charged
    call(line, dt.datetime(2026, 2, 8, 0, 0, tzinfo=LONDON), 600)  # the day after: included
    call(line, dt.datetime(2026, 1, 31, 23, 59, tzinfo=LONDON), 600)  # the day before: included
    go_to(test_clock, dt.datetime(2026, 2, 25, 0, 10, tzinfo=LONDON))
    february = Invoice.objects.get(period_start=dt.date(2026, 2, 25))
    assert [ln.kind for ln in february.lines.all()] == [ChargeKind.MONTHLY_FEE]
    # The line was then moved to the commercial plan (AUP-2) and made a billed call ...
    change_line_plan(line=line, plan=Plan.COMMERCIAL, actor=None, reason="Review 7 unanswered")
    call(line, dt.datetime(2026, 2, 26, 9, 0, tzinfo=LONDON), 120, "international")  # 2 x 25p
    # ... and a third-party charge came in.
    SandboxCarrierFeed().report(
        reference="OP-9", phone_number=line.number.e164, service="118 118", amount_minor=250,
        currency="GBP", occurred_at=dt.datetime(2026, 2, 27, 12, 0, tzinfo=LONDON),
    )  # fmt: skip
    go_to(test_clock, dt.datetime(2026, 3, 2, 10, 0, tzinfo=LONDON))

    termination = terminate_by_operator(
        customer=line.customer,
        kind=TerminationKind.ABNORMAL_USE,
        actor=None,
        note="Auto-dialling found in review 7",
        abnormal_periods=[(dt.date(2026, 2, 1), dt.date(2026, 2, 7))],
    )
    assert termination is not None and termination.effective_at == test_clock.now()
    go_to(test_clock, dt.datetime(2026, 3, 2, 10, 1, tzinfo=LONDON))
    line.refresh_from_db()
    assert line.status == LineStatus.TERMINATED

    final = Invoice.objects.get(run_key=f"final:{termination.pk}")
    assert (final.period_start, final.period_end) == (dt.date(2026, 2, 25), dt.date(2026, 3, 3))
    assert [(ln.kind, ln.destination, ln.quantity, ln.unit_minor, ln.net_minor, ln.vat_minor)
            for ln in final.lines.order_by("position")] == [
        (ChargeKind.USAGE, "international", 2, 25, 50, 10),
        (ChargeKind.ABNORMAL_USAGE, "national", 420, 3, 1260, 252),
        (ChargeKind.ABNORMAL_USAGE, "mobile", 14, 8, 112, 22),  # 22.4
        (ChargeKind.THIRD_PARTY, "", 1, 250, 250, 50),
        (ChargeKind.THIRD_PARTY_FEE, "", 1, 250, 25, 5),
    ]  # fmt: skip
    assert (final.net_minor, final.vat_minor, final.total_minor) == (1697, 339, 2036)
    assert_vat_adds_up(final)
    abnormal = final.lines.get(kind=ChargeKind.ABNORMAL_USAGE, destination="national")
    assert (abnormal.period_start, abnormal.period_end) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 2, 8),
    )
    assert abnormal.calls.count() == 7
    # Due at once, collected by the next tick; issued once.
    go_to(test_clock, dt.datetime(2026, 3, 2, 10, 2, tzinfo=LONDON))
    final.refresh_from_db()
    assert final.status == "paid"
    assert Invoice.objects.filter(run_key__startswith="final:").count() == 1
    assert BilledCall.objects.count() == 15
    # The written notice names the periods and says how they are billed.
    notice = Notice.objects.filter(customer=line.customer).latest("pk")
    with translation.override(line.customer.language):
        first, last = (formats.date_format(dt.date(2026, 2, d), "DATE_FORMAT") for d in (1, 7))
    assert f"({first} to {last})" in notice.body
    assert "commercial per-minute rates on a final invoice" in notice.body


def test_aup4_other_grounds_do_not_bill_included_calls(test_clock, uk_line):
    call(uk_line, dt.datetime(2026, 2, 1, 9, 0, tzinfo=LONDON), 3599)
    go_to(test_clock, dt.datetime(2026, 2, 3, 10, 0, tzinfo=LONDON))
    termination = terminate_by_operator(
        customer=uk_line.customer, kind=TerminationKind.BREACH, actor=None
    )
    go_to(test_clock, dt.datetime(2026, 2, 3, 10, 1, tzinfo=LONDON))
    assert termination is not None
    assert not Invoice.objects.filter(run_key__startswith="final:").exists()
    assert not BilledCall.objects.exists()


def test_aup4_abnormal_periods_are_required_and_checked(test_clock, uk_line):
    customer = uk_line.customer
    go_to(test_clock, dt.datetime(2026, 2, 10, 10, 0, tzinfo=LONDON))
    for kind, periods, problem in (
        (TerminationKind.ABNORMAL_USE, None, "Give the periods of abnormal use"),
        (TerminationKind.ABNORMAL_USE, [(dt.date(2026, 2, 5), dt.date(2026, 2, 1))],
         "cannot end before it starts"),
        (TerminationKind.ABNORMAL_USE, [(dt.date(2026, 2, 5), dt.date(2026, 2, 11))],
         "cannot end after today"),
        (TerminationKind.BREACH, [(dt.date(2026, 2, 1), dt.date(2026, 2, 5))],
         "only"),
    ):  # fmt: skip
        with pytest.raises(ValidationError, match=problem):
            terminate_by_operator(
                customer=customer, kind=kind, actor=None, abnormal_periods=periods
            )
    assert not Termination.objects.exists()


def test_bill9_no_service_credit_for_an_outage(test_clock, uk_line):
    invoice = Invoice.objects.get(customer=uk_line.customer)
    for reason in (
        "Outage on 3 February",
        "Service credit for the downtime",
        "Line unavailable for two days",
        "Panne réseau du 3 février",
        "Coupure de service",
        "Service interruption",
    ):
        with pytest.raises(ValidationError, match=r"4\(f\), No Service Credits"):
            issue_credit_note(invoice=invoice, actor=None, reason=reason)
    with pytest.raises(CommandError, match="--reason: No credit for an outage"):
        call_command("credit_note", invoice=invoice.number, reason="Network outage")
    assert not Invoice.objects.filter(kind="credit_note").exists()
    # A charge billed in error is still corrected.
    note = issue_credit_note(invoice=invoice, actor=None, reason="Line billed before its request")
    assert note.total_minor == -invoice.total_minor
