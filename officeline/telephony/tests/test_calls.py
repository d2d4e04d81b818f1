"""Calls through our Kamailio with SIPp phones: internal, suspended, emergency, abroad."""

from __future__ import annotations

import email
import email.message
from xml.etree import ElementTree

import pytest

from officeline.lines.models import Line
from officeline.lines.services import lines as services
from officeline.telephony.kamailio import free_port
from officeline.telephony.sipp import Answerer, run_scenario
from officeline.telephony.tests.phones import PASSWORD, phone_line, register_phone

pytestmark = [pytest.mark.sip, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kamailio(module_kamailio):
    return module_kamailio


def test_line1_internal_call_rings_the_registered_callee(kamailio, test_clock):
    _, caller = phone_line("+442079460201")
    _, callee = phone_line("+442079460202")
    callee_port = free_port()
    registered = run_scenario(
        "register.xml",
        host="127.0.0.1",
        port=kamailio.listen_port,
        username=callee,
        password=PASSWORD,
        local_port=callee_port,
    )
    assert registered.succeeded, registered.output
    with Answerer(callee_port) as phone:
        call = run_scenario(
            "call.xml",
            host="127.0.0.1",
            port=kamailio.listen_port,
            username=caller,
            password=PASSWORD,
            dial="442079460202",
        )
        answered = phone.result()
    assert call.succeeded, call.output
    assert answered.succeeded, answered.output


def test_an_internal_call_rings_every_device_of_the_line_and_the_first_answer_wins(
    kamailio, test_clock
):
    """Parallel forking: both registered devices of the callee's line ring; the one that
    answers gets the call and the other is sent a CANCEL (and answers 487)."""
    _, caller = phone_line("+442079460211")
    line, desk = phone_line("+442079460212")
    second, _ = services.add_device(line=line, kind="desk_phone", actor=None, password=PASSWORD)
    answering_port = register_phone(kamailio, desk)
    ringing_port = register_phone(kamailio, second.sip_username)
    with (
        Answerer(answering_port) as answering,
        Answerer(ringing_port, scenario="uas_ring_cancel.xml") as ringing,
    ):
        call = run_scenario(
            "call.xml",
            host="127.0.0.1",
            port=kamailio.listen_port,
            username=caller,
            password=PASSWORD,
            dial="442079460212",
        )
        answered = answering.result()
        cancelled = ringing.result()
    assert call.succeeded, call.output
    assert answered.succeeded, answered.output
    assert cancelled.succeeded, cancelled.messages
    assert "CANCEL sip:" in cancelled.messages


def test_life1_a_suspended_line_is_refused_with_a_reason(kamailio, test_clock):
    line, caller = phone_line("+442079460203")
    phone_line("+442079460204")
    services.suspend_line(line=line, ground="breach", actor=None)
    call = run_scenario(
        "call_refused.xml",
        host="127.0.0.1",
        port=kamailio.listen_port,
        username=caller,
        password=PASSWORD,
        dial="442079460204",
    )
    assert call.succeeded, call.output
    assert "Line suspended" in call.messages


def test_emg3_a_suspended_line_still_reaches_the_emergency_gateway_with_number_and_location(
    kamailio, test_clock, gateway_port
):
    """EMG-3: emergency numbers are routed ahead of suspension, with the line's number and location."""
    line, caller = phone_line("+442079460205")
    services.suspend_line(line=line, ground="non_payment", actor=None)
    with Answerer(gateway_port) as gateway:
        call = run_scenario(
            "call.xml",
            host="127.0.0.1",
            port=kamailio.listen_port,
            username=caller,
            password=PASSWORD,
            dial="999",
        )
        received = gateway.result()
    assert call.succeeded, call.output
    invite = _received_invite(received.messages)
    assert invite["P-Asserted-Identity"] == "<sip:+442079460205@officeline.test>"
    assert invite["Geolocation-Routing"] == "yes"
    # The body: the SDP, then the PIDF-LO that the Geolocation header points to (RFC 6442).
    assert invite.get_content_type() == "multipart/mixed"
    parts = invite.get_payload()
    assert isinstance(parts, list) and len(parts) == 2
    sdp, pidf = (part for part in parts if isinstance(part, email.message.Message))
    assert sdp.get_content_type() == "application/sdp" and "m=audio" in sdp.get_payload()
    assert pidf.get_content_type() == "application/pidf+xml"
    assert invite["Geolocation"] == f"<cid:{pidf['Content-ID'].strip('<>')}>"
    building = line.number.building
    assert _civic_address(pidf.get_payload()) == {
        "country": "GB",
        "A3": building.city,
        "RD": "Example Street",
        "HNO": building.address_line1.split()[0],
        "NAM": building.name,
        "PC": building.postcode,
    }


def _received_invite(messages: str) -> email.message.Message:
    """The INVITE a SIPp received, from its message log, as an email message (headers, parts)."""
    start = messages.index("INVITE sip:")
    text = messages[start:].split("\n------------", 1)[0].replace("\r\n", "\n")
    return email.message_from_string(text.split("\n", 1)[1].strip("\n") + "\n")


def _civic_address(document: str) -> dict[str, str]:
    """The civic address of a PIDF-LO (RFC 4119, RFC 5491, RFC 5139), parsed as XML."""
    ns = {
        "pidf": "urn:ietf:params:xml:ns:pidf",
        "dm": "urn:ietf:params:xml:ns:pidf:data-model",
        "gp": "urn:ietf:params:xml:ns:pidf:geopriv10",
        "ca": "urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr",
    }
    root = ElementTree.fromstring(document.strip().encode())
    assert root.tag == "{urn:ietf:params:xml:ns:pidf}presence"
    geopriv = root.find("dm:device/gp:geopriv", ns)
    assert geopriv is not None and geopriv.find("gp:usage-rules", ns) is not None
    address = geopriv.find("gp:location-info/ca:civicAddress", ns)
    assert address is not None
    return {element.tag.split("}")[1]: element.text or "" for element in address}


def test_emg4_a_line_in_use_abroad_gets_a_clear_refusal(kamailio, test_clock):
    """EMG-4: no emergency calls abroad, and the caller is told so rather than met with silence."""
    line, caller = phone_line("+442079460206")
    Line.objects.filter(pk=line.pk).update(in_use_abroad=True)
    call = run_scenario(
        "call_refused.xml",
        host="127.0.0.1",
        port=kamailio.listen_port,
        username=caller,
        password=PASSWORD,
        dial="112",
    )
    assert call.succeeded, call.output
    assert "Emergency calls are not available abroad" in call.messages
