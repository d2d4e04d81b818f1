"""``officeline sip_endpoint``: a missing or malformed address is a clear error, not a trace."""

from __future__ import annotations

import time
import wave

import pytest
from django.core.management import CommandError, call_command

from officeline.telephony.media.endpoint import (
    Recording,
    hand_over_closed,
    sip_host_port,
    uri_user,
    wav_closed,
)


def test_an_endpoint_without_its_address_names_the_setting(settings):
    settings.CARRIER_TRUNK = ""
    with pytest.raises(CommandError, match="OFFICELINE_CARRIER_TRUNK is not set"):
        call_command("sip_endpoint", "trunk")


def test_a_malformed_address_is_refused(settings):
    settings.EMERGENCY_GATEWAY = "gateway.example:5060"
    with pytest.raises(CommandError, match="OFFICELINE_EMERGENCY_GATEWAY: not a SIP URI"):
        call_command("sip_endpoint", "gateway")


def test_sip_uris_give_their_host_and_port():
    assert sip_host_port("sip:127.0.0.1:5062") == ("127.0.0.1", 5062)
    assert sip_host_port("sip:trunk@carrier.example;transport=udp") == ("carrier.example", 5060)


def test_voicemail_reads_the_lines_number_and_the_asserted_caller():
    assert uri_user("INVITE sip:+442079460802@officeline.test SIP/2.0") == "+442079460802"
    assert uri_user("<sip:+442079460801@officeline.test>;tag=1") == "+442079460801"
    assert uri_user("Anonymous <sip:anonymous.invalid>") == ""


def test_voicemail_without_its_address_names_the_setting(settings):
    settings.VOICEMAIL = ""
    with pytest.raises(CommandError, match="OFFICELINE_VOICEMAIL is not set"):
        call_command("sip_endpoint", "voicemail")


def test_a_recording_is_handed_over_only_once_its_wav_file_is_closed(tmp_path):
    """pjmedia's recorder writes the header's lengths when it closes the file, on the conference
    bridge's clock after the call ends; a file handed over before then reads as no WAV at all."""
    path = tmp_path / "message.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(b"\x01\x00" * 800)
    assert wav_closed(path)
    closed = path.read_bytes()
    path.write_bytes(closed[:4] + b"\x00\x00\x00\x00" + closed[8:])  # as the recorder opened it
    assert not wav_closed(path)

    handed: list[Recording] = []
    recording = Recording(call_id="1@test", number="+442079460802", caller="", path=path)
    finished = [(recording, time.monotonic() + 60)]
    hand_over_closed(finished, handed.append, lambda text: None)
    assert handed == [] and finished

    path.write_bytes(closed)
    hand_over_closed(finished, handed.append, lambda text: None)
    assert handed == [recording] and finished == []
    assert not wav_closed(tmp_path / "missing.wav")
