"""Retention (PRIV-8) costs what is due, not what exists.

Builds a throwaway PostgreSQL database (from DATABASE_URL's server), fills it
with call records of a uk and a fr customer, of which 10,000 (or --due N) are
past the register's retention, and times the retention tick handler at two
sizes: 100,000 records still kept (the baseline) and 1,000,000 (or --large N),
10 times more, in the same run. A third customer under a legal hold has 1,000
due records (--held N) that must be read past and kept. Prints both times and
their ratio.

The same run retires what the register keeps after the end of the contract: 1,000
customers (or --ended-due N) whose contract ended 7 years ago, each with one event,
are retired (every entry of uk), among customers whose contract ended a year ago
and are still kept: a tenth of each size (10,000 and 100,000 customers, six
``RetentionDue`` rows each).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench retention
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


INSERT = """
    INSERT INTO usage_callrecord (call_id, customer_id, line_id, direction, from_number,
        to_number, destination_type, started_at, answered_at, ended_at, duration_seconds,
        disposition, sip_code, sip_reason)
    SELECT %s || g, %s, NULL, 'outbound', '+442079460701', '+447911123456', 'mobile',
        %s::timestamptz - g * interval '1 second', NULL,
        %s::timestamptz - g * interval '1 second' + interval '60 seconds', 60, 'answered',
        NULL, ''
    FROM generate_series(1, %s) g
"""


def _fill(kept: int, due: int, held: int, now: dt.datetime, customers: dict[str, int]) -> None:
    """``kept`` records inside the retention, ``due`` past it (half per market), ``held`` past it under a hold."""
    from django.db import connection

    recent = now - dt.timedelta(days=30)  # kept: the last month, back in time by the second
    old = now - dt.timedelta(days=400)  # due in both markets
    with connection.cursor() as cur:
        cur.execute("TRUNCATE usage_callrecord, events_event CASCADE")
        for market in ("uk", "fr"):
            cur.execute(INSERT, [f"k-{market}-", customers[market], recent, recent, kept // 2])
            cur.execute(INSERT, [f"d-{market}-", customers[market], old, old, due // 2])
        cur.execute(INSERT, ["h-", customers["held"], old, old, held])
        cur.execute("ANALYZE usage_callrecord")


CUSTOMERS = """
    INSERT INTO accounts_customer (market, legal_name, company_number, vat_number,
        contact_name, email, phone, address_line1, address_line2, city, postcode,
        building_id, workers_count, language, preferred_format, preferred_format_details,
        accessibility_needs, status, created_at)
    SELECT 'uk', %s || g, '12345678', '', 'Sam Bench', %s || g || '@bench.test',
        '+442079460999', '1 Bench Street', '', 'London', 'EC1A 1AA', NULL, 5, 'en', 'email',
        '', '', 'terminated', %s
    FROM generate_series(1, %s) g
"""

ENDED = """
    INSERT INTO privacy_retentiondue (customer_id, entry, market, contract_ended_at, counted_from)
    SELECT c.id, e.entry, 'uk', %s, CASE WHEN e.entry = 'invoices' THEN %s ELSE %s END
    FROM accounts_customer c
    CROSS JOIN (VALUES ('account_data'), ('contacts'), ('tickets'), ('consents'), ('logs'),
        ('invoices')) AS e(entry)
    WHERE c.legal_name LIKE %s
"""

EVENTS = """
    INSERT INTO events_event (occurred_at, actor_label, action, customer_id, subject_type,
        subject_id, data, customer_visible)
    SELECT %s, 'bench', 'bench.something', c.id, '', '', '{}', false
    FROM accounts_customer c WHERE c.legal_name LIKE %s
"""


def _fill_ended(kept: int, due: int, now: dt.datetime, customers: dict[str, int]) -> None:
    """``kept`` customers whose contract ended a year ago, ``due`` ones 7 years ago (uk)."""
    from django.db import connection

    from officeline.privacy.register import FINANCIAL_YEAR_END
    from officeline.privacy.services.after_contract import period_start

    with connection.cursor() as cur:
        cur.execute("TRUNCATE privacy_retentiondue")
        cur.execute("DELETE FROM accounts_customer WHERE id <> ALL(%s)", [list(customers.values())])
        for prefix, count, ended in (
            ("Bench kept ", kept, now - dt.timedelta(days=365)),
            ("Bench due ", due, now - dt.timedelta(days=7 * 365)),
        ):
            cur.execute(CUSTOMERS, [prefix, prefix.replace(" ", "-"), ended, count])
            year_end = period_start(FINANCIAL_YEAR_END, "uk", ended)
            cur.execute(ENDED, [ended, year_end, ended, prefix + "%"])
        cur.execute(EVENTS, [now - dt.timedelta(days=7 * 365), "Bench due %"])
        cur.execute("ANALYZE accounts_customer")
        cur.execute("ANALYZE privacy_retentiondue")


def _time(now: dt.datetime) -> tuple[float, int]:
    from officeline.privacy.services.retention import apply_retention

    start = time.perf_counter()
    done = apply_retention(now)
    return time.perf_counter() - start, done


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench retention")
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--held", type=int, default=1_000)
    parser.add_argument("--ended-due", type=int, default=1_000)
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit(
            "set DATABASE_URL to a PostgreSQL server (the bench creates and drops its own database)"
        )
    _setup_django()
    from django.db import connection

    now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from officeline.accounts.tests.factories import CustomerFactory
        from officeline.privacy.models import LegalHold

        customers = {
            "uk": CustomerFactory(market="uk").pk,
            "fr": CustomerFactory(market="fr").pk,
            "held": CustomerFactory(market="uk").pk,
        }
        LegalHold.objects.create(customer_id=customers["held"], reason="Bench", placed_at=now)
        results = {}
        for label, size in (("baseline", args.small), ("large", args.large)):
            fill_start = time.perf_counter()
            _fill(size, args.due, args.held, now, customers)
            _fill_ended(size // 10, args.ended_due, now, customers)
            fill = time.perf_counter() - fill_start
            seconds, done = _time(now)
            results[label] = seconds
            print(
                f"{label:>8}: {size:>9,} records kept, {done:,} rows deleted or anonymised, "
                f"{args.held:,} held; {size // 10:,} ended contracts kept, "
                f"{args.ended_due:,} retired: {seconds:.3f} s (data loaded in {fill:.1f} s)"
            )
        print(
            f"   ratio: large / baseline = {results['large'] / results['baseline']:.2f} (goal: under 2)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
