"""Factories and helpers for billing's tests, and for the tests of apps above billing.

Cards are tokenized by the sandbox provider (the test card numbers of ``CARDS``); lines are
requested through the lines service, so that billing subscribes them as in production; the
scenarios (``invoiced_manager``, ``invoice_with_two_lines``...) walk the test clock.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import factory
import pytest
from pypdf import PdfReader

from officeline import clock
from officeline.accounts.tests.factories import (
    CustomerFactory,
    OfficeManagerFactory,
    OperatorMarketFactory,
)
from officeline.billing.choices import Plan
from officeline.billing.models import Invoice, PaymentMethod, PriceList
from officeline.billing.payments.base import CardDetails
from officeline.billing.payments.sandbox import SandboxProvider
from officeline.billing.services import documents
from officeline.billing.services.plans import change_line_plan
from officeline.lines.models import Line, Number
from officeline.lines.services import lines
from officeline.usage.models import CallRecord

LONDON = ZoneInfo("Europe/London")
PARIS = ZoneInfo("Europe/Paris")
CARDS = {
    "ok": "4242424242424242",
    "declined": "4000000000000002",
    "stopped": "4000000000000259",
}
STRIPE_API = "https://api.stripe.test"
STRIPE_RECORDINGS = Path(__file__).parent / "stripe_recordings"

_numbers = iter(range(100, 999))
_calls = itertools.count(1)


# ---------------------------------------------------------------- factories


def new_card(number: str) -> CardDetails:
    """A sandbox card token for ``number`` (valid until December 2035)."""
    return SandboxProvider().tokenize(
        number=number, exp_month=12, exp_year=2035, cvc="123", today_year=2026, today_month=1
    )


class PaymentMethodFactory(factory.django.DjangoModelFactory):
    """A sandbox card on file; ``card`` names one of ``CARDS`` (how its charges end)."""

    class Meta:
        model = PaymentMethod

    class Params:
        card = "ok"
        details = factory.LazyAttribute(lambda o: new_card(CARDS[o.card]))

    customer = factory.SubFactory(CustomerFactory)
    provider = "sandbox"
    token = factory.LazyAttribute(lambda o: o.details.token)
    brand = factory.LazyAttribute(lambda o: o.details.brand)
    last4 = factory.LazyAttribute(lambda o: o.details.last4)
    exp_month = 12
    exp_year = 2035
    created_at = factory.LazyFunction(clock.now)


class PriceListFactory(factory.django.DjangoModelFactory):
    """A uk price list in force from 1 January 2026."""

    class Meta:
        model = PriceList

    market = "uk"
    currency = factory.LazyAttribute(lambda o: "GBP" if o.market == "uk" else "EUR")
    effective_from = dt.date(2026, 1, 1)
    monthly_fee_minor = 1999
    created_at = factory.LazyFunction(clock.now)


def give_card(customer, card: str = "ok"):
    return PaymentMethodFactory(customer=customer, card=card)


def new_line(customer) -> Line:
    """A line requested for ``customer`` on a new number (billing subscribes it)."""
    prefix = "+4420794600" if customer.market == "uk" else "+331990000"
    number = Number.objects.create(
        e164=f"{prefix}{next(_numbers) % 100:02d}",
        market=customer.market,
        building=customer.building,
    )
    return lines.request_line(customer=customer, number=number, actor=None)


def call(line, started: dt.datetime, seconds: int | None, destination="national", **fields):
    """A call record of ``line``: answered and finished after ``seconds`` (None: still going)."""
    values = {
        "direction": "outbound",
        "from_number": line.number.e164,
        "to_number": {
            "national": "+441632960001",
            "mobile": "+447700900123",
            "international": "+12025550143",
            "internal": "+442079460999",
            "emergency": "999",
        }[destination],
        "destination_type": destination,
        "started_at": started,
        "answered_at": started + dt.timedelta(seconds=5),
        "ended_at": None if seconds is None else started + dt.timedelta(seconds=5 + seconds),
        "duration_seconds": seconds or 0,
        "disposition": "answered" if seconds is not None else "",
        **fields,
    }
    return CallRecord.objects.create(
        call_id=f"call-{next(_calls)}", customer=line.customer, line=line, **values
    )


def recording(name: str) -> dict:
    """A response recorded from Stripe's API (``stripe_recordings/<name>.json``)."""
    return json.loads((STRIPE_RECORDINGS / f"{name}.json").read_text())


# ---------------------------------------------------------------- walking the clock


def manager(market: str = "uk", **customer_fields):
    """An Office Manager of a new customer in ``market`` (whose operator entity exists)."""
    OperatorMarketFactory(market=market)
    return OfficeManagerFactory(customer=CustomerFactory(market=market, **customer_fields))


def go_to(test_clock, when: dt.datetime) -> None:
    test_clock.advance(when - test_clock.now())


def invoiced_manager(test_clock, market="fr"):
    """An Office Manager whose one line's first invoice is issued (and paid)."""
    test_clock.set(dt.datetime(2026, 3, 2, 9, 0, tzinfo=PARIS))
    user = manager(market)
    give_card(user.customer)
    new_line(user.customer)
    test_clock.advance(dt.timedelta(days=7))
    return user, Invoice.objects.get(customer=user.customer)


def invoice_with_two_lines(test_clock, card="ok"):
    test_clock.set(dt.datetime(2026, 1, 18, 10, tzinfo=LONDON))
    customer = CustomerFactory(market="uk")
    give_card(customer, card)
    new_line(customer)
    new_line(customer)
    go_to(test_clock, dt.datetime(2026, 1, 25, 9, tzinfo=LONDON))
    return Invoice.objects.get(customer=customer)


def suspended_for_non_payment(test_clock):
    """A customer whose card is declined, walked to the suspension of day 14."""
    test_clock.set(dt.datetime(2026, 1, 18, 10, tzinfo=LONDON))
    manager = OfficeManagerFactory(customer__market="uk")
    customer = manager.customer
    give_card(customer, "declined")
    line = new_line(customer)
    line.emergency_limitations_acknowledged_at = line.location_confirmed_at = test_clock.now()
    line.save()
    lines.activate_line(line=line, actor=None)
    test_clock.advance(dt.timedelta(days=21), step=dt.timedelta(hours=8))  # to 8 February
    line.refresh_from_db()
    assert (line.status, line.suspension_ground) == ("suspended", "non_payment")
    return manager, customer, line


@pytest.fixture
def commercial_line(test_clock):
    """A uk line billed from 25 January, moved to the commercial plan on 26 January at 10:00."""
    test_clock.set(dt.datetime(2026, 1, 18, 10, 0, tzinfo=LONDON))
    customer = CustomerFactory(market="uk")
    give_card(customer)
    line = new_line(customer)
    go_to(test_clock, dt.datetime(2026, 1, 26, 10, 0, tzinfo=LONDON))
    change_line_plan(
        line=line, plan=Plan.COMMERCIAL, actor=None, reason="Abnormal use not remedied (AUP-2)"
    )
    return line


# ---------------------------------------------------------------- checks


def statement_text(invoice: Invoice) -> str:
    pdf = PdfReader(io.BytesIO(documents.statement_pdf(invoice)))
    return "".join(page.extract_text() for page in pdf.pages)


def assert_vat_adds_up(invoice: Invoice) -> None:
    items = list(invoice.lines.all())
    assert invoice.net_minor == sum(ln.net_minor for ln in items)
    assert invoice.vat_minor == sum(ln.vat_minor for ln in items)
    assert invoice.total_minor == invoice.net_minor + invoice.vat_minor
