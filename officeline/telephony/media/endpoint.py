"""Small SIP user agents of the project (pjsua2): the echo test, voicemail, and the local
carrier trunk and emergency gateway that ``make run`` starts in place of the real ones.

Each answers every call it gets and hangs up after ``max_seconds`` of talk. The echo test,
the trunk and the gateway send back the audio they receive (so a caller hears themselves:
the echo test). The trunk and the gateway stand in for the outside world in development:
they print what a carrier or an emergency service would receive (the caller ID, the
asserted identity, the location) so that a newcomer's external and emergency calls do
something visible. Voicemail answers for the line whose number is in the Request-URI
(Kamailio sends it the calls a line did not answer): it plays a short tone, records what
the caller says to a WAV file until they hang up or ``max_seconds`` pass, and hands the
recording to ``on_message`` (the receiver the usage app registers in
``officeline.telephony.voicemail_receiver``, which keeps it on the line).

Run one with ``officeline sip_endpoint ROLE`` (from the settings) or
``python -m officeline.telephony.media.endpoint --role echo --port 5062 --rtp-port 31000``.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from officeline.telephony import voicemail_receiver as voicemail_receiver_registry
from officeline.telephony.kamailio import sip_options
from officeline.telephony.process import ManagedProcess

ROLES = ("echo", "trunk", "gateway", "voicemail")
# What each role prints of an incoming INVITE (the headers a carrier or an emergency service reads).
LOGGED_HEADERS = {
    "echo": ("From",),
    "trunk": ("From", "P-Asserted-Identity"),
    "gateway": ("From", "P-Asserted-Identity", "Geolocation", "Priority"),
    "voicemail": ("From", "P-Asserted-Identity"),
}
# The tone a caller hears before speaking to voicemail: 440 Hz, half a second.
VOICEMAIL_TONE_MS = 500
# How long a finished message waits for the recorder to close its file before it is handed over.
RECORDER_CLOSE_SECONDS = 5.0
SIP_USER = re.compile(r"sips?:([^@;>\s]+)@")
# The civic address elements of a PIDF-LO body (RFC 5139), as the gateway prints them.
CIVIC_ELEMENT = re.compile(r"<(?:\w+:)?(country|A\d|RD|HNO|HNS|LOC|NAM|PC)>([^<]*)</")


def sip_host_port(uri: str) -> tuple[str, int]:
    """``sip:127.0.0.1:5062`` -> ("127.0.0.1", 5062); the port is 5060 when absent."""
    match = re.fullmatch(r"sips?:(?:[^@]*@)?([^:;>]+)(?::(\d+))?(?:;.*)?", uri.strip())
    if not match:
        raise ValueError(f"not a SIP URI: {uri!r}")
    return match.group(1), int(match.group(2) or 5060)


def civic_address_of(message: str) -> str:
    """The civic address in a message's PIDF-LO body ("country=GB, A3=London, ..."), or ""."""
    return ", ".join(f"{name}={value}" for name, value in CIVIC_ELEMENT.findall(message))


def headers_of(message: str, names: tuple[str, ...]) -> dict[str, str]:
    """The first value of each named header in a SIP message (compact forms included)."""
    compact = {"f": "From", "t": "To"}
    found: dict[str, str] = {}
    for line in message.split("\r\n\r\n", 1)[0].split("\r\n")[1:]:
        name, sep, value = line.partition(":")
        if not sep:
            continue
        name = compact.get(name.strip().lower(), name.strip())
        for wanted in names:
            if name.lower() == wanted.lower() and wanted not in found:
                found[wanted] = value.strip()
    return found


def uri_user(value: str) -> str:
    """The user part of the first SIP URI in a header or request line ("+4420...", "999"), or ""."""
    match = SIP_USER.search(value)
    return match.group(1) if match else ""


@dataclass(frozen=True)
class Recording:
    """A message voicemail took: the line's number it was for, who left it, and its WAV file."""

    call_id: str
    number: str
    caller: str
    path: Path


def wav_closed(path: Path) -> bool:
    """Whether the recorder has closed ``path``: it writes the WAV header with zero lengths when
    it opens the file and the real ones when it closes it, which pjmedia's conference bridge
    does on its own clock, a little after the call ends."""
    try:
        with path.open("rb") as wav:
            header = wav.read(8)
        size = path.stat().st_size
    except OSError:
        return False
    return (
        len(header) == 8
        and header[:4] == b"RIFF"
        and int.from_bytes(header[4:], "little") == size - 8
    )


@dataclass(frozen=True)
class EndpointConfig:
    role: str
    host: str
    port: int
    rtp_port: int  # the first RTP port; each call takes the next free pair
    workdir: Path
    max_seconds: int = 300  # a call is hung up after this much talk
    # Added to the process's environment (voicemail: the database and media root it keeps to).
    environment: dict[str, str] = field(default_factory=dict)

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "officeline.telephony.media.endpoint",
            f"--role={self.role}",
            f"--host={self.host}",
            f"--port={self.port}",
            f"--rtp-port={self.rtp_port}",
            f"--max-seconds={self.max_seconds}",
            f"--workdir={self.workdir}",
        ]


class EndpointProcess(ManagedProcess):
    """One SIP endpoint, for tests and ``make run``; ready when it answers OPTIONS."""

    def __init__(self, config: EndpointConfig) -> None:
        super().__init__(config.workdir, f"sip-{config.role}.log")
        self.config = config
        self.name = f"the {config.role} endpoint"

    def command(self) -> list[str]:
        return self.config.command()

    def environment(self) -> dict[str, str]:
        return {**super().environment(), **self.config.environment}

    def ready(self) -> bool:
        return bool(sip_options(self.config.host, self.config.port))


def run(
    config: EndpointConfig,
    out: Any = sys.stdout,
    on_message: Callable[[Recording], object] | None = None,
) -> None:
    """Answer calls until SIGTERM or SIGINT: echo them, or take messages (voicemail)."""
    import pjsua2 as pj  # a large native library: loaded only by the process that runs it

    def say(text: str) -> None:
        out.write(f"{config.role}: {text}\n")
        out.flush()

    calls: dict[int, Any] = {}
    recordings_dir = config.workdir / "voicemail-recordings"
    # Handed to on_message from the main loop, not a callback, once the file is closed.
    finished: list[tuple[Recording, float]] = []

    class Call(pj.Call):  # type: ignore[misc]
        recording: Recording | None = None
        recorder: Any = None
        tone: Any = None

        def onCallState(self, prm: Any) -> None:
            info = self.getInfo()
            if info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
                say(f"call {info.callIdString} ended ({info.lastStatusCode} {info.lastReason})")
                if self.recorder is not None:
                    # Dropping the recorder closes the WAV file, with its length in the header.
                    self.recorder = self.tone = None
                    assert self.recording is not None
                    finished.append((self.recording, time.monotonic() + RECORDER_CLOSE_SECONDS))
                calls.pop(info.id, None)

        def onCallMediaState(self, prm: Any) -> None:
            info = self.getInfo()
            for index, media in enumerate(info.media):
                if (
                    media.type == pj.PJMEDIA_TYPE_AUDIO
                    and media.status == pj.PJSUA_CALL_MEDIA_ACTIVE
                ):
                    audio = self.getAudioMedia(index)
                    if self.recording is not None:
                        self.take_message(audio)
                    else:
                        audio.startTransmit(audio)  # what comes in goes back out: the echo

        def take_message(self, audio: Any) -> None:
            """Voicemail: a short tone to the caller, then what they say goes to the file."""
            if self.recorder is not None:
                return  # a re-INVITE: the recording goes on
            tone = pj.ToneDesc()
            tone.freq1, tone.freq2, tone.on_msec, tone.off_msec = 440, 0, VOICEMAIL_TONE_MS, 0
            tones = pj.ToneDescVector()
            tones.append(tone)
            self.tone = pj.ToneGenerator()
            self.tone.createToneGenerator()
            self.tone.play(tones, False)
            self.tone.startTransmit(audio)
            assert self.recording is not None
            self.recorder = pj.AudioMediaRecorder()
            self.recorder.createRecorder(str(self.recording.path))
            audio.startTransmit(self.recorder)

    class Account(pj.Account):  # type: ignore[misc]
        def onIncomingCall(self, prm: Any) -> None:
            call = Call(self, prm.callId)
            calls[prm.callId] = call
            message = str(prm.rdata.wholeMsg)
            request_line = message.split("\r\n", 1)[0]
            seen = headers_of(message, LOGGED_HEADERS[config.role])
            if config.role == "voicemail":
                call.recording = Recording(
                    call_id=call.getInfo().callIdString,
                    number=uri_user(request_line),
                    # The routing asserts the caller's number; a phone's From is its login.
                    caller=uri_user(seen.get("P-Asserted-Identity") or seen.get("From", "")),
                    path=recordings_dir / f"{uuid.uuid4().hex}.wav",
                )
            if config.role == "gateway":
                seen["Location"] = civic_address_of(message)
            details = "; ".join(f"{name}: {value}" for name, value in seen.items())
            say(f"call {call.getInfo().callIdString}: {request_line}; {details}")
            answer = pj.CallOpParam()
            answer.statusCode = 200
            call.answer(answer)

    endpoint = _start_endpoint(pj, config)
    recordings_dir.mkdir(parents=True, exist_ok=True)
    account = Account()
    account.create(_account_config(pj, config), True)

    def hang_up_long_calls() -> None:
        # A function of its own, so that no Call outlives it in a local variable: one
        # still referenced after libDestroy() aborts the process when it is deleted.
        for call in list(calls.values()):
            info = call.getInfo()
            if (
                info.state == pj.PJSIP_INV_STATE_CONFIRMED
                and info.connectDuration.sec >= config.max_seconds
            ):
                call.hangup(pj.CallOpParam())

    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    say(f"answering on sip:{config.host}:{config.port}, RTP from port {config.rtp_port}")
    next_check = time.monotonic()
    while not stopping:
        endpoint.libHandleEvents(50)
        hand_over_closed(finished, on_message, say)
        if time.monotonic() >= next_check:
            next_check = time.monotonic() + 1
            hang_up_long_calls()
    endpoint.hangupAllCalls()
    give_up = time.monotonic() + 2
    while finished or (calls and time.monotonic() < give_up):
        endpoint.libHandleEvents(20)
        hand_over_closed(finished, on_message, say)
    calls.clear()  # no Call may outlive libDestroy()
    account.shutdown()
    endpoint.libDestroy()


def _start_endpoint(pj: Any, config: EndpointConfig) -> Any:
    """pjsua2's library, started: no sound card, no echo cancelling, UDP on the role's address."""
    endpoint = pj.Endpoint()
    endpoint.libCreate()
    ep_config = pj.EpConfig()
    ep_config.uaConfig.threadCnt = 0
    ep_config.uaConfig.mainThreadOnly = True
    ep_config.uaConfig.maxCalls = 32
    ep_config.uaConfig.userAgent = f"Officeline {config.role}"
    ep_config.logConfig.level = 1
    ep_config.logConfig.consoleLevel = 1
    ep_config.medConfig.clockRate = 8000
    ep_config.medConfig.sndClockRate = 8000
    ep_config.medConfig.ecTailLen = 0  # no echo cancelling: the echo is the point
    endpoint.libInit(ep_config)
    endpoint.audDevManager().setNullDev()  # no sound card: the conference bridge runs on its own clock
    transport = pj.TransportConfig()
    transport.boundAddress = config.host
    transport.publicAddress = config.host
    transport.port = config.port
    endpoint.transportCreate(pj.PJSIP_TRANSPORT_UDP, transport)
    endpoint.libStart()
    return endpoint


def _account_config(pj: Any, config: EndpointConfig) -> Any:
    """The role's account: its SIP URI, and RTP on its address from ``rtp_port``."""
    account_config = pj.AccountConfig()
    account_config.idUri = f"sip:{config.role}@{config.host}:{config.port}"
    account_config.mediaConfig.transportConfig.boundAddress = config.host
    account_config.mediaConfig.transportConfig.publicAddress = config.host
    account_config.mediaConfig.transportConfig.port = config.rtp_port
    account_config.mediaConfig.transportConfig.portRange = 200
    return account_config


def hand_over_closed(
    finished: list[tuple[Recording, float]],
    on_message: Callable[[Recording], object] | None,
    say: Callable[[str], None],
) -> None:
    """Hand over each finished recording whose file the recorder has closed, or whose wait for
    that is over (a file still open then is handed over as it is, and refused if unreadable)."""
    now = time.monotonic()
    for item in list(finished):
        recording, give_up_at = item
        if wav_closed(recording.path) or now >= give_up_at:
            finished.remove(item)
            hand_over(recording, on_message, say)


def hand_over(
    recording: Recording,
    on_message: Callable[[Recording], object] | None,
    say: Callable[[str], None],
) -> None:
    """Give a finished recording to whoever keeps messages; one that fails stays on disk."""
    if on_message is None:
        say(f"message {recording.call_id} for {recording.number} left in {recording.path}")
        return
    try:
        kept = on_message(recording)
    except Exception as exc:  # the endpoint keeps answering; the file is kept for a look
        say(f"message {recording.call_id} not kept ({type(exc).__name__}: {exc}): {recording.path}")
        return
    say(f"message {recording.call_id} for {recording.number}: {kept}")


def voicemail_receiver() -> Callable[[Recording], object]:
    """The registered receiver, with Django set up and a fresh database connection for
    each message (the endpoint runs for days)."""
    # The endpoint runs without Django until it takes voicemail: set up only now.
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "officeline.settings")
    django.setup()
    from django.db import close_old_connections

    receive = voicemail_receiver_registry.registered()

    def receive_recording(recording: Recording) -> object:
        close_old_connections()
        return receive(recording)

    return receive_recording


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--role", choices=ROLES, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rtp-port", type=int, required=True)
    parser.add_argument("--max-seconds", type=int, default=300)
    parser.add_argument("--workdir", type=Path, default=Path("."), help="for voicemail recordings")
    args = parser.parse_args(argv)
    run(
        EndpointConfig(
            role=args.role,
            host=args.host,
            port=args.port,
            rtp_port=args.rtp_port,
            workdir=args.workdir,
            max_seconds=args.max_seconds,
        ),
        on_message=voicemail_receiver() if args.role == "voicemail" else None,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
