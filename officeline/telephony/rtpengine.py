"""rtpengine, the media relay: its command line from the settings, and the process that runs it.

Userspace only (``--table=-1``: no kernel module), media on loopback, and the NG
control protocol on a loopback UDP port that Kamailio's rtpengine module talks to.
"""

from __future__ import annotations

import shutil
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path

from officeline.telephony.process import ManagedProcess


@dataclass(frozen=True)
class RtpengineConfig:
    interface: str  # the address media is relayed on
    ng_port: int  # the NG control port, on 127.0.0.1
    port_min: int
    port_max: int
    workdir: Path
    log_level: int = 5  # notice; 6 adds each call's final packet counts

    @property
    def control(self) -> str:
        """How Kamailio's rtpengine module names the control socket."""
        return f"udp:127.0.0.1:{self.ng_port}"

    def command(self) -> list[str]:
        return [
            shutil.which("rtpengine") or "/usr/bin/rtpengine",
            "--config-file=none",
            "--table=-1",
            f"--interface={self.interface}",
            f"--listen-ng=127.0.0.1:{self.ng_port}",
            f"--port-min={self.port_min}",
            f"--port-max={self.port_max}",
            "--num-threads=2",
            "--foreground",
            "--log-stderr",
            f"--log-level={self.log_level}",
            f"--pidfile={self.workdir / 'rtpengine.pid'}",
        ]


def _bencode(value: dict[str, str]) -> bytes:
    items = b"".join(
        f"{len(k)}:{k}".encode() + f"{len(v.encode())}:".encode() + v.encode()
        for k, v in sorted(value.items())
    )
    return b"d" + items + b"e"


def ng_command(port: int, command: dict[str, str], timeout: float = 0.5) -> bytes | None:
    """One NG command (bencoded over UDP); rtpengine's raw bencoded answer, or None."""
    cookie = uuid.uuid4().hex[:12].encode()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(cookie + b" " + _bencode(command), ("127.0.0.1", port))
        try:
            data, _ = s.recvfrom(65535)
        except (TimeoutError, ConnectionRefusedError):
            return None
    return data[len(cookie) + 1 :] if data.startswith(cookie + b" ") else None


def ng_ping(port: int) -> bool:
    """Whether rtpengine answers a ping on its NG control port."""
    answer = ng_command(port, {"command": "ping"})
    return answer is not None and b"pong" in answer


class RtpengineProcess(ManagedProcess):
    """One rtpengine, for tests and ``make run``."""

    name = "rtpengine"

    def __init__(self, config: RtpengineConfig) -> None:
        super().__init__(config.workdir, "rtpengine.log")
        self.config = config

    def command(self) -> list[str]:
        return self.config.command()

    def ready(self) -> bool:
        return ng_ping(self.config.ng_port)
