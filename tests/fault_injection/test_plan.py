"""Fault plans: the text parses to what it says, round-trips; bad plans are usage errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given

from fault_injection.errors import PlanError
from fault_injection.plan import FaultPlan, FaultSpec, parse_plan, single
from fault_injection.strategies import fault_plans, plan_texts

GOOD = [
    ("enospc@write#3", [FaultSpec("enospc", "write", nth=3, times=1)]),
    ("enospc@write#3+", [FaultSpec("enospc", "write", nth=3, times=None)]),
    ("enospc@write#3x2", [FaultSpec("enospc", "write", nth=3, times=2)]),
    ("eio@fsync%0.1:seed=7", [FaultSpec("eio", "fsync", nth=None, probability=0.1, seed=7,
                                        times=None)]),
    ("eio@fsync%0.5x1", [FaultSpec("eio", "fsync", nth=None, probability=0.5, seed=0, times=1)]),
    ("crash@line", [FaultSpec("crash", "line", nth=1, times=1)]),
    ("sigint@*#10", [FaultSpec("sigint", "*", nth=10, times=1)]),
    ("enospc@write#3; sigint@rename#1; crash@line#100",
     [FaultSpec("enospc", "write", 3), FaultSpec("sigint", "rename", 1),
      FaultSpec("crash", "line", 100)]),
    (" efbig @ write # 2 \n eacces@open ;; ", [FaultSpec("efbig", "write", 2),
                                               FaultSpec("eacces", "open", 1)]),
    ("", []),
    # Qualified points of the generic file-system seams; aliases read as the point they count at.
    ("enospc@os.write#3; eio@os.fsync#1+; sigint@os.replace#1",
     [FaultSpec("enospc", "os.write", 3), FaultSpec("eio", "os.fsync", 1, times=None),
      FaultSpec("sigint", "os.replace", 1)]),
    ("eacces@os.remove#2; eio@builtins.open", [FaultSpec("eacces", "os.unlink", 2),
                                               FaultSpec("eio", "os.open", 1)]),
]

BAD = [  # text, what the message names, the error's code
    ("enospc", "expected KIND@POINT", "ERR_INVALID_FAULT_PLAN"),
    ("enospc@wrte#1", "unknown fault point 'wrte'", "ERR_UNKNOWN_FAULT_POINT"),
    ("boom@write#1", "unknown fault kind 'boom'", "ERR_INVALID_FAULT_PLAN"),
    ("enospc@write#0", "N >= 1", "ERR_INVALID_FAULT_PLAN"),
    ("enospc@write#-1", "expected KIND@POINT[", "ERR_INVALID_FAULT_PLAN"),
    ("enospc@write#x", "expected KIND@POINT[", "ERR_INVALID_FAULT_PLAN"),
    ("eio@fsync%0", "not in (0, 1]", "ERR_INVALID_FAULT_PLAN"),
    ("eio@fsync%1.5", "not in (0, 1]", "ERR_INVALID_FAULT_PLAN"),
    ("eio@fsync%abc", "expected KIND@POINT[", "ERR_INVALID_FAULT_PLAN"),
    ("eio@fsync%0.1.2", "is not a number", "ERR_INVALID_FAULT_PLAN"),
    ("eio@fsync#1x0", "xTIMES must be at least 1", "ERR_INVALID_FAULT_PLAN"),
    ("enospc@write#1; crash@nowhere", "'crash@nowhere'", "ERR_UNKNOWN_FAULT_POINT"),
    ("enospc@os.wrte#1", "unknown fault point 'os.wrte'", "ERR_UNKNOWN_FAULT_POINT"),
    ("crash@os.write#1", "'crash' is not offered at os.write", "ERR_FAULT_KIND_NOT_OFFERED"),
]


@pytest.mark.parametrize(("text", "specs"), GOOD)
def test_good_plans_parse_to_what_they_say(text: str, specs: list[FaultSpec]) -> None:
    assert parse_plan(text) == FaultPlan(tuple(specs))


@pytest.mark.parametrize(("text", "message", "code"), BAD)
def test_bad_plans_are_plan_errors_naming_the_problem(text: str, message: str, code: str) -> None:
    with pytest.raises(PlanError) as info:
        parse_plan(text)
    assert message in str(info.value)
    assert info.value.code == code
    assert info.value.exit_code == 2


@given(fault_plans())
def test_canonical_text_round_trips(plan: FaultPlan) -> None:
    assert parse_plan(str(plan)) == plan
    assert str(parse_plan(str(plan))) == str(plan)


@given(plan_texts())
def test_spacing_and_separators_do_not_matter(sample: tuple[str, FaultPlan]) -> None:
    text, plan = sample
    assert parse_plan(text) == plan


def test_single_builds_transient_and_persistent_plans() -> None:
    assert str(single("eio", "fsync", 2)) == "eio@fsync#2"
    assert str(single("eio", "fsync", 2, persistent=True)) == "eio@fsync#2+"
    with pytest.raises(PlanError):
        single("eio", "nowhere", 1)


@pytest.mark.parametrize("json_errors", [False, True])
def test_a_bad_plan_on_the_command_line_exits_2_with_its_code(
        tmp_path: Path, json_errors: bool) -> None:
    script = tmp_path / "s.py"
    script.write_text("print('hi')\n")
    args = ["--json-errors"] if json_errors else []
    env = {**os.environ, "RECORDER_FAULTS": "enospc@wrte#1"}
    done = subprocess.run([sys.executable, "-m", "fault_injection", "exec", "--trace-dir",
                           str(tmp_path / "t"), *args, str(script)],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stdout == ""  # the script never ran
    last = done.stderr.strip().splitlines()[-1]
    assert "ERR_INVALID_FAULT_PLAN" in last
    assert "unknown fault point 'wrte'" in last
    assert last.startswith("{" if json_errors else "recorder: [ERR_INVALID_FAULT_PLAN]")
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "t").exists()
