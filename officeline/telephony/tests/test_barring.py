"""Call barring and call limits in the SIP core: premium-rate, international and satellite
numbers are refused unless the line is opted in, and never reach the carrier trunk; a line
has at most its market's number of external calls in progress; emergency numbers and our
own lines are never barred."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from officeline.lines.models import Line, Number
from officeline.lines.services.barring import REFUSAL_REASONS, set_call_barring
from officeline.markets.numbering import destination_class
from officeline.markets.numbering import routing_facts as destination_facts
from officeline.markets.tests.test_numbering import SAMPLES
from officeline.telephony.kamailio import KamailioConfig, KamailioProcess, free_port
from officeline.telephony.models import CallEvent
from officeline.telephony.sipp import Answerer, SippResult, run_scenario
from officeline.telephony.tests.fixtures import kamailio_config
from officeline.telephony.tests.phones import PASSWORD, active_line, phone_line, register_phone


def test_the_routing_classifies_every_sample_number_as_markets_does(tmp_path, routing):
    """The contract between markets (which decides the classes) and the routing (which
    cannot import Django): the facts rendered into Kamailio's environment are markets', and
    the routing's reading of them gives markets' class for every sample number."""
    kemi = routing
    config = KamailioConfig("127.0.0.1", 5999, "officeline.test", "sqlite:///x", Path(tmp_path))
    facts = json.loads(config.environment()["OFFICELINE_DESTINATION_FACTS"])
    markets_facts = destination_facts()
    assert {m: {k: f[k] for k in markets_facts[m]} for m, f in facts.items()} == markets_facts
    assert facts == kemi.DESTINATION_FACTS
    for market, dialled, _, expected in SAMPLES:
        if expected in ("emergency", "unknown"):
            continue  # emergency numbers are routed before; unknown ones are not numbers
        barred = expected if expected in kemi.BARRED else ""
        assert kemi.barred_class(dialled, market) == barred, (market, dialled)
        assert destination_class(dialled, market)[1] == expected
    # The emergency numbers the routing puts first are markets' too (EMG-3).
    assert {m: tuple(f["emergency"]) for m, f in facts.items()} == kemi.EMERGENCY


@pytest.mark.django_db
def test_the_call_s_one_read_gives_the_caller_s_opt_ins_spend_mark_and_customer(
    test_clock, routing
):
    """The barring columns come with the caller's row of the call's one query (on SQLite) and
    of the function (on PostgreSQL), in the order the routing reads them."""
    kemi = routing
    line, device = active_line("+442079461090")
    set_call_barring(line=line, international_allowed=True, actor=None)
    Line.objects.filter(pk=line.pk).update(spend_limit_reached_at=test_clock.now())
    values = {"username": kemi._q(device.sip_username), "number": kemi._q("+449065551234")}
    queries = [kemi.CALL_ROUTE_QUERY]
    if connection.vendor == "postgresql":
        queries.append(kemi.CALL_ROUTE_FUNCTION_QUERY)
    for query in queries:
        with connection.cursor() as cursor:
            cursor.execute(query.format(**values))
            (row,) = cursor.fetchall()
        caller = dict(zip(kemi.LINE_COLUMNS, row[2:], strict=True))
        assert caller["customer_id"] == line.customer_id
        assert [
            kemi._yes(int(caller[name]))
            for name in ("premium_allowed", "international_allowed", "spend_limited")
        ] == [False, True, True], query


def test_the_review_counts_the_refusals_the_routing_answers_with(routing):
    """The acceptable-use review counts the SIP core's refusals for barring and limits by
    their reason phrase: the routing's phrases and the review's list are the same."""
    reasons = {reason for _, reason in routing.BARRED.values()}
    assert reasons | set(routing.LIMIT_REASONS.values()) == REFUSAL_REASONS


def test_the_limits_are_rendered_and_load_the_dialog_module_only_with_limits(tmp_path):
    plain = KamailioConfig("127.0.0.1", 5999, "officeline.test", "sqlite:///x", Path(tmp_path))
    limited = KamailioConfig(
        "127.0.0.1", 5999, "officeline.test", "sqlite:///x", Path(tmp_path), call_limits="uk=4/20"
    )
    assert "dialog.so" not in plain.render()
    assert "dialog.so" in limited.render()
    assert limited.environment()["OFFICELINE_CALL_LIMITS"] == "uk=4/20"


@pytest.fixture(scope="module")
def trunk_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def kamailio(django_db_setup, tmp_path_factory, trunk_port, gateway_port):
    config = kamailio_config(
        tmp_path_factory.mktemp("kamailio"),
        carrier_trunk=f"sip:127.0.0.1:{trunk_port}",
        emergency_gateway=f"sip:127.0.0.1:{gateway_port}",
        call_limits="uk=1/0",
    )
    process = KamailioProcess(config)
    process.start()
    yield config
    process.stop()


def _call(kamailio, username: str, dial: str, scenario: str = "call.xml", **kwargs):
    return run_scenario(
        scenario,
        host="127.0.0.1",
        port=kamailio.listen_port,
        username=username,
        password=PASSWORD,
        dial=dial,
        **kwargs,
    )


class Trunk:
    """The carrier trunk's address, listening: counts what reaches it (it never answers)."""

    def __init__(self, port: int) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", port))
        self.socket.settimeout(0.5)

    def received(self) -> list[bytes]:
        messages = []
        try:
            while True:
                messages.append(self.socket.recv(65535))
        except TimeoutError:
            return messages

    def close(self) -> None:
        self.socket.close()


def _refused(kamailio, trunk_port: int, username: str, dial: str) -> str:
    """Call ``dial``: the phone must get 403 and the trunk nothing; the SIP messages."""
    trunk = Trunk(trunk_port)
    try:
        call = _call(kamailio, username, dial, scenario="call_refused.xml")
        reached = trunk.received()
    finally:
        trunk.close()
    assert call.succeeded, call.output
    assert reached == []
    return call.messages


def _events(line: Line, dialled: str) -> list[tuple[str, str, int | None, str]]:
    """The call events of the line's call to ``dialled``, in order."""
    start = CallEvent.objects.get(line_id=line.pk, kind="start", dialled=dialled)
    return [
        (e.kind, e.route, e.code, e.reason)
        for e in CallEvent.objects.filter(call_id=start.call_id).order_by("at_us", "id")
    ]


@pytest.mark.parametrize(
    ("dial", "reason"),
    [
        ("09065551234", "Premium-rate numbers are barred on this line"),
        ("0033140000000", "International calls are barred on this line"),
        ("+881631234567", "Satellite numbers are barred on this line"),
    ],
)
@pytest.mark.sip
@pytest.mark.django_db(transaction=True)
def test_a_barred_number_is_refused_with_its_reason_and_never_reaches_the_trunk(
    kamailio, trunk_port, test_clock, dial, reason
):
    line, caller = phone_line("+442079461001")
    messages = _refused(kamailio, trunk_port, caller, dial)
    assert f"SIP/2.0 403 {reason}" in messages
    assert _events(line, dial) == [("start", "external", None, ""), ("fail", "", 403, reason)]


@pytest.mark.sip
@pytest.mark.django_db(transaction=True)
def test_once_the_office_manager_opts_the_line_in_an_international_call_reaches_the_trunk(
    kamailio, trunk_port, test_clock
):
    line, caller = phone_line("+442079461002")
    _refused(kamailio, trunk_port, caller, "0033140000000")
    set_call_barring(line=line, international_allowed=True, actor=None)
    with Answerer(trunk_port) as carrier:
        call = _call(kamailio, caller, "0033140000000")
        answered = carrier.result()
    assert call.succeeded, call.output
    assert answered.succeeded, answered.output
    assert "INVITE sip:0033140000000@" in answered.messages
    # Premium-rate numbers stay barred: each class is opted in on its own.
    _refused(kamailio, trunk_port, caller, "09065551234")


@pytest.mark.sip
@pytest.mark.django_db(transaction=True)
def test_a_line_that_spent_its_monthly_limit_is_refused_external_calls_not_emergency_ones(
    kamailio, trunk_port, gateway_port, test_clock
):
    line, caller = phone_line("+442079461006")
    Line.objects.filter(pk=line.pk).update(spend_limit_reached_at=test_clock.now())
    messages = _refused(kamailio, trunk_port, caller, "02079460999")
    assert "SIP/2.0 403 Spend limit reached" in messages
    assert _events(line, "02079460999")[-1] == ("fail", "", 403, "Spend limit reached")
    with Answerer(gateway_port) as gateway:
        call = _call(kamailio, caller, "112")
        received = gateway.result()
    assert call.succeeded, call.output
    assert received.succeeded, received.output


@pytest.mark.sip
@pytest.mark.django_db(transaction=True)
def test_emg3_an_emergency_number_still_reaches_the_gateway_on_a_barred_line(
    kamailio, gateway_port, test_clock
):
    _, caller = phone_line("+442079461003")
    with Answerer(gateway_port) as gateway:
        call = _call(kamailio, caller, "999")
        received = gateway.result()
    assert call.succeeded, call.output
    assert received.succeeded, received.output


@pytest.mark.sip
@pytest.mark.django_db(transaction=True)
def test_a_call_to_our_own_line_in_another_country_is_not_barred(kamailio, test_clock):
    _, caller = phone_line("+442079461004")
    callee_line, callee = phone_line("+33140000099")
    Number.objects.filter(pk=callee_line.number_id).update(market="fr")
    phone = register_phone(kamailio, callee)
    with Answerer(phone) as answering:
        call = _call(kamailio, caller, "33140000099")  # as lines call each other
        answered = answering.result()
    assert call.succeeded, call.output
    assert answered.succeeded, answered.output


@pytest.mark.sip
@pytest.mark.django_db(transaction=True)
def test_a_line_at_its_limit_of_calls_in_progress_is_refused_the_next(
    kamailio, trunk_port, test_clock
):
    """The module's Kamailio allows one external call in progress per uk line: the second
    while the first lasts is refused; once the first has ended, a new one goes through."""
    line, caller = phone_line("+442079461005")
    dial = "02079460999"
    results: dict[str, SippResult] = {}
    with Answerer(trunk_port) as carrier:
        first = threading.Thread(
            target=lambda: results.update(first=_call(kamailio, caller, dial, pause_ms=3000))
        )
        first.start()
        deadline = time.monotonic() + 10
        while not CallEvent.objects.filter(
            kind="answer",
            call_id__in=CallEvent.objects.filter(line_id=line.pk).values("call_id"),
        ).exists():
            assert time.monotonic() < deadline, "the first call was not answered"
            time.sleep(0.1)
        second = _call(kamailio, caller, dial, scenario="call_refused.xml")
        first.join()
        answered = carrier.result()
    assert results["first"].succeeded, results["first"].output
    assert answered.succeeded, answered.output
    assert second.succeeded, second.output
    assert "SIP/2.0 403 Too many calls in progress on this line" in second.messages
    with Answerer(trunk_port) as carrier:
        again = _call(kamailio, caller, dial)
        carrier.result()
    assert again.succeeded, again.output
