"""BILL-1, BILL-7: collection asks the payment provider with no database transaction open; a
provider that fails or times out leaves the invoice to be tried again with the same key, and a
worker that dies between the charge and its record neither charges twice nor loses the attempt."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from officeline.accounts.tests.factories import CustomerFactory
from officeline.billing.models import Invoice, Payment
from officeline.billing.payments import PaymentProviderError
from officeline.billing.payments.sandbox import SandboxProvider
from officeline.billing.sandbox_models import SandboxCharge
from officeline.billing.services import collection
from officeline.billing.tests.factories import LONDON, give_card, go_to, new_line


class WatchedSandbox(SandboxProvider):
    """The sandbox, noting whether each charge was asked inside a transaction; it can be made
    to fail as an unreachable or silent provider does."""

    def __init__(self, log: list[bool], failing: bool) -> None:
        self.log, self.failing = log, failing

    def charge(self, **kwargs):  # type: ignore[override]
        self.log.append(connection.in_atomic_block)
        if self.failing:
            raise PaymentProviderError("Stripe: Timeout")
        return super().charge(**kwargs)


@pytest.fixture
def provider(monkeypatch):
    state = {"log": [], "failing": False}
    monkeypatch.setattr(
        collection,
        "get_provider",
        lambda name=None: WatchedSandbox(state["log"], state["failing"]),
    )
    return state


def _invoiced_customer(test_clock):
    test_clock.set(dt.datetime(2026, 1, 18, 10, 0, tzinfo=LONDON))
    customer = CustomerFactory(market="uk")
    give_card(customer)
    new_line(customer)
    return customer


@pytest.mark.django_db(transaction=True)
def test_bill1_the_card_is_charged_outside_any_transaction(test_clock, provider):
    _invoiced_customer(test_clock)
    go_to(test_clock, dt.datetime(2026, 1, 25, 9, 0, tzinfo=LONDON))
    invoice = Invoice.objects.get()
    assert invoice.status == "paid"
    assert provider["log"] == [False]


@pytest.mark.django_db(transaction=True)
def test_bill1_a_provider_that_times_out_holds_nothing_and_is_asked_again_with_the_same_key(
    test_clock, provider
):
    _invoiced_customer(test_clock)
    provider["failing"] = True
    go_to(test_clock, dt.datetime(2026, 1, 25, 9, 0, tzinfo=LONDON))
    invoice = Invoice.objects.get()
    assert provider["log"] and not any(provider["log"])
    assert invoice.status == "open" and invoice.collection_attempts == 0
    assert not Payment.objects.exists()
    assert invoice.collect_at == test_clock.now() + collection.PROVIDER_RETRY

    provider["failing"] = False
    test_clock.advance(collection.PROVIDER_RETRY + dt.timedelta(minutes=1))
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    payment = Payment.objects.get()
    assert payment.idempotency_key == f"invoice-{invoice.number}-attempt-1"
    assert not any(provider["log"])


@pytest.mark.django_db
def test_bill1_a_worker_dying_after_the_charge_neither_charges_twice_nor_loses_it(
    test_clock, provider
):
    customer = _invoiced_customer(test_clock)
    # The invoice is issued and claimed; the worker charges the card and dies before recording.
    go_to(test_clock, dt.datetime(2026, 1, 24, 23, 0, tzinfo=LONDON))
    provider["failing"] = True  # the run at issue time reaches no provider
    go_to(test_clock, dt.datetime(2026, 1, 25, 0, 5, tzinfo=LONDON))
    provider["failing"] = False
    invoice = Invoice.objects.get(customer=customer)
    claims = collection.claim_for_collection(
        invoices=Invoice.objects.filter(pk=invoice.pk), now=invoice.collect_at
    )
    assert len(claims) == 1
    claim = claims[0]
    SandboxProvider().charge(
        token=claim.token,
        amount_minor=claim.amount_minor,
        currency=claim.currency,
        idempotency_key=claim.idempotency_key,
        description=claim.description,
    )
    assert not Payment.objects.exists()
    # Once the claim runs out the attempt is made again, with the same key.
    test_clock.advance(collection.PROVIDER_RETRY * 2 + dt.timedelta(minutes=1))
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    assert SandboxCharge.objects.filter(idempotency_key=claim.idempotency_key).count() == 1
    assert Payment.objects.filter(invoice=invoice).count() == 1


@pytest.mark.django_db
def test_bill1_an_attempt_recorded_already_is_not_recorded_twice(test_clock, provider):
    customer = _invoiced_customer(test_clock)
    provider["failing"] = True
    go_to(test_clock, dt.datetime(2026, 1, 25, 9, 0, tzinfo=LONDON))
    provider["failing"] = False
    invoice = Invoice.objects.get(customer=customer)
    (claim,) = collection.claim_for_collection(
        invoices=Invoice.objects.filter(pk=invoice.pk), now=invoice.collect_at
    )
    first = collection.collect_claimed(claims=[claim], now=test_clock.now())
    second = collection.collect_claimed(claims=[claim], now=test_clock.now())
    assert len(first) == 1 and second == []
    assert Payment.objects.filter(invoice=invoice).count() == 1
