"""``officeline deadline``: the command-line contract."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue()


def test_prints_one_iso_line():
    out = run("--market", "uk", "--from", "2026-12-24T16:30:00+00:00", "--business-days", "1")
    assert out == "2026-12-29T23:59:59.999999+00:00\n"


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("--days", "2026-12-28T23:59:59.999999+01:00"),
        ("--weeks", "2027-01-21T23:59:59.999999+01:00"),
        ("--months", "2027-01-24T23:59:59.999999+01:00"),
    ],
)
def test_other_units(unit, expected):
    n = "4" if unit != "--months" else "1"
    assert run("--market", "fr", "--from", "2026-12-24T10:00:00+01:00", unit, n).strip() == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--market", "de", "--from", "2026-12-24T16:30:00+00:00", "--days", "1"],
            "unknown market 'de'",
        ),
        (["--market", "uk", "--from", "24/12/2026", "--days", "1"], "not an ISO 8601"),
        (["--market", "uk", "--from", "2026-12-24T16:30:00", "--days", "1"], "no UTC offset"),
        (
            ["--market", "uk", "--from", "2026-12-24T16:30:00+00:00", "--days", "x"],
            "not a whole number",
        ),
        (
            ["--market", "uk", "--from", "2026-12-24T16:30:00+00:00", "--days", "-2"],
            "cannot be negative",
        ),
    ],
)
def test_bad_input_gets_a_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_console_script_exits_non_zero_with_the_error_on_stderr():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "officeline",
            "deadline",
            "--market",
            "xx",
            "--from",
            "2026-01-01T00:00:00+00:00",
            "--days",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode != 0
    assert "unknown market 'xx'" in proc.stderr
    assert "Traceback" not in proc.stderr
