"""Retention (PRIV-8) costs what is due, not what exists.

Builds a throwaway PostgreSQL database (from DATABASE_URL's server), fills it
with call records of a uk and a fr customer, of which 10,000 (or --due N) are
past the register's retention, and times the retention tick handler at two
sizes: 100,000 records still kept (the baseline) and 1,000,000 (or --large N),
10 times more, in the same run. A third customer under a legal hold has 1,000
due records (--held N) that must be read past and kept. Prints both times and
their ratio.

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


def _time(now: dt.datetime) -> tuple[float, int]:
    from officeline.privacy.retention import apply_retention

    start = time.perf_counter()
    done = apply_retention(now)
    return time.perf_counter() - start, done


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench retention")
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--held", type=int, default=1_000)
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
            fill = time.perf_counter() - fill_start
            seconds, done = _time(now)
            results[label] = seconds
            print(
                f"{label:>8}: {size:>9,} records kept, {done:,} deleted, {args.held:,} held: "
                f"{seconds:.3f} s (data loaded in {fill:.1f} s)"
            )
        print(
            f"   ratio: large / baseline = {results['large'] / results['baseline']:.2f} (goal: under 2)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
