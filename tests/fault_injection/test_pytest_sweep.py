"""The pytest side for outsiders: the generic seams under the marker, and ``fault_sweep``.

Both run the way a user runs them: a test file in its own pytest process.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from importlib.metadata import entry_points
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "save_settings"

USER_TESTS = f'''
import json, os, subprocess, sys
import pytest
from fault_injection.pytest_sweep import fault_sweep

FIXTURES = {str(FIXTURES)!r}
COMMAND = [sys.executable, "save_settings.py", "theme=dark"]


@fault_sweep(COMMAND, fixture=FIXTURES + "/inplace", oracle=FIXTURES + "/inplace/fault-oracle.toml",
             kinds=["enospc"])
def test_inplace(fault_run):
    fault_run.check()


@fault_sweep(COMMAND, fixture=FIXTURES + "/careful", oracle=FIXTURES + "/careful/fault-oracle.toml",
             kinds=["enospc"])
def test_careful(fault_run):
    fault_run.check()


@pytest.mark.faults("enospc@os.write#2")
def test_marker_arms_the_os_seams_under_tmp_path(faults, tmp_path):
    (tmp_path / "a").write_text("1")
    with pytest.raises(OSError) as info:
        (tmp_path / "b").write_text("2")
    assert info.value.errno == 28
    # Closing "b" flushes again after the failed write: Python's own retry, a third write(2).
    assert faults.hits == {{"os.open": 2, "os.write": 3}}
    assert [(f.point, f.hit, f.path) for f in faults.fired] == [("os.write", 2, "b")]


@pytest.mark.faults("eio@os.fsync#1", only_under="data")
def test_only_under_elsewhere_is_not_counted(faults, tmp_path):
    fd = os.open(tmp_path / "x", os.O_WRONLY | os.O_CREAT)
    os.fsync(fd)  # not under "data": not counted, not failed
    os.close(fd)
    assert faults.hits == {{}}


@pytest.mark.faults("sigint@os.write#1")
def test_sigint_in_process_is_refused():
    pass


def test_a_child_under_the_same_plan(faults, tmp_path):
    (tmp_path / "s.py").write_text("with open('out', 'w') as f:\\n    f.write('x')\\n")
    faults.install("enospc@os.write#1")
    done = subprocess.run(faults.child(sys.executable, "s.py"), cwd=tmp_path,
                          capture_output=True, text=True)
    assert done.returncode == 1 and "No space left on device" in done.stderr
'''


def run_pytest(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_user.py").write_text(textwrap.dedent(USER_TESTS))
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = --strict-markers\n")
    registered = any(e.name == "fault_injection" for e in entry_points(group="pytest11"))
    plugin = [] if registered else ["-p", "fault_injection.pytest_plugin"]
    return subprocess.run([sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider",
                           *plugin, *args, "test_user.py"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          check=False)


def outcomes(junit: Path) -> dict[str, str]:
    """Each test's outcome, from pytest's own ``--junitxml`` report."""
    found = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        kinds = {child.tag for child in case}
        found[case.get("name", "")] = "FAILED" if "failure" in kinds else (
            "ERROR" if "error" in kinds else "PASSED")
    return found


def check(done: subprocess.CompletedProcess[str], junit: Path) -> None:
    results = outcomes(junit)
    inplace = {k: v for k, v in results.items() if k.startswith("test_inplace[")}
    careful = {k: v for k, v in results.items() if k.startswith("test_careful[")}
    assert inplace["test_inplace[program:enospc@os.write#1+]"] == "FAILED", done.stdout
    assert inplace["test_inplace[program:enospc@os.write#1]"] == "PASSED"
    assert len(careful) > 5 and set(careful.values()) == {"PASSED"}, done.stdout
    assert "settings.json is torn" in done.stdout
    assert "reproduce: d=$(mktemp -d)" in done.stdout
    for name in ("test_marker_arms_the_os_seams_under_tmp_path",
                 "test_only_under_elsewhere_is_not_counted", "test_a_child_under_the_same_plan"):
        assert results[name] == "PASSED", done.stdout
    assert results["test_sigint_in_process_is_refused"] == "ERROR"
    assert "not offered in-process" in done.stdout


def test_outsiders_sweep_in_their_own_test_suite(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    check(run_pytest(tmp_path, f"--junitxml={junit}"), junit)


@pytest.mark.skipif(importlib.util.find_spec("xdist") is None, reason="pytest-xdist not installed")
def test_the_same_with_two_workers(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    done = run_pytest(tmp_path, "-n", "2", f"--junitxml={junit}")
    assert "2 workers" in done.stdout
    check(done, junit)
