"""Filter files in, traces out: each case of ``cases/`` recorded on every backend.

The program (``program/prog.py`` with its ``shop`` package) is recorded through the command line
with ``--trace-filter cases/NAME.toml``; the trace (one event per line, paths and addresses
masked) and the metadata's ``trace_filter.stats`` (the last line) must equal the reviewed golden
of this Python version. ``RECORDER_UPDATE_GOLDENS=1`` rewrites them from the first backend's run;
a missing golden is a failure.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from recorder.trace_check import check_trace_dir
from recorder.tracing import available_backends

HERE = Path(__file__).resolve().parent
PROGRAM = HERE / "program"
CASES = sorted(p.stem for p in (HERE / "cases").glob("*.toml"))
GOLDENS = HERE / "goldens" / f"py{sys.version_info[0]}{sys.version_info[1]}"
UPDATE = os.environ.get("RECORDER_UPDATE_GOLDENS", "") == "1"
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")


def _record(case: str, backend: str, trace_dir: Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CODETRACER_", "RECORDER_"))}
    env.update(PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1",
               PYTHONPATH=str(HERE.parents[1]))
    return subprocess.run(
        [sys.executable, "-m", "recorder", "--backend", backend, "--trace-dir", str(trace_dir),
         "--trace-filter", str(HERE / "cases" / f"{case}.toml"), "prog.py"],
        cwd=PROGRAM, env=env, capture_output=True, timeout=120)


def _lines(trace_dir: Path) -> list[str]:
    events = json.loads((trace_dir / "trace.json").read_text(encoding="utf-8"))
    lines = [_ADDRESS.sub("0xADDR", json.dumps(event).replace(str(PROGRAM), "<PROGRAM>"))
             for event in events]
    meta = json.loads((trace_dir / "trace_metadata.json").read_text(encoding="utf-8"))
    lines.append(json.dumps({"trace_filter.stats": meta["trace_filter"]["stats"]}))
    return lines


@pytest.mark.parametrize("backend", available_backends())
@pytest.mark.parametrize("case", CASES)
def test_filter_case_recorded(case: str, backend: str, tmp_path: Path) -> None:
    done = _record(case, backend, tmp_path / "trace")
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"12 10\n"
    assert check_trace_dir(tmp_path / "trace") == []
    lines = _lines(tmp_path / "trace")
    golden = GOLDENS / f"{case}.jsonl"
    if UPDATE and backend == available_backends()[0]:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if not golden.exists():
        pytest.fail(f"no golden {golden} (RECORDER_UPDATE_GOLDENS=1 writes it; review it)")
    assert lines == golden.read_text(encoding="utf-8").splitlines()


def test_every_case_is_here() -> None:
    assert CASES == ["drop_args", "redact_locals_regex", "redact_returns_attrs", "skip_function",
                     "skip_package"]
