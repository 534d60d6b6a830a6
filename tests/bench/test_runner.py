"""The runner: alternation order, failures turned into reasons, priming, scratch cleanup.

The commands are tiny Python children that log their label; nothing here asserts a duration.
"""

import sys
from pathlib import Path

from bench.runner import Command, RunResult, alternate, failure_reason, run_once


def _logger(label: str, log: Path, code: int = 0, extra: str = "") -> Command:
    script = (
        f"import sys; open({str(log)!r}, 'a').write({label!r} + ' '); {extra}"
        f"sys.stderr.write('boom {label}\\n'); sys.exit({code})"
    )
    return Command(label, (sys.executable, "-c", script))


def test_variants_alternate_and_rotate(tmp_path: Path) -> None:
    log = tmp_path / "log"
    cmds = [_logger(x, log) for x in ("A", "B", "C")]
    outcomes = alternate(cmds, 3, tmp_path / "out")
    assert log.read_text().split() == ["A", "B", "C", "B", "C", "A", "C", "A", "B"]
    assert all(len(o.runs) == 3 and o.error is None for o in outcomes.values())
    assert all(r.maxrss_kib > 0 and r.returncode == 0 for o in outcomes.values() for r in o.runs)


def test_failing_variant_is_reported_and_skipped(tmp_path: Path) -> None:
    log = tmp_path / "log"
    cmds = [_logger("A", log), _logger("B", log, code=3)]
    outcomes = alternate(cmds, 3, tmp_path / "out")
    assert log.read_text().split() == ["A", "B", "A", "A"]
    assert outcomes["B"].error == "exit status 3: boom B"
    assert outcomes["B"].runs == []
    assert len(outcomes["A"].runs) == 3


def test_missing_program_is_a_reason_not_a_crash(tmp_path: Path) -> None:
    outcomes = alternate([Command("gone", ("/nonexistent/tool",))], 2, tmp_path / "out")
    assert outcomes["gone"].error is not None
    assert "cannot start /nonexistent/tool" in outcomes["gone"].error


def test_prime_runs_once_untimed(tmp_path: Path) -> None:
    log = tmp_path / "log"
    base = _logger("P", log)
    primed = Command("P", base.argv, prime=True)
    outcomes = alternate([primed], 2, tmp_path / "out")
    assert log.read_text().split() == ["P", "P", "P"]
    assert len(outcomes["P"].runs) == 2


def test_scratch_is_emptied_before_each_run(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "stale").write_text("old")
    check = f"import os, sys; sys.exit(1 if os.path.exists({str(scratch / 'stale')!r}) else 0)"
    result = run_once(Command("s", (sys.executable, "-c", check), scratch=scratch), tmp_path)
    assert result.returncode == 0


def test_inspect_facts_from_first_good_run(tmp_path: Path) -> None:
    log = tmp_path / "log"
    seen: list[str] = []

    def inspect(cmd: Command, result: RunResult) -> dict[str, float]:
        seen.append(cmd.label)
        return {"lines": float(len(result.stdout_path.read_text().splitlines()))}

    cmd = Command("W", (sys.executable, "-c", "print('a'); print('b')"))
    outcomes = alternate([cmd, _logger("X", log)], 2, tmp_path / "out", inspect)
    assert outcomes["W"].facts == {"lines": 2.0}
    assert seen == ["W", "X"]


def test_failure_reason() -> None:
    cmd = Command("t", ("x",), ok_codes=frozenset({0, 1}))
    good = RunResult(1.0, 10, 1, Path("o"), "")
    bad = RunResult(1.0, 10, 70, Path("o"), "Traceback...\n  ...\nValueError: x\n\n")
    assert failure_reason(cmd, good) is None
    assert failure_reason(cmd, bad) == "exit status 70: ValueError: x"


def test_hung_command_is_killed_and_reported(tmp_path: Path) -> None:
    # The child starts a grandchild in its process group; both must be gone after the timeout.
    script = (
        "import subprocess, sys, time; "
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"
    )
    cmd = Command("hang", (sys.executable, "-c", script), timeout=0.5)
    outcomes = alternate([cmd], 2, tmp_path / "out")
    assert outcomes["hang"].error == "timed out after 0.5 s (killed)"
    assert outcomes["hang"].runs == []
