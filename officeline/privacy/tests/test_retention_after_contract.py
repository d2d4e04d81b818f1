"""PRIV-8: what the register keeps until the end of the contract plus a period goes when it ends.

The end of the contract is the whole-service termination's ``completed_at``; each test
ends a contract the way the service ends it (a cancellation or the operator's
termination, taking effect at tick), then moves the test clock past each period.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from officeline import clock
from officeline.accounts.choices import AccessKind
from officeline.accounts.models import AccessLogEntry, Customer, Notice, TermsAcceptance, User
from officeline.accounts.tests.factories import CustomerFactory, OfficeManagerFactory
from officeline.billing.models import BillingAccount, Invoice, Payment, Termination
from officeline.billing.services.termination import request_cancellation, terminate_by_operator
from officeline.billing.tests.factories import give_card, new_line
from officeline.documents.tests.factories import DocumentVersionFactory
from officeline.events.models import Event
from officeline.events.services import record_event
from officeline.lines.models import Line
from officeline.markets.deadlines import add_months, local_date, start_of_local_day
from officeline.notifications.models import OutboxMessage
from officeline.privacy import register
from officeline.privacy.choices import InboundSmsOutcome, MarketingChannel
from officeline.privacy.models import (
    InboundSms,
    LegalHold,
    MarketingConsent,
    PolicyOptOut,
    RetentionDue,
)
from officeline.privacy.services import after_contract
from officeline.privacy.services.legal_holds import place_legal_hold, release_legal_hold
from officeline.privacy.tests.factories import dpo, member
from officeline.support.models import Ticket

pytestmark = pytest.mark.django_db

UTC = dt.UTC
ENTRIES = {"account_data", "contacts", "tickets", "consents", "logs", "invoices"}
# PRIV-8 (D): uk 6 years, fr 5 years after the end of the contract; invoices uk 6 years,
# fr 10 years after the end of the financial year in which it ended.
YEARS = {
    "uk": {"after_contract": 6, "invoices": 6},
    "fr": {"after_contract": 5, "invoices": 10},
}
SMS_NUMBER = {"uk": "+447700900123", "fr": "+33612345678"}


def _customer_with_everything(test_clock, market: str):
    """A customer billed for a month, with data of every kind the register keeps after it."""
    test_clock.set(dt.datetime(2026, 1, 18, 10, tzinfo=UTC))
    customer = CustomerFactory(market=market)
    manager = OfficeManagerFactory(customer=customer, full_name="Alex Manager")
    colleague = member(customer, full_name="Chris Member")
    give_card(customer)
    new_line(customer)
    test_clock.advance(dt.timedelta(days=30), step=dt.timedelta(days=1))
    assert Payment.objects.filter(invoice__customer=customer).exists()
    now = clock.now()
    version = DocumentVersionFactory()
    TermsAcceptance.objects.create(
        customer=customer,
        user=manager,
        document_version=version,
        document_sha256="0" * 64,
        accepted_at=now,
        ip_address="192.0.2.1",
        user_agent="Browser",
        wording="I accept",
    )
    MarketingConsent.objects.create(
        person=colleague,
        channel=MarketingChannel.SMS,
        given=True,
        address=SMS_NUMBER[market],
        method="signup_form",
        at=now,
    )
    InboundSms.objects.create(
        from_number=SMS_NUMBER[market],
        body="STOP",
        received_at=now,
        outcome=InboundSmsOutcome.OPTED_OUT,
    )
    PolicyOptOut.objects.create(customer=customer, version=version, person=manager, at=now)
    Ticket.objects.create(
        customer=customer,
        reference=f"T-{customer.pk}",
        subject="No dial tone",
        description="Alex cannot call out.",
        category="technical",
        channel="portal",
        raised_at=now,
        raised_by=manager,
    )
    AccessLogEntry.objects.create(
        at=now, staff_label="agent", customer=customer, kind=AccessKind.PERSONAL_DATA
    )
    record_event(action="test.something", actor=manager, customer=customer, data={})
    return customer


def _end_contract(test_clock, customer: Customer) -> Termination:
    request_cancellation(customer=customer, actor=None)
    test_clock.advance(dt.timedelta(days=10), step=dt.timedelta(days=1))
    termination = Termination.objects.get(customer=customer, line__isnull=True)
    assert termination.completed_at is not None
    return termination


def _run_at(test_clock, day: dt.date, market: str) -> int:
    at = start_of_local_day(market, day) + dt.timedelta(hours=12)
    test_clock.set(at)
    return clock.tick(at, only={"privacy.retention"})["privacy.retention"]


def _kept(customer: Customer, market: str) -> set[str]:
    """The kinds of the customer's data still there."""
    people = User.objects.filter(customer=customer)
    customer.refresh_from_db()
    found = {
        "account_data": customer.legal_name != f"Former customer {customer.pk}",
        "contacts": people.exclude(email__endswith="@erased.invalid").exists(),
        "tickets": Ticket.objects.filter(customer=customer).exists()
        or Notice.objects.filter(customer=customer).exists(),
        "consents": TermsAcceptance.objects.filter(customer=customer).exists()
        or MarketingConsent.objects.filter(person__customer=customer).exists()
        or PolicyOptOut.objects.filter(customer=customer).exists()
        or InboundSms.objects.filter(from_number=SMS_NUMBER[market]).exists(),
        "logs": Event.objects.filter(customer=customer).exists()
        or OutboxMessage.objects.filter(customer=customer).exists()
        or AccessLogEntry.objects.filter(customer=customer).exists(),
        "invoices": Invoice.objects.filter(customer=customer).exists()
        or BillingAccount.objects.filter(customer=customer).exists(),
    }
    return {kind for kind, there in found.items() if there}


def test_priv8_the_register_and_the_retirers_agree():
    """Every entry counted from the end of the contract has its retirer, and the reverse."""
    assert {item.key for item in register.after_contract()} == ENTRIES
    assert set(after_contract.RETIRERS) == ENTRIES
    for market, years in YEARS.items():
        invoices = register.entry("invoices").retention_in(market)
        assert (invoices.months, invoices.start) == (
            years["invoices"] * 12,
            register.FINANCIAL_YEAR_END,
        )
        for key in ENTRIES - {"invoices"}:
            period = register.entry(key).retention_in(market)
            assert (period.months, period.start) == (
                years["after_contract"] * 12,
                register.CONTRACT_END,
            )


def test_priv8_every_model_of_an_entry_is_retired():
    """A model the register puts under an entry kept after the contract is retired with it."""
    for key in ENTRIES:
        assert set(register.models_of(key)) == after_contract.RETIRED_MODELS[key], key


@pytest.mark.parametrize("market", ["uk", "fr"])
def test_priv8_each_kind_goes_when_its_period_after_the_end_of_the_contract_has_passed(
    test_clock, market
):
    customer = _customer_with_everything(test_clock, market)
    termination = _end_contract(test_clock, customer)
    due = RetentionDue.objects.filter(customer=customer)
    assert set(due.values_list("entry", flat=True)) == ENTRIES
    assert {row.contract_ended_at for row in due} == {termination.completed_at}
    assert _kept(customer, market) == ENTRIES
    # The retention of payment tokens counts from the end of the contract, the cards' removal.
    cards = customer.payment_methods.values_list("removed_at", flat=True)
    assert cards and set(cards) == {termination.completed_at}

    ended_on = local_date(market, termination.completed_at)
    last_day = add_months(ended_on, YEARS[market]["after_contract"] * 12)
    _run_at(test_clock, last_day, market)
    assert _kept(customer, market) == ENTRIES
    assert not customer.payment_methods.exists()  # 13 months after their removal

    assert _run_at(test_clock, last_day + dt.timedelta(days=1), market) > 0
    assert _kept(customer, market) == {"invoices"}
    customer.refresh_from_db()
    assert customer.email == f"erased-customer-{customer.pk}@erased.invalid"
    assert customer.phone == "" and customer.contact_name == ""
    assert Line.objects.filter(customer=customer).exclude(emergency_location="").count() == 0
    assert set(User.objects.filter(customer=customer).values_list("full_name", flat=True)) == {""}
    event = Event.objects.filter(action="privacy.retention_applied").latest("pk")
    assert set(event.data["retired"][market]) == ENTRIES - {"invoices"}
    assert all(done["customers"] == 1 for done in event.data["retired"][market].values())

    # Invoices: the accounting retention after the end of the financial year it ended in.
    last_invoice_day = dt.date(ended_on.year + YEARS[market]["invoices"], 12, 31)
    _run_at(test_clock, last_invoice_day, market)
    assert _kept(customer, market) == {"invoices"}
    _run_at(test_clock, last_invoice_day + dt.timedelta(days=1), market)
    assert _kept(customer, market) == set()
    assert not Payment.objects.filter(invoice__customer=customer).exists()
    assert not RetentionDue.objects.filter(customer=customer).exists()
    # Nothing is left to do: a later run reads nothing and records nothing.
    runs = Event.objects.filter(action="privacy.retention_applied").count()
    assert _run_at(test_clock, last_invoice_day + dt.timedelta(days=30), market) == 0
    assert Event.objects.filter(action="privacy.retention_applied").count() == runs


def test_priv8_a_legal_hold_keeps_everything_after_the_end_of_the_contract(test_clock):
    customer = _customer_with_everything(test_clock, "fr")
    _end_contract(test_clock, customer)
    officer = dpo()
    hold = place_legal_hold(actor=officer, customer=customer, reason="A dispute at the tribunal.")
    _run_at(test_clock, dt.date(2040, 1, 2), "fr")
    assert _kept(customer, "fr") == ENTRIES
    assert RetentionDue.objects.filter(customer=customer).count() == len(ENTRIES)

    release_legal_hold(actor=officer, hold=hold, reason="The tribunal decided.")
    assert not LegalHold.objects.filter(customer=customer, released_at__isnull=True).exists()
    _run_at(test_clock, dt.date(2040, 1, 3), "fr")
    assert _kept(customer, "fr") == set()


@pytest.mark.parametrize("kind", ["non_payment", "insolvency", "convenience"])
def test_priv8_the_end_of_the_contract_is_when_the_operators_termination_takes_effect(
    test_clock, kind
):
    test_clock.set(dt.datetime(2026, 1, 18, 10, tzinfo=UTC))
    customer = CustomerFactory(market="uk")
    give_card(customer)
    new_line(customer)
    terminate_by_operator(customer=customer, kind=kind, actor=None)
    assert not RetentionDue.objects.filter(customer=customer).exists()
    test_clock.advance(dt.timedelta(days=16), step=dt.timedelta(days=1))
    termination = Termination.objects.get(customer=customer)
    assert set(
        RetentionDue.objects.filter(customer=customer).values_list("contract_ended_at", flat=True)
    ) == {termination.completed_at}


def test_priv8_ending_one_line_is_not_the_end_of_the_contract(test_clock):
    test_clock.set(dt.datetime(2026, 1, 18, 10, tzinfo=UTC))
    customer = CustomerFactory(market="uk")
    give_card(customer)
    line = new_line(customer)
    new_line(customer)
    request_cancellation(customer=customer, actor=None, line=line)
    test_clock.advance(dt.timedelta(days=10), step=dt.timedelta(days=1))
    assert Termination.objects.get(customer=customer).completed_at is not None
    assert not RetentionDue.objects.filter(customer=customer).exists()


def test_priv8_the_run_costs_what_is_due_not_how_many_contracts_ended(test_clock):
    """Customers whose periods are still running are not read: the queries of a run do not
    grow with them."""

    def ended(count: int, at: dt.datetime) -> None:
        for _ in range(count):
            customer = CustomerFactory(market="uk")
            after_contract.record_contract_end(customer_id=customer.pk, market="uk", at=at)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            clock.tick(test_clock.now(), only={"privacy.retention"})
        return len(captured)

    ended(2, dt.datetime(2019, 1, 10, tzinfo=UTC))  # due (all but the invoices)
    ended(3, dt.datetime(2025, 1, 10, tzinfo=UTC))  # not due
    first = queries()
    ended(2, dt.datetime(2019, 1, 10, tzinfo=UTC))
    ended(30, dt.datetime(2025, 1, 10, tzinfo=UTC))
    assert queries() == first
