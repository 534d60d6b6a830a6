"""The pytest plugin, run the way a user runs it: a test file in its own pytest process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

USER_TESTS = '''
import os
import pytest
import recorder
from recorder import seams
from recorder.errors import ErrorCode, RecorderError


@pytest.mark.faults("eio@fsync#1")
def test_marker_alone_installs_the_plan():
    with pytest.raises(OSError):
        seams.hit("fsync", "/f")
    seams.hit("fsync", "/f")


def test_nothing_is_left_installed_after_a_test():
    assert not seams.active()
    assert "RECORDER_FAULTS" not in os.environ


@pytest.mark.faults("enospc@write#2+; crash@line#5")
def test_fixture_sees_plan_hits_and_firings(faults):
    assert str(faults.plan) == "enospc@write#2+; crash@line#5"
    assert os.environ["RECORDER_FAULTS"] == str(faults.plan)
    seams.hit("write", "/a")
    with pytest.raises(OSError):
        seams.hit("write", "/a")
    assert faults.hits == {"write": 2}
    assert [(f.point, f.hit) for f in faults.fired] == [("write", 2)]
    assert faults.command("--trace-dir", "t")[1:4] == ["-m", "fault_injection", "exec"]


def test_install_mid_test(faults):
    assert not seams.active()
    faults.install("crash@stop#1")
    assert seams.active()


@pytest.mark.faults("enospc@write#1")
def test_the_recorder_reports_disk_full(tmp_path):
    with pytest.raises(RecorderError) as info:
        recorder.start(tmp_path / "trace")
        sum(range(10))
        recorder.stop()
    assert info.value.code is ErrorCode.DISK_FULL
    assert not (tmp_path / "trace").exists()


@pytest.mark.faults("enospc@wrte#1")
def test_bad_plan_errors():
    pass


@pytest.mark.faults()
def test_marker_without_plan_errors():
    pass
'''


def test_plugin_marker_and_fixture(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(textwrap.dedent(USER_TESTS))
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = --strict-markers\n")
    registered = any(e.name == "fault_injection" for e in entry_points(group="pytest11"))
    plugin = [] if registered else ["-p", "fault_injection.pytest_plugin"]
    done = subprocess.run([sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider",
                           *plugin, "test_user.py"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, check=False)
    lines = done.stdout.splitlines()

    def outcome(name: str) -> str:
        line = next(line for line in lines if f"::{name} " in line)
        return line.split()[1]

    for name in ("test_marker_alone_installs_the_plan",
                 "test_nothing_is_left_installed_after_a_test",
                 "test_fixture_sees_plan_hits_and_firings", "test_install_mid_test",
                 "test_the_recorder_reports_disk_full"):
        assert outcome(name) == "PASSED", done.stdout
    assert outcome("test_bad_plan_errors") == "ERROR"
    assert "unknown fault point 'wrte'" in done.stdout
    assert outcome("test_marker_without_plan_errors") == "ERROR"
    assert "takes one plan string" in done.stdout
