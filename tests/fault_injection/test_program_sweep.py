"""The sweep of an outside program: the save-settings tool in two versions, and bad input.

The in-place version truncates settings.json and then writes it: a persistent write error leaves
an empty file, which the sweep must find (with a reproducer that really reproduces it). The
careful version writes a temporary file, fsyncs it and renames it: the sweep must pass it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fault_injection.errors import SWEEP_USAGE_CODES

FIXTURES = Path(__file__).parent / "fixtures" / "save_settings"
COMMAND = [sys.executable, "save_settings.py", "theme=dark"]


def harness(*args: str, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m fault_injection ARGS``."""
    return subprocess.run([sys.executable, "-m", "fault_injection", *args], capture_output=True,
                          text=True, timeout=300, check=False, cwd=cwd,
                          env={**os.environ, **(env or {})})


def sweep_fixture(version: str, tmp_path: Path, *extra: str) -> tuple[
        subprocess.CompletedProcess[str], dict[str, object]]:
    fixture = FIXTURES / version
    report = tmp_path / f"{version}.json"
    done = harness("sweep", "--fixture", str(fixture), "--oracle",
                   str(fixture / "fault-oracle.toml"), "--json", str(report), *extra, "--",
                   *COMMAND)
    return done, json.loads(report.read_text()) if report.exists() else {}


def test_the_sweep_finds_the_torn_file_of_the_in_place_writer(tmp_path: Path) -> None:
    done, report = sweep_fixture("inplace", tmp_path)
    assert done.returncode == 1, done.stderr
    failures = report["failures"]
    assert isinstance(failures, list) and failures
    torn = [f for f in failures if f["case"] == "program:enospc@os.write#1+"]
    assert torn, [f["case"] for f in failures]
    assert any("settings.json is torn: 0 bytes" in v for v in torn[0]["violations"])
    assert "FAILED program:enospc@os.write#1+ (exit 1)" in done.stdout
    assert "RECORDER_FAULTS='enospc@os.write#1+'" in torn[0]["reproduce"]
    # The reproducer rebuilds the fixture copy and tears the file again.
    command = torn[0]["reproduce"] + '; wc -c < "$d/settings.json"'
    again = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60,
                           check=False, env={**os.environ, "TMPDIR": str(tmp_path)})
    assert again.stdout.split() == ["exit=1", "0"], (command, again.stdout, again.stderr)
    assert "No space left on device" in again.stderr


def test_the_careful_writer_passes_every_run(tmp_path: Path) -> None:
    done, report = sweep_fixture("careful", tmp_path, "--jobs", "2")
    assert done.returncode == 0, done.stdout
    assert report["failed"] == 0
    counts = report["fault_points"]["program"]  # type: ignore[index]
    # Read, temporary file, fsync, rename, directory fsync: all counted, all failed in turn.
    assert set(counts) == {"os.open", "os.write", "os.fsync", "os.replace"}
    assert report["explored"] == report["planned"]
    assert report["explored"] > 40  # type: ignore[operator]
    assert set(report["outcomes"]) == {"failed", "interrupted"}  # type: ignore[arg-type]


def test_the_recorder_sweep_still_runs_without_a_command(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    done = harness("sweep", "--scenario", "exits", "--point", "rename", "--kind", "eio",
                   "--policies", "default", "--json", str(report))
    assert done.returncode == 0, done.stdout
    data = json.loads(report.read_text())
    assert data["explored"] == 2 and set(data["fault_points"]) == {"exits"}


NOT_PYTHON = ["true"]
# Each run opens one file more than the run before (its counter lives outside the fixture).
FLAKY = [sys.executable, "-c", "import pathlib\nc = pathlib.Path('{tmp}/runs')\n"
         "n = int(c.read_text()) if c.exists() else 0\nc.write_text(str(n + 1))\n"
         "for _ in range(n): open('n', 'w').close()"]


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


USAGE = [  # (name, arguments before "--" or None, command, code)
    ("bad plan", None, None, "ERR_INVALID_FAULT_PLAN"),
    ("unknown point", None, None, "ERR_UNKNOWN_FAULT_POINT"),
    ("crash at os.*", None, None, "ERR_FAULT_KIND_NOT_OFFERED"),
    ("missing fixture", ["--fixture", "{tmp}/nowhere"], COMMAND, "ERR_FIXTURE_MISSING"),
    ("oracle path outside", ["--fixture", "{fixture}", "--atomic", "../x"], COMMAND,
     "ERR_ORACLE_PATH_OUTSIDE"),
    ("oracle unknown key", ["--fixture", "{fixture}", "--oracle", "{tmp}/bad.toml"], COMMAND,
     "ERR_ORACLE_INVALID"),
    ("clean run fails", ["--fixture", "{fixture}"], [sys.executable, "-c", "raise SystemExit(3)"],
     "ERR_CLEAN_RUN_FAILED"),
    ("nondeterministic", [], FLAKY, "ERR_NONDETERMINISTIC"),
    ("isolated python", [], [sys.executable, "-I", "save_settings.py"], "ERR_BOOTSTRAP_BYPASSED"),
    ("-E", [], [sys.executable, "-E", "-c", "pass"], "ERR_BOOTSTRAP_BYPASSED"),
    ("-S", [], [sys.executable, "-bS", "x.py"], "ERR_BOOTSTRAP_BYPASSED"),
    ("not python", [], NOT_PYTHON, "ERR_BOOTSTRAP_NOT_LOADED"),
    ("no such command", [], ["no-such-command-here"], "ERR_COMMAND_NOT_FOUND"),
    ("nothing after --", [], [], "ERR_COMMAND_MISSING"),
    ("oracle without command", ["--atomic", "x"], None, "ERR_COMMAND_MISSING"),
    ("recorder option", ["--policies", "all"], COMMAND, "ERR_OPTION_CONFLICT"),
]


@pytest.mark.parametrize(("name", "options", "command", "code"), USAGE, ids=[u[0] for u in USAGE])
def test_bad_input_is_a_usage_error_with_its_own_code(
        tmp_path: Path, name: str, options: list[str] | None, command: list[str] | None,
        code: str) -> None:
    _write(tmp_path / "bad.toml", 'atomic = ["settings.json"]\nrecover = ["x"]\nexit_in = [0]\n')
    plans = {"bad plan": "enospc@os.write#", "unknown point": "enospc@os.wrtie#1",
             "crash at os.*": "crash@os.write#1"}
    if name in plans:
        done = harness("run", "--", *COMMAND, cwd=FIXTURES / "careful",
                       env={"RECORDER_FAULTS": plans[name]})
    else:
        fill = {"tmp": str(tmp_path), "fixture": str(FIXTURES / "careful")}
        args = [arg.format(**fill) for arg in options or []]
        tail = [] if command is None else ["--", *(arg.format(**fill) for arg in command)]
        done = harness("sweep", *args, "--json", str(tmp_path / "r.json"), *tail, cwd=tmp_path)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"fault_injection: [{code}] ")
    remedy = SWEEP_USAGE_CODES.get(code)
    if remedy is not None:
        assert last.endswith(f" - {remedy}")
    assert not (tmp_path / "r.json").exists()


def test_every_usage_code_is_tested_and_none_is_renamed() -> None:
    # The shard and merge codes are tested in test_shards.py (BAD_MERGES, bad --shard values).
    tested = {code for *_, code in USAGE} | {
        "ERR_INVALID_SHARD", "ERR_REPORT_INVALID", "ERR_SHARD_DUPLICATED", "ERR_SHARD_FOREIGN",
        "ERR_SHARD_MISSING"}
    assert set(SWEEP_USAGE_CODES) <= tested
    assert sorted(SWEEP_USAGE_CODES) == [
        "ERR_BOOTSTRAP_BYPASSED", "ERR_BOOTSTRAP_NOT_LOADED", "ERR_CLEAN_RUN_FAILED",
        "ERR_COMMAND_MISSING", "ERR_COMMAND_NOT_FOUND", "ERR_FIXTURE_MISSING",
        "ERR_INVALID_SHARD", "ERR_NONDETERMINISTIC", "ERR_OPTION_CONFLICT",
        "ERR_ORACLE_INVALID", "ERR_ORACLE_PATH_OUTSIDE", "ERR_REPORT_INVALID",
        "ERR_SHARD_DUPLICATED", "ERR_SHARD_FOREIGN", "ERR_SHARD_MISSING"]
