"""The managed process behind Kamailio, rtpengine and the echo phone: start, wait, stop, log."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from officeline.telephony.process import ManagedProcess


class Script(ManagedProcess):
    name = "script"

    def __init__(self, workdir: Path, code: str, marker: Path) -> None:
        super().__init__(workdir, "script.log")
        self.code = code
        self.marker = marker

    def command(self) -> list[str]:
        return [sys.executable, "-c", self.code]

    def ready(self) -> bool:
        return self.marker.exists()


def test_start_returns_once_the_process_answers_and_stop_ends_it(tmp_path):
    marker = tmp_path / "up"
    code = f"import pathlib, time; print('hello'); pathlib.Path({str(marker)!r}).touch(); time.sleep(60)"
    process = Script(tmp_path / "work", code, marker)
    process.start(wait=10)
    assert process.running
    process.stop()
    assert not process.running
    assert "hello" in process.log_path.read_text()


def test_a_process_that_exits_is_reported_with_its_log(tmp_path):
    process = Script(
        tmp_path, "import sys; print('bad configuration'); sys.exit(3)", tmp_path / "x"
    )
    with pytest.raises(RuntimeError, match=r"(?s)script exited.*bad configuration"):
        process.start(wait=10)


def test_a_process_that_never_answers_is_stopped(tmp_path):
    process = Script(tmp_path, "import time; time.sleep(60)", tmp_path / "never")
    with pytest.raises(RuntimeError, match=r"did not answer within 0\.5 s"):
        process.start(wait=0.5)
    assert not process.running
