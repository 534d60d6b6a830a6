"""A small sweep, end to end through the command line, and the sweep's case selection."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fault_injection.invariants import Verdict
from fault_injection.model import ALL_POLICIES, Case, Policy, RunResult
from fault_injection.report import SweepReport
from fault_injection.sweep import assign_policies, hits_to_try, kinds_for, reproduce


@pytest.mark.parametrize(("point", "count", "max_hits", "expected"), [
    ("write", 3, 8, [1, 2, 3]),
    ("write", 0, 8, []),
    ("fsync", 20, 4, [1, 2, 10, 20]),
    ("fsync", 20, 6, [1, 2, 5, 9, 10, 20]),
    ("line", 70, 8, [1, 2, 35, 70]),  # callbacks: first, second, middle, last
])
def test_hits_to_try(point: str, count: int, max_hits: int, expected: list[int]) -> None:
    assert hits_to_try(point, count, max_hits) == expected


def test_kinds_per_seam_family() -> None:
    assert set(kinds_for("write")) == {"enospc", "eacces", "erofs", "eio", "efbig", "crash",
                                       "sigint"}
    assert set(kinds_for("line")) == {"crash", "sigint"}
    assert set(kinds_for("stop")) == {"enospc", "eio", "crash", "sigint"}


def test_policy_assignment_covers_all_sixteen() -> None:
    assert len(set(ALL_POLICIES)) == 16
    cases = [Case("s", Path("s.py"), "eio", "write", n, False, Policy()) for n in range(1, 33)]
    assert {c.policy for c in assign_policies(cases, "rotate")} == set(ALL_POLICIES)
    assert len(assign_policies(cases, "all")) == 32 * 16
    assert assign_policies(cases, "default") == cases


def test_small_sweep_end_to_end(tmp_path: Path) -> None:
    report = tmp_path / "sweep.json"
    done = subprocess.run(
        [sys.executable, "-m", "fault_injection", "sweep", "--scenario", "exits",
         "--point", "write", "--point", "rename", "--point", "line", "--kind", "enospc",
         "--kind", "crash", "--max-hits", "2", "--sample", "12", "--seed", "3",
         "--json", str(report)],
        capture_output=True, text=True, timeout=600, check=False)
    data = json.loads(report.read_text())
    assert data["explored"] == 12
    assert data["fault_points"]["exits"]["write"] >= 1
    assert {row["fault"] for row in data["table"]} <= {"enospc", "crash"}
    assert "fault points explored" in done.stdout
    # The sweep's verdict is its exit status: 0 when every invariant held.
    assert done.returncode == (0 if data["failed"] == 0 else 1)
    for failure in data["failures"]:
        assert "RECORDER_FAULTS=" in failure["reproduce"]


def test_the_reproduce_command_reproduces(tmp_path: Path) -> None:
    case = Case("exits", Path("ignored.py"), "crash", "line", 1, False,
                Policy("abort", json_errors=True))
    command = reproduce(case)
    env = {**os.environ, "TMPDIR": str(tmp_path)}  # mktemp -d makes its directory in here
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120,
                          check=False, cwd=tmp_path, env=env)
    assert "exit=70" in done.stdout, (command, done.stdout, done.stderr)
    assert '"error_kind": "Internal"' in done.stderr


def test_report_lists_failures_with_their_command(tmp_path: Path) -> None:
    rep = SweepReport()
    case = Case("exits", Path("x.py"), "eio", "write", 2, True, Policy("disable"))
    result = RunResult(10, b"", b"boom\n", tmp_path / "t", 0.5)
    rep.add(case, Verdict(["exit status 10, expected 3 (disable: the script's own)"], "failed"),
            result, "RECORDER_FAULTS='eio@write#2+' python -m fault_injection exec ...")
    rep.add(case, Verdict([], "failed"), result, "unused")
    text = "\n".join(rep.render())
    assert "exits        eio             2       1       1" in text
    assert "FAILED exits:eio@write#2+:disable (exit 10)" in text
    assert "reproduce: RECORDER_FAULTS='eio@write#2+'" in text
    rep.write_json(tmp_path / "r.json")
    data = json.loads((tmp_path / "r.json").read_text())
    assert (data["explored"], data["failed"]) == (2, 1)
    assert data["failures"][0]["violations"] == [
        "exit status 10, expected 3 (disable: the script's own)"]
