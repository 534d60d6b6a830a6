"""``trace_metadata.json`` is written once, from what the session captured at start and at stop.

Two bugs this pins: a partial trace written by ``stop(exit_code=5)`` recorded ``code: null``, and
a program that changed directory got the new directory as its ``workdir``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import recorder
from recorder import seams
from recorder.lifecycle import State

CRASHING_EXIT_5 = """\
import os, sys
os.makedirs("elsewhere", exist_ok=True)
os.chdir("elsewhere")
total = 0
for i in range(50):
    total += i
sys.exit(5)
"""


def metadata(trace_dir: Path) -> dict[str, object]:
    return json.loads((trace_dir / "trace_metadata.json").read_text(encoding="utf-8"))


def test_command_line_partial_trace_keeps_the_exit_status_and_the_start_directory(
    tmp_path: Path, make_env, backend: str
) -> None:
    (tmp_path / "prog.py").write_text(CRASHING_EXIT_5)
    proc = subprocess.run(
        [sys.executable, "-m", "fault_injection", "exec", "--backend", backend,
         "--on-recorder-error", "disable", "--keep-partial-trace", "--trace-dir", "out",
         "prog.py"],
        cwd=tmp_path, env=make_env(RECORDER_FAULTS="crash@line#10"), capture_output=True,
        timeout=120)
    assert proc.returncode == 5, proc.stderr
    meta = metadata(tmp_path / "out")
    assert meta["partial"] is True
    assert meta["partial_reason"] == "ERR_CALLBACK_FAILED"
    assert meta["process_exit_status"] == {"code": 5, "label": "exit"}
    assert meta["workdir"] == str(tmp_path)  # where it started, not "elsewhere"


def test_command_line_complete_trace_records_the_start_directory(
    tmp_path: Path, make_env, backend: str
) -> None:
    (tmp_path / "prog.py").write_text(CRASHING_EXIT_5)
    proc = subprocess.run(
        [sys.executable, "-m", "recorder", "--backend", backend, "--trace-dir", "out",
         "prog.py"], cwd=tmp_path, env=make_env(), capture_output=True, timeout=120)
    assert proc.returncode == 5, proc.stderr
    meta = metadata(tmp_path / "out")
    assert (meta["partial"], meta["workdir"]) == (False, str(tmp_path))
    assert meta["backend"] == backend  # the concrete backend preflight chose, set once
    assert meta["process_exit_status"] == {"code": 5, "label": "exit"}


def wander(where: Path) -> None:
    for _ in range(5):
        os.chdir(where)


def test_api_partial_trace_keeps_the_exit_code(tmp_path: Path, backend: str) -> None:
    hits = 0

    def crash_third_line(point: str, path: str | None) -> None:
        nonlocal hits
        if point == "line":
            hits += 1
            if hits == 3:
                raise RuntimeError("injected")

    start_dir = os.getcwd()
    seams.install(crash_third_line)
    try:
        session = recorder.start(tmp_path / "trace", backend=backend, policy={
            "on_recorder_error": "disable", "keep_partial_trace": True})
        wander(tmp_path)  # a new frame: lines of frames started before tracing are not seen
        assert session.state is State.DETACHED and session.failure is not None
        outcome = recorder.stop(exit_code=5)
    finally:
        seams.uninstall()
        os.chdir(start_dir)
    assert outcome is not None and outcome.partial
    meta = metadata(tmp_path / "trace")
    assert meta["process_exit_status"]["code"] == 5
    assert meta["partial_reason"] == "ERR_CALLBACK_FAILED"
    assert meta["workdir"] == start_dir


@pytest.fixture(autouse=True)
def _no_session_left() -> Iterator[None]:
    yield
    if recorder.is_tracing():
        recorder.stop()
        pytest.fail("a session was left tracing")
