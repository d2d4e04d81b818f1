"""Kamailio on the embedded SQLite database waits for another writer instead of failing.

The database here is a file of its own with the two tables a REGISTER touches (the
credentials and ``location``), so that the test runs whatever database Django uses.
"""

from __future__ import annotations

import importlib
import sqlite3
import threading
from pathlib import Path

import pytest

from officeline.lines.services.lines import digest_hashes
from officeline.telephony.kamailio import KamailioProcess, free_port
from officeline.telephony.sipp import SippResult, run_scenario
from officeline.telephony.tests.fixtures import kamailio_config

pytestmark = pytest.mark.sip
DOMAIN = "officeline.test"
USERNAME = "desk-1"
PASSWORD = "desk-phone-secret-1"
location_schema = importlib.import_module("officeline.telephony.migrations.0004_location")


def _database(path: Path) -> Path:
    """An SQLite file in WAL mode, as Django opens it, with one device allowed to register."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(
            "CREATE TABLE telephony_subscriber"
            " (id INTEGER PRIMARY KEY, username TEXT, domain TEXT, ha1 TEXT, ha1b TEXT)"
        )
        db.execute(
            "INSERT INTO telephony_subscriber (username, domain, ha1, ha1b) VALUES (?, ?, ?, ?)",
            (USERNAME, DOMAIN, *digest_hashes(USERNAME, DOMAIN, PASSWORD)),
        )
        db.execute(
            f"CREATE TABLE location ({location_schema.PRIMARY_KEY['sqlite']}"
            f"{location_schema.COLUMNS})"
        )
    db.close()
    return path


def _register_while_another_writes(tmp_path: Path, busy_timeout_ms: int) -> tuple[SippResult, int]:
    """A phone registers while another connection holds the write lock for two seconds."""
    database = _database(tmp_path / "officeline.sqlite3")
    config = kamailio_config(
        tmp_path,
        domain=DOMAIN,
        db_url=f"sqlite:///{database}",
        sqlite_busy_timeout_ms=busy_timeout_ms,
    )
    process = KamailioProcess(config)
    process.start()
    writer = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    try:
        writer.execute("BEGIN IMMEDIATE")  # what Django's transactions on SQLite begin with
        release = threading.Timer(2.0, writer.execute, ("COMMIT",))
        release.start()
        registered = run_scenario(
            "register.xml",
            host="127.0.0.1",
            port=config.listen_port,
            username=USERNAME,
            password=PASSWORD,
            local_port=free_port(),
        )
        release.join()
    finally:
        writer.close()
        process.stop()
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT count(*) FROM location WHERE username = ?", (USERNAME,))
        registrations = int(rows.fetchone()[0])
    return registered, registrations


def test_a_register_waits_for_another_writer_of_the_sqlite_database(tmp_path):
    registered, registrations = _register_while_another_writes(tmp_path, busy_timeout_ms=5000)
    assert registered.succeeded, registered.output
    assert registrations == 1


def test_without_a_busy_timeout_the_same_register_fails(tmp_path):
    """What the busy timeout is for: db_sqlite alone gives up at once ("database is locked")."""
    registered, registrations = _register_while_another_writes(tmp_path, busy_timeout_ms=0)
    assert not registered.succeeded
    assert registrations == 0
