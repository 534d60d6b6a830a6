"""The crash explorer on the settings saver in three versions, end to end through the CLI.

In place: a kill -9 after the truncating open leaves an empty file (both models break). Temporary
file and rename without fsync: every kill -9 state is fine and the error sweep passes it, but a
power loss can keep the rename without the data - what the explorer adds. Durable (fsync the
file, rename, fsync the directory): every state of both models keeps the promises.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "settings"
COMMAND = ["python", "save_settings.py", "theme=dark"]


# ``python`` in the commands is this interpreter (its virtual environment first on PATH).
ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}


def harness(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m fault_injection ARGS``."""
    return subprocess.run([sys.executable, "-m", "fault_injection", *args], capture_output=True,
                          text=True, timeout=300, check=False, cwd=cwd, env=ENV)


def explore(version: str, tmp_path: Path, *extra: str) -> tuple[
        subprocess.CompletedProcess[str], dict[str, object]]:
    fixture = FIXTURES / version
    report = tmp_path / f"{version}.json"
    done = harness("crash", "--fixture", str(fixture), "--oracle",
                   str(fixture / "fault-oracle.toml"), "--json", str(report), "--jobs", "2",
                   "--progress", "0", *extra, "--", *COMMAND)
    return done, json.loads(report.read_text()) if report.exists() else {}


def line_of(version: str, text: str) -> str:
    """``save_settings.py:N`` of the first source line containing ``text``."""
    source = (FIXTURES / version / "save_settings.py").read_text().splitlines()
    return f"save_settings.py:{next(i for i, line in enumerate(source, 1) if text in line)}"


def causes(report: dict[str, object]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in report["vulnerabilities"]:  # type: ignore[attr-defined]
        found.setdefault(item["model"], []).append(item["cause"])
    return found


def test_in_place_breaks_under_both_models(tmp_path: Path) -> None:
    done, report = explore("inplace", tmp_path)
    assert done.returncode == 1, done.stderr
    found = causes(report)
    opened = line_of("inplace", 'open(PATH, "w"')
    assert found["process-crash"] == [
        f"a crash (kill -9) right after open(settings.json, O_CREAT, O_TRUNC) at {opened} "
        f"leaves this state"]
    assert any(f"written to settings.json at {opened}" in cause
               for cause in found["power-loss"])
    assert "instead of truncating settings.json in place" in done.stdout


def test_rename_without_fsync_breaks_only_under_power_loss(tmp_path: Path) -> None:
    done, report = explore("rename", tmp_path)
    assert done.returncode == 1, done.stderr
    replaced = line_of("rename", "os.replace")
    # The buffered bytes reach write(2) when the file is closed: the ``with`` line, or the
    # ``write`` line where the interpreter attributes the close to the block's last line.
    written = {line_of("rename", 'open(PATH + ".tmp"'), line_of("rename", "handle.write")}
    found = causes(report)
    assert list(found) == ["power-loss"] and len(found["power-loss"]) == 1
    assert found["power-loss"][0] in {
        f"os.replace(settings.json.tmp -> settings.json) at {replaced} can persist before the "
        f"22 bytes written to settings.json.tmp at {line}" for line in written}
    vulnerability = report["vulnerabilities"][0]  # type: ignore[index]
    assert vulnerability["remedy"].startswith("fsync settings.json.tmp")
    # Its reproducer rebuilds that one state and finds it broken again.
    again = subprocess.run(["bash", "-c", vulnerability["reproduce"]], capture_output=True,
                           text=True, timeout=120, check=False, cwd=tmp_path, env=ENV)
    assert again.returncode == 1, again.stdout + again.stderr
    state = next(tmp_path.glob("crash-state/crash-*/states/crash/case-0/state"))
    assert (state / "settings.json").read_bytes().strip(b"\0") == b""


def test_rename_without_fsync_survives_every_kill(tmp_path: Path) -> None:
    done, report = explore("rename", tmp_path, "--model", "process-crash")
    assert done.returncode == 0, done.stdout + done.stderr
    assert report["failed"] == 0 and report["explored"] >= 3


def test_the_error_sweep_alone_passes_rename_without_fsync(tmp_path: Path) -> None:
    fixture = FIXTURES / "rename"
    done = harness("sweep", "--fixture", str(fixture), "--oracle",
                   str(fixture / "fault-oracle.toml"), "--json", str(tmp_path / "sweep.json"),
                   "--jobs", "2", "--progress", "0", "--", *COMMAND)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_durable_version_keeps_every_promise(tmp_path: Path) -> None:
    done, report = explore("durable", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert report["vulnerabilities"] == [] and report["explored"] >= 4
    assert set(report["fault_points"]["crash"]) == {"process-crash", "power-loss"}


@pytest.mark.parametrize("version", ["inplace", "rename", "durable"])
def test_shards_merge_into_the_whole_exploration(version: str, tmp_path: Path) -> None:
    whole, report = explore(version, tmp_path)
    parts = []
    for k in (1, 2):
        out = tmp_path / f"part-{k}.json"
        fixture = FIXTURES / version
        harness("crash", "--fixture", str(fixture), "--oracle", str(fixture / "fault-oracle.toml"),
                "--shard", f"{k}/2", "--json", str(out), "--progress", "0", "--", *COMMAND)
        parts.append(str(out))
    merged = harness("merge", *parts, "--json", str(tmp_path / "merged.json"))
    assert merged.returncode == whole.returncode, merged.stdout + merged.stderr
    data = json.loads((tmp_path / "merged.json").read_text())
    assert sorted(data["runs"]) == sorted(report["runs"])
    assert data["failed"] == report["failed"]


def test_beyond_the_cap_the_report_gives_the_coverage(tmp_path: Path) -> None:
    done, report = explore("rename", tmp_path, "--cap", "1", "--seed", "7")
    assert any("sampled: " in line and "seed 7" in line for line in report["coverage"]), \
        report["coverage"]
    assert "sampled: " in done.stdout


def test_junit_xml_has_one_case_per_state(tmp_path: Path) -> None:
    junit = tmp_path / "crash.xml"
    done, report = explore("inplace", tmp_path, "--junit-xml", str(junit))
    text = junit.read_text()
    assert text.count("<testcase ") == report["explored"]
    assert text.count("<failure ") == report["failed"] > 0
    assert done.returncode == 1


def test_a_program_writing_unseen_changes_is_warned_about(tmp_path: Path) -> None:
    fixture = tmp_path / "fixture"
    fixture.mkdir()
    # The child process's write is not in the log (only the first Python process is).
    (fixture / "prog.py").write_text(
        "import subprocess, sys\nopen('seen.txt', 'w').write('x')\n"
        "subprocess.run([sys.executable, '-c', \"open('unseen.txt', 'w').write('y')\"])\n")
    done = harness("crash", "--fixture", str(fixture), "--progress", "0", "--", "python",
                   "prog.py")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING: replaying the log does not give the clean run's result at unseen.txt" \
        in done.stdout
