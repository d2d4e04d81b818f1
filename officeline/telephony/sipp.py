"""SIPp as test phones and as the far ends (carrier trunk, emergency gateway) on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SCENARIOS = Path(__file__).parent / "tests" / "scenarios"
SIPP = shutil.which("sipp") or "/usr/bin/sipp"


@dataclass(frozen=True)
class SippResult:
    returncode: int
    output: str
    messages: str = ""
    media_port: int | None = None  # the phone's own RTP port, for scenarios with media

    @property
    def succeeded(self) -> bool:
        return self.returncode == 0


def media_port() -> int:
    """A free even UDP port on loopback for a phone's RTP (RTCP takes the next one)."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        if port % 2 == 0 and port < 65000:
            return port


def _base(timeout: float, tmp: str, local_port: int) -> list[str]:
    return [
        "-i",
        "127.0.0.1",
        "-p",
        str(local_port),
        "-m",
        "1",
        "-timeout",
        f"{int(timeout)}s",
        "-timeout_error",
        "-nostdin",
        "-trace_err",
        "-error_file",
        str(Path(tmp) / "errors.log"),
        "-trace_msg",
        "-message_file",
        str(Path(tmp) / "messages.log"),
    ]


def _result(
    proc: subprocess.CompletedProcess[str], tmp: str, rtp_port: int | None = None
) -> SippResult:
    def read(name: str) -> str:
        path = Path(tmp) / name
        return path.read_text(errors="replace") if path.exists() else ""

    return SippResult(
        proc.returncode,
        proc.stdout[-2000:] + proc.stderr[-2000:] + read("errors.log")[-2000:],
        read("messages.log"),
        rtp_port,
    )


def run_scenario(
    scenario: str,
    *,
    host: str,
    port: int,
    username: str,
    password: str,
    dial: str = "",
    local_port: int = 0,
    timeout: float = 15.0,
    pause_ms: int = 300,
    media: bool = False,
) -> SippResult:
    """One call of ``scenario`` (tests/scenarios) as ``username`` with ``password``; ``dial`` is field2.

    ``pause_ms`` is how long an answered call lasts before the phone hangs up;
    ``media`` gives the phone its own RTP port (for scenarios that play audio).
    """
    rtp_port = media_port() if media else None
    with tempfile.TemporaryDirectory() as tmp:
        inject = Path(tmp) / "users.csv"
        inject.write_text(
            f"SEQUENTIAL\n{username};[authentication username={username} password={password}];{dial}\n"
        )
        command = [
            SIPP,
            f"{host}:{port}",
            "-sf",
            str(SCENARIOS / scenario),
            "-inf",
            str(inject),
            "-d",
            str(pause_ms),
            *(["-mp", str(rtp_port)] if rtp_port else []),
            *_base(timeout, tmp, local_port),
        ]
        proc = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout + 10, check=False, cwd=tmp
        )
        return _result(proc, tmp, rtp_port)


class Answerer:
    """A SIPp that answers one call on ``port`` (a registered phone, the trunk, the gateway).

    It answers 200 (``uas_answer.xml``); another ``scenario`` (tests/scenarios) answers otherwise.
    """

    def __init__(
        self,
        port: int,
        timeout: float = 20.0,
        scenario: str = "uas_answer.xml",
        echo_media: bool = False,
    ) -> None:
        self.port = port
        self.scenario = scenario
        self.echo_media = echo_media  # send back the RTP it receives (SIPp's -rtp_echo)
        self.timeout = timeout
        self._tmp = tempfile.TemporaryDirectory()
        self.process: subprocess.Popen[str] | None = None

    def __enter__(self) -> Answerer:
        command = [
            SIPP,
            "-sf",
            str(SCENARIOS / self.scenario),
            *(["-rtp_echo", "-mp", str(media_port())] if self.echo_media else []),
            *_base(self.timeout, self._tmp.name, self.port),
        ]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=self._tmp.name
        )
        return self

    def result(self) -> SippResult:
        assert self.process is not None
        try:
            out, err = self.process.communicate(timeout=self.timeout + 10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
        return _result(
            subprocess.CompletedProcess(self.process.args, self.process.returncode, out, err),
            self._tmp.name,
        )

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._tmp.cleanup()
