"""The monthly invoice run over many subscriptions, in PostgreSQL.

Builds a throwaway database (from DATABASE_URL's server), fills it with
accounts of one line each whose period starts today, and times the run twice
in the same process: over 10,000 accounts (the baseline) and over 100,000 (or
--large N). Issuing (numbers, lines, VAT, events) is timed over all of them;
collecting (a sandbox charge, a payment row and an email per invoice, one
card at a time) over the first 2,000 (--collect N). Prints
invoices per second for each size and the ratio of the large run's rate to
the baseline's (1.0: the run scales linearly). PDFs are not rendered by the
run (they are rendered when someone asks for one) and the emails it queues
are sent by the worker, as in production.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench invoice_run
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "officeline.settings")
    os.environ.setdefault("OFFICELINE_DEPLOYMENT", "test")
    import django

    django.setup()


def _clone(cur, table: str, template_id: int, count: int, overrides: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Insert ``count`` copies of one row, some columns replaced by SQL over ``g`` (1..count)."""
    from django.db import connection

    columns = [
        c.name for c in connection.introspection.get_table_description(cur, table) if c.name != "id"
    ]
    exprs = [overrides.get(c, f"t.{c}") for c in columns]
    cur.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"SELECT {', '.join(exprs)} FROM {table} t, generate_series(1, %s) g WHERE t.id = %s",
        [count, template_id],
    )


def _fill(count: int, today: dt.date, now: dt.datetime) -> None:
    """``count`` uk accounts, each with one line whose period starts ``today`` and a card."""
    from django.db import connection

    from officeline.accounts.tests.factories import BuildingFactory, CustomerFactory
    from officeline.billing.models import PaymentMethod, PriceList
    from officeline.billing.payments.sandbox import SandboxProvider
    from officeline.billing.sandbox_models import SandboxCard
    from officeline.lines.models import Number

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE billing_payment, billing_invoiceline, billing_invoice, billing_invoicesequence,"
            " billing_subscription, billing_billingaccount, billing_paymentmethod,"
            " billing_sandboxcharge, billing_sandboxcard, lines_line, lines_number,"
            " notifications_outboxmessage, events_event, accounts_customer, accounts_building CASCADE"
        )
    # The truncation cascades through users to the price lists: the starting prices again.
    PriceList.objects.get_or_create(
        market="uk",
        effective_from=dt.date(2020, 1, 1),
        defaults={"currency": "GBP", "monthly_fee_minor": 2500, "created_at": now},
    )
    building = BuildingFactory(market="uk")
    customer = CustomerFactory(market="uk", building=building)
    number = Number.objects.create(e164="+442079460999", market="uk", building=building)
    card = SandboxProvider().tokenize(
        number="4242424242424242", exp_month=12, exp_year=2035, cvc="123",
        today_year=2026, today_month=1,
    )  # fmt: skip
    method = PaymentMethod.objects.create(
        customer=customer, provider="sandbox", token=card.token, brand="visa", last4="4242",
        exp_month=12, exp_year=2035, created_at=now,
    )  # fmt: skip
    sandbox_card = SandboxCard.objects.get(token=card.token)
    with connection.cursor() as cur:
        _clone(cur, "accounts_customer", customer.pk, count, {
            "email": "'bench' || g || '@customer.test'",
            "company_number": "(10000000 + g)::text",
            "legal_name": "'Bench Business ' || g || ' Ltd'",
        })  # fmt: skip
        _clone(cur, "lines_number", number.pk, count, {"e164": "'+4420' || (70000000 + g)::text"})
        _clone(cur, "billing_sandboxcard", sandbox_card.pk, count, {"token": "t.token || '-' || g"})
        cur.execute("DELETE FROM lines_line")
        cur.execute("DELETE FROM billing_paymentmethod")
        cur.execute(
            "DELETE FROM accounts_customer WHERE id = %s; DELETE FROM lines_number WHERE id = %s",
            [customer.pk, number.pk],
        )
        numbered = """
            WITH c AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM accounts_customer),
                 n AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM lines_number)
        """
        cur.execute(
            numbered
            + """
            INSERT INTO lines_line (customer_id, number_id, status, suspension_ground,
                activation_requested_at, emergency_location, location_unconfirmed_reason,
                in_use_abroad)
            SELECT c.id, n.id, 'active', '', %s, 'Bench building', '', false
            FROM c JOIN n USING (rn)
            """,
            [now - dt.timedelta(days=40)],
        )
        cur.execute(
            """
            INSERT INTO billing_paymentmethod (customer_id, provider, token, brand, last4,
                exp_month, exp_year, is_default, created_at)
            SELECT c.id, 'sandbox', %s || '-' || row_number() OVER (ORDER BY c.id), 'visa', '4242',
                12, 2035, true, %s
            FROM accounts_customer c
            """,
            [method.token, now],
        )
        cur.execute(
            """
            INSERT INTO billing_billingaccount (customer_id, market, anchor, next_period_start, created_at)
            SELECT id, 'uk', %s, %s, %s FROM accounts_customer
            """,
            [today - dt.timedelta(days=31), today, now],
        )
        cur.execute(
            """
            INSERT INTO billing_subscription (account_id, line_id, billing_starts_on,
                first_billed_on, created_at)
            SELECT a.id, l.id, a.anchor, a.anchor, %s
            FROM billing_billingaccount a JOIN lines_line l ON l.customer_id = a.customer_id
            """,
            [now],
        )
        cur.execute("ANALYZE")


def _run(now: dt.datetime, collect: int) -> tuple[int, float, int, float]:
    from officeline.billing.services.collection import collect_due
    from officeline.billing.services.run import invoice_run
    from officeline.notifications import services as notifications

    # Emails are queued for the worker, as in production; sending them is not the run's work.
    notifications._deliver_soon = lambda: None  # type: ignore[assignment]

    start = time.perf_counter()
    issued = invoice_run(now=now)
    issuing = time.perf_counter() - start
    # Collection charges one card at a time (a provider call each), in as many workers as
    # one runs (rows are taken with SKIP LOCKED): its rate is measured on a sample.
    from officeline.billing.models import Invoice

    sample = Invoice.objects.order_by("pk").values_list("pk", flat=True)[collect : collect + 1]
    if sample:
        Invoice.objects.filter(pk__gte=sample[0]).update(collect_at=None)
    start = time.perf_counter()
    collected = collect_due(now=now)
    collecting = time.perf_counter() - start
    return issued, issuing, collected, collecting


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench invoice_run")
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--collect", type=int, default=2_000, help="invoices collected per size")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit(
            "set DATABASE_URL to a PostgreSQL server (the bench creates and drops its own database)"
        )
    _setup_django()
    from django.db import connection

    from officeline import clock

    now = dt.datetime(2026, 11, 25, 1, 0, tzinfo=dt.UTC)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rates = {}
        with clock.frozen(now):
            for label, size in (("baseline", args.small), ("large", args.large)):
                fill_start = time.perf_counter()
                _fill(size, now.date(), now)
                fill = time.perf_counter() - fill_start
                issued, issuing, collected, collecting = _run(now, args.collect)
                assert issued == size and collected == min(size, args.collect)
                rates[label] = (issued / issuing, collected / collecting)
                print(
                    f"{label:>8}: {size:>7,} accounts: issued in {issuing:.1f} s "
                    f"({rates[label][0]:,.0f} invoices/s); {collected:,} collected in "
                    f"{collecting:.1f} s ({rates[label][1]:,.0f} payments/s, one worker) "
                    f"(data loaded in {fill:.1f} s)"
                )
        print(
            f"   ratio: large / baseline rate = issuing {rates['large'][0] / rates['baseline'][0]:.2f},"
            f" collecting {rates['large'][1] / rates['baseline'][1]:.2f}"
            " (1.00: linear; goal: 100,000 invoices issued in under 60 s)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
