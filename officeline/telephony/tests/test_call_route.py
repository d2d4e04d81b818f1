"""A call's reads: the caller's line and the callee's devices in one round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from officeline.accounts.tests.factories import (
    BuildingFactory,
    CustomerFactory,
    OfficeManagerFactory,
)
from officeline.lines.models import Number
from officeline.lines.services import lines as services
from officeline.telephony.kamailio import KamailioConfig


def _line(e164: str, devices: int = 1, *, suspended: bool = False) -> list[str]:
    manager = OfficeManagerFactory(customer=CustomerFactory())
    number = Number.objects.create(e164=e164, market="uk", building=BuildingFactory())
    line = services.request_line(customer=manager.customer, number=number, actor=manager)
    services.acknowledge_emergency_limitations(line=line, actor=manager)
    line = services.activate_line(line=line, actor=manager)
    usernames = [
        services.add_device(line=line, kind="softphone", actor=manager, password="x" * 16)[
            0
        ].sip_username
        for _ in range(devices)
    ]
    if suspended:
        line.status = "suspended"
        line.save(update_fields=["status"])
    return usernames


def _rows(sql: str) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sorted(cursor.fetchall(), key=repr)


@pytest.mark.django_db
def test_the_call_route_function_returns_the_rows_of_the_routing_query(routing):
    """On PostgreSQL the routing calls ``telephony_call_route``; elsewhere it sends the query
    itself. Both must give the caller's line and each device of an active callee's line."""
    if connection.vendor != "postgresql":
        pytest.skip("the function exists on PostgreSQL only")
    kemi = routing
    (caller,) = _line("+442079460401")
    _line("+442079460402", devices=2)
    _line("+442079460403", suspended=True)
    cases = [
        (caller, "+442079460402"),  # two devices to ring
        (caller, "+442079460403"),  # a suspended callee: no device to ring
        (caller, "+449999999999"),  # not a line of ours
        ("nobody", "+442079460402"),  # not a caller of ours
    ]
    for username, number in cases:
        values = {"username": kemi._q(username), "number": kemi._q(number)}
        from_function = _rows(kemi.CALL_ROUTE_FUNCTION_QUERY.format(**values))
        from_query = _rows(kemi.CALL_ROUTE_QUERY.format(**values))
        assert from_function == from_query, (username, number)
    values = {"username": kemi._q(caller), "number": kemi._q("+442079460402")}
    two_devices = _rows(kemi.CALL_ROUTE_FUNCTION_QUERY.format(**values))
    assert [row[0] for row in two_devices] == [0, 1, 1]
    # number, status, in_use_abroad, market: the columns the routing decides on
    assert two_devices[0][3:7] == ("+442079460401", "active", False, "uk")


def test_priv2_call_events_skip_the_wait_for_the_disk_on_postgresql_only(tmp_path):
    """PRIV-2: the routing commits call events asynchronously where the database is PostgreSQL
    (``CALL_EVENT_COMMIT``) and reads a call through the function there, not on SQLite."""
    postgres = "postgres://postgres@127.0.0.1:5432/ol"
    sqlite = f"sqlite:///{tmp_path}/x.sqlite3"

    def environment(db_url: str, cdr_db_url: str = "") -> dict[str, str]:
        return KamailioConfig(
            "127.0.0.1", 5999, "officeline.test", db_url, Path(tmp_path), cdr_db_url=cdr_db_url
        ).environment()

    assert environment(postgres)["OFFICELINE_CDR_ASYNC_COMMIT"] == "1"
    assert environment(postgres)["OFFICELINE_SIP_DB_POSTGRESQL"] == "1"
    assert environment(sqlite)["OFFICELINE_CDR_ASYNC_COMMIT"] == ""
    assert environment(sqlite)["OFFICELINE_SIP_DB_POSTGRESQL"] == ""
    assert environment(postgres, cdr_db_url=sqlite)["OFFICELINE_CDR_ASYNC_COMMIT"] == ""
    assert environment(sqlite, cdr_db_url=postgres)["OFFICELINE_CDR_ASYNC_COMMIT"] == "1"
