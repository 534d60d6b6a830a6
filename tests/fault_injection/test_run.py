"""``python -m fault_injection run``: any command under a plan, and both point sets at once.

The recorder traced under the bootstrap is the case where both point sets see file-system calls:
the recorder's own writes belong to its seams and are never counted at ``os.*``, so no call is
counted twice, while the traced script's calls are.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from recorder.trace_check import check_trace_dir

SCRIPT = "with open('data.txt', 'w') as f:\n    f.write('x' * 10)\nprint('done')\n"


def run(tmp_path: Path, plan: str, *command: str) -> tuple[
        subprocess.CompletedProcess[str], list[dict[str, object]]]:
    (tmp_path / "s.py").write_text(SCRIPT)
    journal = tmp_path.parent / f"{tmp_path.name}.journal"
    done = subprocess.run(
        [sys.executable, "-m", "fault_injection", "run", "--only-under", ".", "--journal",
         str(journal), "--log-ops", "--", *command], cwd=tmp_path, capture_output=True,
        text=True, timeout=120, check=False, env={**os.environ, "RECORDER_FAULTS": plan})
    return done, [json.loads(line) for line in journal.read_text().splitlines()]


def test_the_recorders_own_writes_are_not_counted_at_os_points(tmp_path: Path) -> None:
    done, journal = run(tmp_path, "", sys.executable, "-m", "recorder", "--trace-dir", "out/t",
                        "s.py")
    assert done.returncode == 0, done.stderr
    ops = [(line["op"], line["path"]) for line in journal if line["event"] == "op"]
    # Only the script's own calls; the trace under out/t is the recorder's (its seams).
    assert ops == [("os.open", "data.txt"), ("os.write", "data.txt")]
    assert str(journal[1]["line"]).endswith("s.py:1")
    assert check_trace_dir(tmp_path / "out" / "t") == []


def test_an_os_fault_fails_the_script_not_the_recorder(tmp_path: Path) -> None:
    done, journal = run(tmp_path, "eio@os.write#1", sys.executable, "-m", "recorder",
                        "--trace-dir", "out/t", "s.py")
    assert done.returncode == 20, done.stderr  # the script raised: a target error
    assert "OSError: [Errno 5] Input/output error" in done.stderr
    fired = [line for line in journal if line["event"] == "fired"]
    assert [(f["point"], f["path"]) for f in fired] == [("os.write", "data.txt")]
    assert check_trace_dir(tmp_path / "out" / "t") == []  # the recorder's writes were not hit


def test_recorder_points_in_the_same_plan_go_to_the_recorders_seams(tmp_path: Path) -> None:
    done, journal = run(tmp_path, "enospc@write#1", sys.executable, "-m", "fault_injection",
                        "exec", "--trace-dir", "out/t", "s.py")
    assert done.returncode == 10, done.stderr  # the recorder's write failed: disk full, abort
    assert "ERR_DISK_FULL" in done.stderr.splitlines()[-1]
    assert not [line for line in journal if line["event"] == "fired"]
    counts = [line["hits"] for line in journal if line["event"] == "counts"]
    assert counts == [{"os.open": 1, "os.write": 1}]
