"""SIPp as a test phone: run a scenario against our Kamailio and report how it ended."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SCENARIOS = Path(__file__).parent / "tests" / "scenarios"


@dataclass(frozen=True)
class SippResult:
    returncode: int
    output: str

    @property
    def succeeded(self) -> bool:
        return self.returncode == 0


def run_scenario(
    scenario: str, *, host: str, port: int, username: str, password: str, timeout: float = 15.0
) -> SippResult:
    """One call of ``scenario`` (a file in tests/scenarios) as ``username``, authenticated with ``password``."""
    sipp = shutil.which("sipp") or "/usr/bin/sipp"
    with tempfile.TemporaryDirectory() as tmp:
        inject = Path(tmp) / "users.csv"
        inject.write_text(
            f"SEQUENTIAL\n{username};[authentication username={username} password={password}]\n"
        )
        command = [
            sipp,
            f"{host}:{port}",
            "-sf",
            str(SCENARIOS / scenario),
            "-inf",
            str(inject),
            "-m",
            "1",
            "-i",
            "127.0.0.1",
            "-p",
            "0",
            "-timeout",
            f"{int(timeout)}s",
            "-timeout_error",
            "-nostdin",
            "-trace_err",
            "-error_file",
            str(Path(tmp) / "errors.log"),
        ]
        proc = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout + 10, check=False, cwd=tmp
        )
        errors = (
            (Path(tmp) / "errors.log").read_text(errors="replace")
            if (Path(tmp) / "errors.log").exists()
            else ""
        )
    return SippResult(proc.returncode, proc.stdout[-2000:] + proc.stderr[-2000:] + errors[-2000:])
