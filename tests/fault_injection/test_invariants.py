"""The sweep's oracle: runs that keep the promises pass, and each broken promise is caught.

Each case is a fabricated run (exit status, output, what is left on disk) for a planned fault;
the expected findings are the invariant violations the checker must report.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fault_injection.injector import Firing
from fault_injection.invariants import check
from fault_injection.model import Baseline, Case, Policy, RunResult

BASE = Baseline(b"one\ntwo\n", b"", 0)
DISK_FULL_LINE = b"recorder: [ERR_DISK_FULL] write failed - Free some space.\n"
TRAILER: dict[str, object] = {
    "error_code": "ERR_DISK_FULL", "error_kind": "Environment", "message": "m", "context": {},
    "run_id": "r", "trace_id": None}


@pytest.fixture(scope="module")
def complete_trace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real trace directory written by the recorder for a tiny script."""
    root = tmp_path_factory.mktemp("complete")
    (root / "s.py").write_text("print('one')\nprint('two')\n")
    subprocess.run([sys.executable, "-m", "recorder", "--trace-dir", str(root / "t"), "s.py"],
                   cwd=root, check=True, capture_output=True, timeout=60)
    return root / "t"


def run(tmp: Path, policy: Policy, *, fired: bool = True, rc: int = 10,
        stdout: bytes = b"one\n", stderr: bytes = DISK_FULL_LINE, trace: Path | None = None,
        leftover: bool = False, kind: str = "enospc") -> list[str]:
    case = Case("s", tmp / "s.py", kind, "write", 1, False, policy)
    trace_dir = tmp / "out" / "trace"
    trace_dir.parent.mkdir()
    if trace is not None:
        shutil.copytree(trace, trace_dir)
    if leftover:
        (trace_dir.parent / ".trace.staging-1-abc").mkdir()
    # The 3rd write, mid-run: events were written, nothing was being published yet.
    firings = [Firing(str(case.plan), "write", 3, "/x", (("write", 3),))] if fired else []
    result = RunResult(rc, stdout, stderr, trace_dir, 0.1, False, firings)
    return check(case, BASE, result).violations


ABORT, DISABLE = Policy("abort"), Policy("disable")


def test_abort_disk_full_that_keeps_every_promise_passes(tmp_path: Path) -> None:
    assert run(tmp_path, ABORT) == []


@pytest.mark.parametrize(("changes", "finding"), [
    ({"rc": 0}, "exit status 0, expected 10"),
    ({"rc": 70}, "exit status 70, expected 10"),
    ({"stdout": b"one\nTWO"}, "stdout is not a prefix"),
    ({"stderr": b"recorder: [ERR_IO] x - y\n"}, "error line has the wrong code"),
    ({"stderr": b"oops\n"}, "not the recorder's error line"),
    ({"leftover": True}, "staging leftover: .trace.staging-1-abc"),
    ({"stderr": b'Traceback (most recent call last):\n  File "/w/recorder/output/files.py", '
                b'line 3, in write\nOSError\n' + DISK_FULL_LINE}, "a Python traceback"),
    ({"kind": "crash"}, "exit status 10, expected 70"),
])
def test_each_broken_promise_is_found(tmp_path: Path, changes: dict[str, object],
                                      finding: str) -> None:
    found = run(tmp_path, ABORT, **changes)  # type: ignore[arg-type]
    assert any(finding in violation for violation in found), found


def test_a_trace_left_after_a_failure_without_keep_partial(tmp_path: Path,
                                                           complete_trace: Path) -> None:
    found = run(tmp_path, ABORT, trace=complete_trace)
    assert any("holds a complete trace, expected nothing" in v for v in found), found


def test_keep_partial_requires_a_partial_trace(tmp_path: Path) -> None:
    found = run(tmp_path, Policy("abort", keep_partial=True))
    assert any("holds nothing, expected partial" in v for v in found), found


def test_keep_partial_may_leave_nothing_when_publishing_failed(tmp_path: Path) -> None:
    case = Case("s", tmp_path / "s.py", "eio", "fsync", 1, False, Policy("abort", True))
    (tmp_path / "out").mkdir()
    firing = Firing(str(case.plan), "fsync", 1, "/x", (("fsync", 1), ("write", 3)))
    line = b"recorder: [ERR_IO] fsync failed - Check the disk.\n"
    result = RunResult(10, b"one\n", line, tmp_path / "out" / "trace", 0.1, False, [firing])
    assert check(case, BASE, result).violations == []


def test_json_errors_requires_one_trailer_last(tmp_path: Path) -> None:
    policy = Policy("abort", json_errors=True)
    good = (json.dumps(TRAILER) + "\n").encode()
    (tmp_path / "a").mkdir()
    assert run(tmp_path / "a", policy, stderr=good) == []
    (tmp_path / "b").mkdir()
    wrong = (json.dumps({**TRAILER, "error_code": "ERR_IO"}) + "\n").encode()
    assert any("trailer says Environment/ERR_IO" in v
               for v in run(tmp_path / "b", policy, stderr=wrong))
    (tmp_path / "c").mkdir()
    assert any("0 JSON trailers" in v for v in run(tmp_path / "c", policy))
    (tmp_path / "d").mkdir()
    assert any("not the last stderr line" in v
               for v in run(tmp_path / "d", policy, stderr=good + b"later\n"))


def test_disable_requires_the_scripts_own_run(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    assert run(tmp_path / "a", DISABLE, rc=0, stdout=BASE.stdout, stderr=b"") == []
    (tmp_path / "b").mkdir()
    found = run(tmp_path / "b", DISABLE, rc=0, stdout=b"one\n", stderr=b"")
    assert any("stdout differs" in v for v in found), found
    (tmp_path / "c").mkdir()
    found = run(tmp_path / "c", DISABLE, rc=10, stdout=BASE.stdout, stderr=b"")
    assert any("exit status 10, expected 0" in v for v in found), found


def test_no_firing_means_a_clean_run_with_a_complete_trace(tmp_path: Path,
                                                           complete_trace: Path) -> None:
    (tmp_path / "a").mkdir()
    assert run(tmp_path / "a", ABORT, fired=False, rc=0, stdout=BASE.stdout, stderr=b"",
               trace=complete_trace) == []
    (tmp_path / "b").mkdir()
    found = run(tmp_path / "b", ABORT, fired=False, rc=0, stdout=BASE.stdout, stderr=b"")
    assert any("holds nothing, expected complete" in v for v in found), found


def test_a_torn_trace_is_invalid(tmp_path: Path, complete_trace: Path) -> None:
    torn = tmp_path / "torn"
    shutil.copytree(complete_trace, torn)
    data = (torn / "trace.json").read_bytes()
    (torn / "trace.json").write_bytes(data[: len(data) // 2])
    (tmp_path / "a").mkdir()
    found = run(tmp_path / "a", ABORT, fired=False, rc=0, stdout=BASE.stdout, stderr=b"",
                trace=torn)
    assert any("trace.json is not valid JSON" in v for v in found), found
