"""The contract between Kamailio's routing (which cannot import Django) and the Django side:
every table, view, column, function and value the routing names is the Django side's, and
every fact it routes on is the one markets decides. Fast: no Kamailio, no SIP."""

from __future__ import annotations

import pytest
from django.db import connection

from officeline.lines.choices import LineStatus
from officeline.markets.definitions import MARKETS
from officeline.telephony import mwi
from officeline.telephony.models import CallEvent, CallEventKind, Registration
from officeline.telephony.routing import contract


def _columns(relation: str) -> list[str]:
    """The columns of a table or view, as the database names them."""
    with connection.cursor() as cursor:
        return [
            column.name
            for column in connection.introspection.get_table_description(cursor, relation)
        ]


def test_emg3_the_routing_gets_each_market_s_emergency_numbers_from_markets(routing):
    """EMG-3 is decided once, in markets: the routing's emergency numbers are each market's,
    and it knows no market that markets does not."""
    assert set(routing.EMERGENCY) == set(MARKETS)
    for code, market in MARKETS.items():
        assert routing.EMERGENCY[code] == market.emergency_numbers, code
    assert {n for m in MARKETS.values() for n in m.emergency_numbers} == routing.EMERGENCY_NUMBERS


def test_the_routing_s_civic_address_country_and_language_are_the_market_s(routing):
    for code, market in MARKETS.items():
        assert routing.COUNTRY[code] == market.country
        assert routing.LANGUAGE[code] == f"{market.language}-{market.country}"


def test_the_routing_refuses_to_start_without_the_markets_facts(routing, monkeypatch):
    monkeypatch.setattr(routing, "EMERGENCY", {})
    with pytest.raises(RuntimeError, match="no market facts"):
        routing.mod_init()


def test_the_call_event_kinds_the_routing_writes_are_the_model_s_choices():
    assert {kind.value for kind in contract.EventKind} == set(CallEventKind.values)
    kind = CallEvent._meta.get_field("kind")
    assert max(len(k) for k in contract.EventKind) <= kind.max_length  # type: ignore[operator]


def test_the_routes_fit_the_call_event_s_column():
    route = CallEvent._meta.get_field("route")
    assert max(len(r) for r in contract.Route) <= route.max_length  # type: ignore[operator]


def test_the_call_event_table_and_columns_are_the_model_s():
    assert CallEvent._meta.db_table == contract.CALL_EVENT_TABLE
    columns = {f.column for f in CallEvent._meta.concrete_fields} - {"id"}
    assert set(contract.EVENT_COLUMNS) == columns
    for name, length in contract.EVENT_LENGTHS.items():
        assert CallEvent._meta.get_field(name).max_length == length, name


def test_registrations_are_kamailio_s_location_table():
    assert Registration._meta.db_table == contract.LOCATION_TABLE


@pytest.mark.django_db
def test_the_views_the_routing_reads_have_the_columns_it_reads():
    assert {"username", *contract.LINE_COLUMNS} <= set(_columns(contract.ROUTING_VIEW))
    # The columns Kamailio's auth_db is configured with (``telephony.kamailio``).
    assert {"username", "domain", "ha1", "ha1b"} <= set(_columns(contract.SUBSCRIBER_VIEW))


@pytest.mark.django_db
def test_the_call_route_function_exists_where_the_routing_calls_it():
    if connection.vendor != "postgresql":
        pytest.skip("the function exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_proc WHERE proname = %s", [contract.CALL_ROUTE_FUNCTION])
        assert cursor.fetchone() == (1,)


def test_the_line_statuses_the_routing_reads_are_the_lines_app_s():
    assert {contract.LINE_ACTIVE, contract.LINE_SUSPENDED} <= set(LineStatus.values)


def test_the_message_summary_body_is_the_same_from_the_routing_and_from_django(routing):
    """A phone's SUBSCRIBE is answered by the routing, a change by Django's NOTIFY: both
    build the body with the routing's own function."""
    assert mwi.message_summary is contract.message_summary
    assert routing.message_summary is contract.message_summary
    assert contract.message_summary("sip:+442079460951@officeline.test", 2, 1) == (
        "Messages-Waiting: yes\r\n"
        "Message-Account: sip:+442079460951@officeline.test\r\n"
        "Voice-Message: 2/1 (0/0)\r\n"
    )
