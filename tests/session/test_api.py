"""The Python API: start/stop/flush/is_tracing/trace, ALREADY_TRACING, and auto-start."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import recorder
from recorder.errors import ErrorCode, UsageError
from recorder.policy import RecorderPolicy


def traced_work(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def _events(trace_dir: Path) -> list[dict[str, object]]:
    return json.loads((trace_dir / "trace.json").read_text())  # type: ignore[no-any-return]


def test_trace_context_manager_publishes(tmp_path: Path, backend: str) -> None:
    out = tmp_path / "t"
    with recorder.trace(out, backend=backend, policy=RecorderPolicy()) as session:
        assert recorder.is_tracing()
        traced_work(3)
        recorder.flush()
    assert not recorder.is_tracing()
    assert session.outcome is not None and session.outcome.complete
    names = {e["Function"]["name"] for e in _events(out) if "Function" in e}  # type: ignore[index]
    assert "traced_work" in names


def test_second_start_is_already_tracing(tmp_path: Path, backend: str) -> None:
    recorder.start(tmp_path / "a", backend=backend, policy=RecorderPolicy())
    try:
        with pytest.raises(UsageError) as info:
            recorder.start(tmp_path / "b", backend=backend)
        assert info.value.code is ErrorCode.ALREADY_TRACING
    finally:
        outcome = recorder.stop()
    assert outcome is not None and outcome.complete
    assert recorder.stop() is None  # nothing left to stop
    assert not (tmp_path / "b").exists()


def test_start_with_mapping_policy_and_bad_value(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        recorder.start(tmp_path / "x", policy={"on_recorder_error": "sometimes"})
    assert info.value.code is ErrorCode.INVALID_POLICY_VALUE
    assert not recorder.is_tracing()


def test_start_into_a_file_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(UsageError) as info:
        recorder.start(target, policy=RecorderPolicy())
    assert info.value.code is ErrorCode.TRACE_DIR_CONFLICT
    assert not recorder.is_tracing() and target.read_text() == "x"


AUTO = """
import recorder
def f(x):
    return x * 2
print(recorder.is_tracing(), f(21))
"""


def test_auto_start_from_environment(tmp_path: Path, make_env) -> None:
    prog = tmp_path / "auto.py"
    prog.write_text(AUTO)
    out = tmp_path / "auto-trace"
    proc = subprocess.run([sys.executable, str(prog)], capture_output=True, cwd=tmp_path,
                          env=make_env(CODETRACER_TRACE=str(out)), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b"True 42\n"
    names = {e["Function"]["name"] for e in _events(out) if "Function" in e}  # type: ignore[index]
    assert "f" in names


def test_auto_start_bad_policy_is_classified(tmp_path: Path, make_env) -> None:
    prog = tmp_path / "auto.py"
    prog.write_text(AUTO)
    proc = subprocess.run([sys.executable, str(prog)], capture_output=True, cwd=tmp_path,
                          env=make_env(CODETRACER_TRACE=str(tmp_path / "o"),
                                       CODETRACER_REQUIRE_TRACE="perhaps"), timeout=60)
    assert proc.returncode == 1 and proc.stdout == b""
    assert b"ERR_INVALID_POLICY_VALUE" in proc.stderr


def test_auto_start_usage_error_is_raised_even_under_disable(tmp_path: Path, make_env) -> None:
    prog = tmp_path / "auto.py"
    prog.write_text(AUTO)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a directory should be")
    proc = subprocess.run([sys.executable, str(prog)], capture_output=True, cwd=tmp_path,
                          env=make_env(CODETRACER_TRACE=str(blocker / "sub" / "trace"),
                                       CODETRACER_ON_RECORDER_ERROR="disable"), timeout=60)
    assert proc.returncode == 1 and proc.stdout == b""
    first = proc.stderr.decode().splitlines()[0]
    assert first.startswith("recorder: [ERR_TRACE_DIR_NOT_DIR] ")
    assert blocker.read_text() == "a file where a directory should be"


def test_auto_start_environment_failure_under_disable_runs_untraced(make_env, as_nobody) -> None:
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="rec-auto-"))
    try:
        base.chmod(0o755)
        prog = base / "auto.py"
        prog.write_text(AUTO)
        prog.chmod(0o644)
        (base / "locked").mkdir(mode=0o755)
        proc = subprocess.run(
            [*as_nobody, sys.executable, str(prog)], capture_output=True, cwd=base, timeout=60,
            env=make_env(CODETRACER_TRACE=str(base / "locked" / "trace"),
                         CODETRACER_ON_RECORDER_ERROR="disable"))
        assert proc.stdout == b"False 42\n", proc.stderr
        assert proc.returncode == 0
        assert b"ERR_PERMISSION_DENIED" in proc.stderr
        assert list((base / "locked").iterdir()) == []
    finally:
        shutil.rmtree(base)
