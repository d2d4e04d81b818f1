"""tick costs what is due, not what exists.

Builds a throwaway PostgreSQL database (from DATABASE_URL's server), fills it
with open complaints of which 1,000 have a deadline due, and times the
complaints' tick handler at two sizes: 10,000 open complaints (the baseline)
and 1,000,000 (or --large N). Prints both and their ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench tick_complaints
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


def _fill(open_count: int, due_count: int, now: dt.datetime) -> None:
    """Open complaints with two running deadlines each; ``due_count`` of them with an acknowledgement overdue."""
    from django.db import connection

    from officeline.accounts.tests.factories import CustomerFactory

    customer = CustomerFactory()
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE support_complaintdeadline, support_complaint, support_ticket, events_event CASCADE"
        )
        cur.execute(
            """
            INSERT INTO support_ticket (customer_id, reference, subject, description, category, channel, raised_at,
                representative_name, representative_authority, representative_contact)
            SELECT %s, 'B-' || g, 'Bench', 'Bench', 'technical', 'portal', %s, '', '', ''
            FROM generate_series(1, %s) g
            """,
            [customer.pk, now - dt.timedelta(days=2), open_count],
        )
        cur.execute(
            """
            INSERT INTO support_complaint (ticket_id, customer_id, state, received_at, technical, next_deadline_at,
                escalation_reason, proposed_resolution, outcome, close_reason, vexatious, out_of_jurisdiction,
                deadlock_refusal)
            SELECT id, customer_id, 'acknowledged', raised_at, true, %s, '', '', '', '', false, false, ''
            FROM support_ticket
            """,
            [now + dt.timedelta(days=3)],
        )
        cur.execute(
            """
            INSERT INTO support_complaintdeadline (complaint_id, kind, due_at, started_at)
            SELECT id, 'resolve', %s, %s FROM support_complaint
            UNION ALL
            SELECT id, 'update', %s, %s FROM support_complaint
            """,
            [now + dt.timedelta(weeks=8), now, now + dt.timedelta(days=3), now],
        )
        cur.execute(
            """
            INSERT INTO support_complaintdeadline (complaint_id, kind, due_at, started_at)
            SELECT id, 'acknowledge', %s, %s FROM support_complaint ORDER BY id LIMIT %s
            """,
            [now - dt.timedelta(hours=1), now - dt.timedelta(days=2), due_count],
        )
        cur.execute("ANALYZE support_complaintdeadline; ANALYZE support_complaint")


def _time_tick(now: dt.datetime) -> tuple[float, int]:
    from officeline.support.tick import due_deadlines

    start = time.perf_counter()
    done = due_deadlines(now)
    return time.perf_counter() - start, done


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench tick_complaints")
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=1_000)
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
        results = {}
        for label, size in (("baseline", args.small), ("large", args.large)):
            fill_start = time.perf_counter()
            _fill(size, args.due, now)
            fill = time.perf_counter() - fill_start
            seconds, done = _time_tick(now)
            results[label] = seconds
            print(
                f"{label:>8}: {size:>9,} open complaints, {done:,} due: tick {seconds:.3f} s (data loaded in {fill:.1f} s)"
            )
        print(
            f"   ratio: large / baseline = {results['large'] / results['baseline']:.2f} (goal: tick under 1 s, ratio under 2)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
