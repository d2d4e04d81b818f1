"""A service process run by the project (Kamailio, rtpengine, the echo phone): start it, wait
until it answers, stop it; its output goes to a log file."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path


class ManagedProcess:
    """One child process with a log file and a readiness probe.

    Subclasses say what to run (``command``), in which environment (``environment``), what
    to prepare first (``prepare``) and how to tell it answers (``ready``).
    """

    name = "process"

    def __init__(self, workdir: Path, log_name: str) -> None:
        self.workdir = workdir
        self.log_path = workdir / log_name
        self.process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def environment(self) -> dict[str, str]:
        return dict(os.environ)

    def prepare(self) -> None:
        """Files the process needs before it starts (its directory at least)."""
        self.workdir.mkdir(parents=True, exist_ok=True)

    def ready(self) -> bool:
        raise NotImplementedError

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, wait: float = 15.0) -> None:
        """Start the process and return once it answers; raise with its log's end if it does not."""
        self.prepare()
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.command(), stdout=log, stderr=subprocess.STDOUT, env=self.environment()
            )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited: see {self.log_path}:\n{self.log_path.read_text()[-3000:]}"
                )
            if self.ready():
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {wait} s: see {self.log_path}")

    def stop(self) -> None:
        """Terminate the process (killed if it has not ended after 10 s)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
