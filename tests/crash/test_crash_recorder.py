"""The recorder proves its own promise under both crash models: every crash state of its
publication - to a new target, and replacing an older trace - shows nothing, the old complete
trace or the new complete trace, before and after its stale-staging recovery.

Every state is checked (about 20 per case, a few seconds); ``make faults`` runs this module too.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "recorder"
RECORD = [sys.executable, "-m", "recorder", "--trace-dir", "trace", "hello.py"]


def fixture(tmp_path: Path, case: str) -> Path:
    """The fixture of ``case``: the program, and for ``replace`` an older trace of it."""
    where = tmp_path / case
    shutil.copytree(FIXTURE, where)
    if case == "replace":
        subprocess.run(RECORD, cwd=where, check=True, capture_output=True, timeout=120)
        assert (where / "trace" / "trace_metadata.json").is_file()
    return where


@pytest.mark.parametrize("case", ["new", "replace"])
def test_every_crash_state_of_the_publication_keeps_the_promise(case: str,
                                                                tmp_path: Path) -> None:
    where = fixture(tmp_path, case)
    report = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "fault_injection", "crash", "--fixture", str(where), "--oracle",
         str(where / "crash-oracle.toml"), "--model", "all", "--jobs", "2", "--progress", "0",
         "--json", str(report), "--", *RECORD],
        capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(report.read_text())
    assert data["failed"] == 0 and data["vulnerabilities"] == []
    counts = data["fault_points"]["crash"]
    assert counts["process-crash"] > 0 and counts["power-loss"] > 0, counts
    assert not any("sampled" in line for line in data["coverage"]), data["coverage"]
    # The log saw the whole publication: staging, the swap, the directory fsync.
    assert "rename" in {row["fault"] for row in data["table"]}
