"""Bad input and floods: Kamailio answers cleanly, or drops, and keeps answering afterwards.

A raw UDP socket sends what no phone would. The module's Kamailio has low limits so
that a test can reach them: 10 requests a second per source address (pike), 5
INVITEs and 10 REGISTERs a second in all (ratelimit).
"""

from __future__ import annotations

import time

import pytest

from officeline.accounts.tests.factories import (
    BuildingFactory,
    CustomerFactory,
    OfficeManagerFactory,
)
from officeline.lines.models import Number
from officeline.lines.services import lines as services
from officeline.telephony.kamailio import KamailioProcess
from officeline.telephony.tests.fixtures import kamailio_config
from officeline.telephony.tests.raw_sip import RawSip, proxy_authorization, status

pytestmark = [pytest.mark.sip, pytest.mark.django_db(transaction=True)]
PASSWORD = "desk-phone-secret-1"


@pytest.fixture(scope="module")
def port(django_db_setup, tmp_path_factory):
    config = kamailio_config(
        tmp_path_factory.mktemp("kamailio"),
        flood_requests=10,
        flood_period=1,
        invite_limit=5,
        register_limit=10,
    )
    process = KamailioProcess(config)
    process.start()
    yield config.listen_port
    process.stop()


def _device(e164: str) -> str:
    manager = OfficeManagerFactory(customer=CustomerFactory())
    number = Number.objects.create(e164=e164, market="uk", building=BuildingFactory())
    line = services.request_line(customer=manager.customer, number=number, actor=manager)
    services.acknowledge_emergency_limitations(line=line, actor=manager)
    line = services.activate_line(line=line, actor=manager)
    device, _ = services.add_device(line=line, kind="softphone", actor=manager, password=PASSWORD)
    return device.sip_username


def _still_answers(port: int, source: str = "127.0.0.1") -> bool:
    with RawSip(port, source) as sip:
        return status(sip.ask(sip.request("OPTIONS", "sip:127.0.0.1"))) == 200


def test_garbage_gets_no_answer_and_kamailio_keeps_answering(port, test_clock):
    with RawSip(port, "127.0.0.11") as sip:
        sip.send(b"\x00\xff not SIP at all \r\n\r\n")
        sip.send(b"INVITE\r\n\r\n")
        assert sip.receive(timeout=0.5) is None
    assert _still_answers(port, "127.0.0.12")


def test_a_malformed_request_gets_400(port, test_clock):
    with RawSip(port, "127.0.0.13") as sip:
        message = sip.request("OPTIONS", "sip:127.0.0.1").replace(
            b"CSeq: 1 OPTIONS", b"CSeq: one OPTIONS"
        )
        assert status(sip.ask(message)) == 400
    assert _still_answers(port, "127.0.0.12")


def test_an_oversized_request_gets_513(port, test_clock):
    with RawSip(port, "127.0.0.14") as sip:
        padding = "X-Padding: " + "a" * 20_000 + "\r\n"
        answer = sip.ask(sip.request("OPTIONS", "sip:127.0.0.1", headers=padding))
        assert status(answer) == 513, answer
    assert _still_answers(port, "127.0.0.12")


def test_an_unknown_user_and_a_wrong_password_get_403_alike(port, test_clock):
    username = _device("+442079460501")
    with RawSip(port, "127.0.0.15") as sip:
        assert status(sip.register(username, PASSWORD)) == 200
        unknown = sip.register("442079469999-000000", PASSWORD)
        wrong = sip.register(username, "not-the-password")
    assert status(unknown) == 403 and status(wrong) == 403
    assert unknown.split("\r\n", 1)[0] == wrong.split("\r\n", 1)[0]


def test_credentials_for_another_realm_are_challenged_with_ours(port, test_clock):
    username = _device("+442079460502")
    with RawSip(port, "127.0.0.16") as sip:
        answer = sip.register(username, PASSWORD, realm="elsewhere.example")
    assert answer is not None and status(answer) == 401
    assert 'realm="officeline.test"' in answer


def test_a_registration_for_another_domain_is_refused(port, test_clock):
    with RawSip(port, "127.0.0.17") as sip:
        answer = sip.ask(
            sip.request("REGISTER", "sip:elsewhere.example", domain="elsewhere.example")
        )
    assert status(answer) == 403, answer
    assert answer is not None and "Domain not served here" in answer


def test_too_many_registrations_at_once_get_503_with_retry_after(port, test_clock):
    answers = []
    sockets = [RawSip(port, f"127.0.1.{i}") for i in range(1, 31)]
    try:
        for sip in sockets:
            sip.send(sip.request("REGISTER", "sip:officeline.test"))
        answers = [sip.receive(timeout=1.0) for sip in sockets]
    finally:
        for sip in sockets:
            sip.close()
    codes = [status(a) for a in answers]
    assert 401 in codes and 503 in codes, codes
    refused = next(a for a in answers if status(a) == 503)
    assert refused is not None and "Retry-After:" in refused
    time.sleep(1.5)
    with RawSip(port, "127.0.1.99") as sip:
        assert status(sip.ask(sip.request("REGISTER", "sip:officeline.test"))) == 401


def _challenge(sip: RawSip, username: str, uri: str) -> str:
    """A 407 for ``username``'s INVITE to ``uri``, whose nonce the next one answers."""
    answer = sip.ask(sip.request("INVITE", uri, user=username))
    assert status(answer) == 407, answer
    return answer or ""


def test_emg3_authenticated_emergency_calls_pass_the_rate_limit(port, test_clock):
    """EMG-3: an authenticated emergency call is routed ahead of load shedding; one without
    credentials is shed like any INVITE."""
    username = _device("+442079460598")
    uri = "sip:999@officeline.test"
    sockets = [RawSip(port, f"127.0.2.{i}") for i in range(1, 21)]
    try:
        challenge = _challenge(sockets[0], username, uri)
        time.sleep(1.1)
        for sip in sockets:
            sip.send(sip.request("INVITE", "sip:442079460599@officeline.test"))
        codes = [status(sip.receive(timeout=1.0)) for sip in sockets]
        assert 503 in codes, codes
        emergency = sockets[0]
        shed = emergency.ask(emergency.request("INVITE", uri, user=username))
        credentials = proxy_authorization(challenge, uri, username, PASSWORD)
        answer = emergency.ask(
            emergency.request("INVITE", uri, user=username, cseq=2, headers=credentials)
        )
    finally:
        for sip in sockets:
            sip.close()
    assert shed is not None and shed.startswith("SIP/2.0 503 Service Unavailable"), shed
    # Past the limit and authenticated: routed (this Kamailio has no emergency gateway).
    assert answer is not None and "No emergency route configured" in answer, answer


def _after_flood(sip: RawSip, request: bytes) -> list[str]:
    """Flood again, send ``request`` right behind, and collect every answer that comes."""
    for _ in range(50):
        sip.send(sip.request("OPTIONS", "sip:127.0.0.1"))
    sip.send(request)
    answers = []
    while (answer := sip.receive(timeout=0.5)) is not None:
        answers.append(answer)
    return answers


def test_a_flooding_source_is_dropped_and_others_are_still_served(port, test_clock):
    """pike: past the per-source limit, requests are dropped without an answer, emergency
    calls without credentials included; an authenticated emergency call still gets through."""
    username = _device("+442079460597")
    uri = "sip:112@officeline.test"
    with RawSip(port, "127.0.3.1") as flood:
        challenge = _challenge(flood, username, uri)
        for _ in range(200):
            flood.send(flood.request("OPTIONS", "sip:127.0.0.1"))
        answered = 0
        while flood.receive(timeout=0.5) is not None:
            answered += 1
        assert 0 < answered < 100, answered
        assert flood.ask(flood.request("OPTIONS", "sip:127.0.0.1"), timeout=0.5) is None
        # Still flooding: an emergency call without credentials is dropped like the rest.
        answers = _after_flood(flood, flood.request("INVITE", uri, user=username))
        assert not [a for a in answers if "INVITE" in a.split("CSeq:", 1)[-1][:20]], answers
        # EMG-3: an authenticated emergency call from the same source still gets through.
        credentials = proxy_authorization(challenge, uri, username, PASSWORD)
        invite = flood.request("INVITE", uri, user=username, cseq=2, headers=credentials)
        answers = _after_flood(flood, invite)
        assert [a for a in answers if "No emergency route configured" in a], answers
    assert _still_answers(port, "127.0.3.2")
