"""What an attacker sends at Kamailio, and what must not come of it: requests that claim to be
within a dialog of ours reach neither the carrier trunk nor the emergency gateway and write no
call event; a phone cannot register our own destinations as its Contact nor assert an identity;
a flood of unauthenticated emergency calls is limited while an authenticated one goes through;
the trunk authenticates with its digest credentials."""

from __future__ import annotations

import re
import socket
import threading
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from officeline.telephony.kamailio import KamailioProcess, digest_ha1
from officeline.telephony.models import CallEvent, Registration
from officeline.telephony.sipp import Answerer, run_scenario
from officeline.telephony.tests.conftest import kamailio_config
from officeline.telephony.tests.phones import PASSWORD, phone_line, register_phone
from officeline.telephony.tests.raw_sip import RawSip, proxy_authorization, status
from officeline.usage.models import CallRecord
from officeline.usage.services.calls import record_calls

pytestmark = [pytest.mark.sip, pytest.mark.django_db(transaction=True)]

TRUNK_SOURCE = "127.0.0.5"  # where the carrier's calls come from (its calls go elsewhere)
TRUNK_USERNAME = "carrier"
TRUNK_PASSWORD = "trunk-secret-1"
FORGED = "+441632960999"  # the identity an attacker claims


class Listener:
    """A UDP socket that records every datagram sent to it (the trunk, the gateway)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.received: list[str] = []
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                data, _ = self.sock.recvfrom(65535)
            except OSError:
                return
            self.received.append(data.decode(errors="replace"))

    def requests(self, method: str, wait: float = 1.0) -> list[str]:
        """The ``method`` requests received, after ``wait`` seconds for any still on their way."""
        time.sleep(wait)
        return [m for m in self.received if m.startswith(f"{method} ")]

    def close(self) -> None:
        self.sock.close()


def response(request: str, code: int, reason: str) -> bytes:
    """The answer ``code`` to ``request``, as its recipient sends it back."""
    keep = ("via:", "record-route:", "from:", "to:", "call-id:", "cseq:")
    headers = [
        h for h in request.split("\r\n\r\n", 1)[0].split("\r\n")[1:] if h.lower().startswith(keep)
    ]
    headers = [
        h + ";tag=answered" if h.lower().startswith("to:") and ";tag=" not in h else h
        for h in headers
    ]
    return (
        "\r\n".join([f"SIP/2.0 {code} {reason}", *headers, "Content-Length: 0", "", ""])
    ).encode()


def busy(raw: RawSip, request: str | None) -> None:
    """A phone that rings answers busy, so that the call ends here and now."""
    assert request and request.startswith("INVITE "), request
    raw.send(response(request, 486, "Busy Here"))


@pytest.fixture(scope="module")
def outside():
    trunk, gateway = Listener(), Listener()
    yield trunk, gateway
    trunk.close()
    gateway.close()


@pytest.fixture(scope="module")
def kamailio(django_db_setup, tmp_path_factory, outside):
    trunk, gateway = outside
    config = kamailio_config(
        tmp_path_factory.mktemp("kamailio"),
        carrier_trunk=f"sip:127.0.0.1:{trunk.port}",
        emergency_gateway=f"sip:127.0.0.1:{gateway.port}",
        trunk_sources=TRUNK_SOURCE,
        trunk_auth="digest",
        trunk_username=TRUNK_USERNAME,
        trunk_ha1=digest_ha1(TRUNK_USERNAME, settings.SIP_DOMAIN, TRUNK_PASSWORD),
    )
    process = KamailioProcess(config)
    process.start()
    yield config
    process.stop()


@pytest.fixture
def reached(outside):
    """What reaches the trunk and the gateway during the test."""
    trunk, gateway = outside
    trunk.received.clear()
    gateway.received.clear()
    return trunk, gateway


def invite(
    raw: RawSip, uri: str, username: str, password: str, headers: str = "", *, wait: bool = True
) -> str | None:
    """An INVITE to ``uri``, answering the challenge with ``username``'s credentials; the
    final answer, or None (not waited for, or a call that rings with no answer)."""
    call_id = uuid.uuid4().hex
    challenge = raw.ask(raw.request("INVITE", uri, user=username, call_id=call_id))
    assert status(challenge) == 407, challenge
    credentials = proxy_authorization(challenge or "", uri, username, password)
    request = raw.request(
        "INVITE", uri, user=username, call_id=call_id, cseq=2, headers=headers + credentials
    )
    if not wait:
        raw.send(request)
        return None
    return raw.ask(request)


def test_an_invite_claiming_a_dialog_reaches_neither_the_trunk_nor_the_gateway(kamailio, reached):
    """A To tag and a Request-URI naming the trunk or the gateway were relayed as they were,
    with the identity the attacker chose; now they are refused and write nothing."""
    trunk, gateway = reached
    pai = f"P-Asserted-Identity: <sip:{FORGED}@officeline.test>\r\n"
    with RawSip(kamailio.listen_port) as attacker:
        for uri in (
            f"sip:+442079460000@127.0.0.1:{trunk.port}",
            f"sip:999@127.0.0.1:{gateway.port}",
            "sip:+442079460000@officeline.test",
        ):
            answer = attacker.ask(
                attacker.request("INVITE", uri, to_tag="forged", headers=pai), timeout=0.5
            )
            assert status(answer) == 403, answer
    assert trunk.requests("INVITE") == []
    assert gateway.requests("INVITE", wait=0) == []
    assert not CallEvent.objects.exists()


def test_a_preloaded_route_to_us_without_our_signature_is_refused(kamailio, reached):
    """A Route naming Kamailio (loose_route takes it) is not enough: it must carry the
    signature of the dialog, which an attacker cannot make."""
    trunk, gateway = reached
    here = f"127.0.0.1:{kamailio.listen_port}"
    with RawSip(kamailio.listen_port) as attacker:
        for route in (f"<sip:{here};lr>", f"<sip:{here};lr;olsig={'0' * 32}>"):
            for uri in (
                f"sip:+442079460000@127.0.0.1:{trunk.port}",
                f"sip:112@127.0.0.1:{gateway.port}",
            ):
                answer = attacker.ask(
                    attacker.request("INVITE", uri, to_tag="forged", headers=f"Route: {route}\r\n"),
                    timeout=0.5,
                )
                assert status(answer) == 403, answer
    assert trunk.requests("INVITE") == []
    assert gateway.requests("INVITE", wait=0) == []
    assert not CallEvent.objects.exists()


def test_a_message_within_no_dialog_of_ours_is_not_relayed(kamailio, reached):
    trunk, _ = reached
    with RawSip(kamailio.listen_port) as attacker:
        answer = attacker.ask(
            attacker.request(
                "MESSAGE",
                f"sip:+442079460000@127.0.0.1:{trunk.port}",
                to_tag="forged",
                headers="Content-Type: text/plain\r\n",
                body="hello",
            ),
            timeout=0.5,
        )
    assert status(answer) == 403, answer
    assert trunk.requests("MESSAGE") == []


def test_a_forged_bye_does_not_end_a_real_call(kamailio, test_clock):
    """An answered call (its own BYE along our signed route ends it), then a BYE from
    elsewhere with its Call-ID: refused, and the call's events and record stay as they were."""
    _, caller = phone_line("+442079460601")
    _, callee = phone_line("+442079460602")
    callee_port = register_phone(kamailio, callee)
    with Answerer(callee_port) as phone:
        call = run_scenario(
            "call.xml",
            host="127.0.0.1",
            port=kamailio.listen_port,
            username=caller,
            password=PASSWORD,
            dial="442079460602",
            pause_ms=1500,
        )
        answered = phone.result()
    assert call.succeeded, call.output
    assert answered.succeeded, answered.output
    call_id = CallEvent.objects.get(kind="start").call_id
    assert list(
        CallEvent.objects.filter(call_id=call_id).values_list("kind", flat=True).order_by("at_us")
    ) == [
        "start",
        "answer",
        "end",
    ]
    record_calls()
    before = CallRecord.objects.get(call_id=call_id)
    assert before.duration_seconds >= 1
    events = set(CallEvent.objects.values_list("event_id", flat=True))

    here = f"127.0.0.1:{kamailio.listen_port}"
    with RawSip(kamailio.listen_port) as attacker:
        for headers in ("", f"Route: <sip:{here};lr>\r\n"):
            answer = attacker.ask(
                attacker.request(
                    "BYE",
                    f"sip:{callee}@127.0.0.1:{callee_port}",
                    call_id=call_id,
                    to_tag="forged",
                    cseq=9,
                    headers=headers,
                ),
                timeout=0.5,
            )
            assert status(answer) == 403, answer
    assert set(CallEvent.objects.values_list("event_id", flat=True)) == events
    record_calls()
    after = CallRecord.objects.get(call_id=call_id)
    assert (after.duration_seconds, after.disposition) == (
        before.duration_seconds,
        before.disposition,
    )


@pytest.mark.parametrize(
    "target",
    ["trunk", "gateway", "kamailio", "domain"],
)
def test_a_contact_at_one_of_our_destinations_is_refused(kamailio, outside, target, test_clock):
    trunk, gateway = outside
    contact = {
        "trunk": f"sip:+442079460000@127.0.0.1:{trunk.port}",
        "gateway": f"sip:999@127.0.0.1:{gateway.port}",
        "kamailio": f"sip:x@127.0.0.1:{kamailio.listen_port}",
        "domain": "sip:x@officeline.test",
    }[target]
    _, username = phone_line("+442079460611")
    with RawSip(kamailio.listen_port) as phone:
        answer = phone.register(username, PASSWORD, contact=contact)
    assert status(answer) == 403, answer
    reason = answer.split("\r\n", 1)[0] if answer else ""
    assert "Contact not allowed" in reason, reason
    assert not Registration.objects.filter(username=username).exists()


def test_a_call_is_never_forked_to_a_registration_at_the_trunk(kamailio, reached, test_clock):
    """A registration from before such Contacts were refused, at the trunk: the line's other
    phone rings, the trunk is sent nothing; with no other phone, the call is not put through."""
    trunk, _ = reached
    _, caller = phone_line("+442079460651")
    _, callee = phone_line("+442079460652")
    _, alone = phone_line("+442079460653")
    for username in (callee, alone):
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO location (ruid, username, contact, expires, last_modified, user_agent)"
                " VALUES (%s, %s, %s, '2099-01-01 00:00:00', '2026-01-01 00:00:00', 'old')",
                [uuid.uuid4().hex, username, f"sip:{username}@127.0.0.1:{trunk.port}"],
            )
    with RawSip(kamailio.listen_port) as callee_phone, RawSip(kamailio.listen_port) as phone:
        assert status(callee_phone.register(callee, PASSWORD)) == 200
        invite(phone, "sip:+442079460652@officeline.test", caller, PASSWORD, wait=False)
        busy(callee_phone, callee_phone.receive(2.0))
    with RawSip(kamailio.listen_port) as phone:
        answer = invite(phone, "sip:+442079460653@officeline.test", caller, PASSWORD)
    assert status(answer) == 480, answer
    assert trunk.requests("INVITE") == []


def test_a_phone_cannot_assert_an_identity(kamailio, test_clock):
    """The callee sees no P-Asserted-Identity or P-Preferred-Identity the caller made up."""
    _, caller = phone_line("+442079460621")
    _, callee = phone_line("+442079460622")
    with RawSip(kamailio.listen_port) as callee_phone, RawSip(kamailio.listen_port) as phone:
        assert status(callee_phone.register(callee, PASSWORD)) == 200
        headers = (
            f"P-Asserted-Identity: <sip:{FORGED}@officeline.test>\r\n"
            f"P-Preferred-Identity: <sip:{FORGED}@officeline.test>\r\n"
        )
        invite(phone, "sip:+442079460622@officeline.test", caller, PASSWORD, headers, wait=False)
        ringing = callee_phone.receive(2.0)
        busy(callee_phone, ringing)
    assert ringing and ringing.startswith("INVITE "), ringing
    assert FORGED not in ringing, ringing
    assert "P-Preferred-Identity" not in ringing


def test_a_flood_of_unauthenticated_emergency_calls_is_limited_an_authenticated_one_is_not(
    kamailio, reached, test_clock
):
    """EMG-3 without credentials is no pass through pike: a source flooding INVITEs to 999
    is dropped like any other; the line's own emergency call from there still goes through."""
    _, gateway = reached
    line, username = phone_line("+442079460631")
    uri = "sip:999@officeline.test"
    with RawSip(kamailio.listen_port, source="127.0.0.77") as phone:
        call_id = uuid.uuid4().hex
        challenge = phone.ask(phone.request("INVITE", uri, user=username, call_id=call_id))
        assert status(challenge) == 407, challenge
        sent = 200
        for _ in range(sent):
            phone.send(phone.request("INVITE", uri, user=username))
        answered = 0
        while phone.receive(0.3) is not None:
            answered += 1
        assert answered < sent / 2, answered
        credentials = proxy_authorization(challenge or "", uri, username, PASSWORD)
        phone.send(
            phone.request(
                "INVITE", uri, user=username, call_id=call_id, cseq=2, headers=credentials
            )
        )
        arrived = gateway.requests("INVITE", wait=1.5)
    assert arrived, "the authenticated emergency call did not reach the gateway"
    gateway.sock.sendto(response(arrived[0], 486, "Busy Here"), ("127.0.0.1", kamailio.listen_port))
    assert line.number.e164 in arrived[0]
    assert CallEvent.objects.filter(kind="start", route="emergency").count() == 1


def test_the_trunk_must_authenticate_and_its_asserted_caller_is_taken(kamailio, test_clock):
    """From the trunk's address, an INVITE without credentials is challenged, one with wrong
    credentials refused; with its credentials it rings the line, and the caller is the
    trunk's P-Asserted-Identity rather than its From."""
    _, callee = phone_line("+442079460641")
    uri = "sip:+442079460641@officeline.test"
    pai = "P-Asserted-Identity: <sip:+33199001234@carrier.example>\r\n"
    with (
        RawSip(kamailio.listen_port) as phone,
        RawSip(kamailio.listen_port, source=TRUNK_SOURCE) as trunk,
    ):
        assert status(phone.register(callee, PASSWORD)) == 200
        call_id = uuid.uuid4().hex
        challenge = trunk.ask(trunk.request("INVITE", uri, user="+33100000000", call_id=call_id))
        assert status(challenge) == 407, challenge
        wrong = proxy_authorization(challenge or "", uri, TRUNK_USERNAME, "not-the-password")
        refused = trunk.ask(
            trunk.request(
                "INVITE", uri, user="+33100000000", call_id=call_id, cseq=2, headers=wrong
            )
        )
        assert status(refused) == 403, refused
        assert not CallEvent.objects.exists()
        right = proxy_authorization(challenge or "", uri, TRUNK_USERNAME, TRUNK_PASSWORD)
        trunk.send(
            trunk.request(
                "INVITE", uri, user="+33100000000", call_id=call_id, cseq=3, headers=pai + right
            )
        )
        ringing = phone.receive(2.0)
        busy(phone, ringing)
    assert ringing and ringing.startswith("INVITE "), ringing
    start = CallEvent.objects.get(kind="start")
    assert (start.route, start.caller) == ("inbound", "+33199001234")


def test_a_forged_answer_writes_no_answer_event(kamailio, test_clock):
    """A 200 with a ringing call's Call-ID, from elsewhere and not of the INVITE we relayed,
    is no answer: the call's record would have shown it answered and billed."""
    _, caller = phone_line("+442079460661")
    _, callee = phone_line("+442079460662")
    with (
        RawSip(kamailio.listen_port) as callee_phone,
        RawSip(kamailio.listen_port) as phone,
        RawSip(kamailio.listen_port) as attacker,
    ):
        assert status(callee_phone.register(callee, PASSWORD)) == 200
        invite(phone, "sip:+442079460662@officeline.test", caller, PASSWORD, wait=False)
        ringing = callee_phone.receive(2.0)
        assert ringing and ringing.startswith("INVITE "), ringing
        forged = response(ringing, 200, "OK").replace(b"branch=z9hG4bK", b"branch=z9hG4bKforged", 1)
        attacker.send(forged)
        time.sleep(0.5)
        busy(callee_phone, ringing)
        # Kamailio passes on a reply it has no transaction for as it is (stateless), so the
        # caller may see the forged 200 first; then the callee's real answer.
        while (answer := phone.receive(2.0)) and status(answer) != 486:
            pass
        assert status(answer) == 486, answer
    call_id = CallEvent.objects.get(kind="start").call_id
    kinds = sorted(CallEvent.objects.filter(call_id=call_id).values_list("kind", flat=True))
    assert kinds == ["fail", "start"], kinds


def test_our_route_of_one_call_does_not_lead_to_the_trunk(kamailio, reached, test_clock):
    """Within an answered internal call the caller's BYE goes along our signed route to the
    callee; the same route, signed for a call between two phones, does not take a request
    to the trunk."""
    trunk, _ = reached
    _, caller = phone_line("+442079460671")
    _, callee = phone_line("+442079460672")
    with RawSip(kamailio.listen_port) as callee_phone, RawSip(kamailio.listen_port) as phone:
        assert status(callee_phone.register(callee, PASSWORD)) == 200
        call_id = uuid.uuid4().hex
        uri = "sip:+442079460672@officeline.test"
        challenge = phone.ask(phone.request("INVITE", uri, user=caller, call_id=call_id))
        credentials = proxy_authorization(challenge or "", uri, caller, PASSWORD)
        phone.send(
            phone.request("INVITE", uri, user=caller, call_id=call_id, cseq=2, headers=credentials)
        )
        ringing = callee_phone.receive(2.0)
        assert ringing and ringing.startswith("INVITE "), ringing
        route = re.search(r"^Record-Route: (.*)$", ringing, re.M)
        assert route and "olsig=" in route.group(1), ringing
        callee_phone.send(response(ringing, 200, "OK"))
        while (answer := phone.receive(2.0)) and status(answer) != 200:
            pass
        assert status(answer) == 200, answer
        contact = f"sip:{callee}@127.0.0.1:{callee_phone.local_port}"
        in_dialog = {"user": caller, "call_id": call_id, "to_tag": "answered"}
        headers = f"Route: {route.group(1).strip()}\r\n"
        phone.send(phone.request("ACK", contact, cseq=2, headers=headers, **in_dialog))
        forged = phone.ask(
            phone.request(
                "INVITE",
                f"sip:+442079460000@127.0.0.1:{trunk.port}",
                cseq=3,
                headers=headers,
                **in_dialog,
            ),
            timeout=0.5,
        )
        assert status(forged) == 403, forged
        phone.send(phone.request("BYE", contact, cseq=4, headers=headers, **in_dialog))
        while (bye := callee_phone.receive(2.0)) and not bye.startswith("BYE "):
            pass
        assert bye and bye.startswith("BYE "), bye
    assert trunk.requests("INVITE") == []
    kinds = sorted(CallEvent.objects.filter(call_id=call_id).values_list("kind", flat=True))
    assert kinds == ["answer", "end", "start"], kinds
