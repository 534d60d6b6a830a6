"""The policy decision: the table in code, its README rendering, and nobody else deciding.

Rows are (policy switches, failure kind, phase) -> (action, exit status); ``None`` means the
script's own exit status.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

from recorder import policy_table
from recorder.decision import ROWS, Action, Decision, Phase, decide
from recorder.errors import ErrorKind
from recorder.policy import OnRecorderError, RecorderPolicy

REPO = Path(__file__).resolve().parents[2]
ABORT, DISABLE = OnRecorderError.ABORT, OnRecorderError.DISABLE
USAGE, ENV, INTERNAL = ErrorKind.USAGE, ErrorKind.ENVIRONMENT, ErrorKind.INTERNAL
RAISE, DETACH = Action.RAISE, Action.DETACH
PARTIAL, DISCARD = Action.PUBLISH_PARTIAL, Action.DISCARD


def pol(on: OnRecorderError, require: bool = False, keep: bool = False) -> RecorderPolicy:
    return RecorderPolicy(on_recorder_error=on, require_trace=require, keep_partial_trace=keep)


TABLE: list[tuple[RecorderPolicy, ErrorKind, Phase, Action, int | None]] = [
    # A usage error is raised whatever the policy.
    (pol(ABORT), USAGE, Phase.STARTING, RAISE, 2),
    (pol(DISABLE), USAGE, Phase.STARTING, RAISE, 2),
    (pol(DISABLE, keep=True), USAGE, Phase.CALLBACK, RAISE, 2),
    # Starting and running: abort raises with the kind's status, disable runs on.
    (pol(ABORT), ENV, Phase.STARTING, RAISE, 10),
    (pol(DISABLE), ENV, Phase.STARTING, DETACH, None),
    (pol(DISABLE, require=True), ENV, Phase.STARTING, DETACH, 10),
    (pol(ABORT), INTERNAL, Phase.CALLBACK, RAISE, 70),
    (pol(ABORT, keep=True), ENV, Phase.CALLBACK, RAISE, 10),
    (pol(DISABLE), INTERNAL, Phase.CALLBACK, DETACH, None),
    (pol(DISABLE, require=True), INTERNAL, Phase.CALLBACK, DETACH, 70),
    (pol(DISABLE, keep=True), ENV, Phase.CALLBACK, DETACH, None),
    # Stopping: never raised; keep-partial decides what is published, abort/require the status.
    (pol(ABORT), ENV, Phase.STOPPING, DISCARD, 10),
    (pol(ABORT, keep=True), ENV, Phase.STOPPING, PARTIAL, 10),
    (pol(DISABLE), INTERNAL, Phase.STOPPING, DISCARD, None),
    (pol(DISABLE, keep=True), INTERNAL, Phase.STOPPING, PARTIAL, None),
    (pol(DISABLE, require=True, keep=True), ENV, Phase.STOPPING, PARTIAL, 10),
    (pol(DISABLE, require=True), INTERNAL, Phase.STOPPING, DISCARD, 70),
    # Publishing the partial trace failed: nothing is left, whatever keep-partial says.
    (pol(ABORT, keep=True), ENV, Phase.PUBLISHING, DISCARD, 10),
    (pol(DISABLE, keep=True), ENV, Phase.PUBLISHING, DISCARD, None),
    (pol(DISABLE, require=True, keep=True), INTERNAL, Phase.PUBLISHING, DISCARD, 70),
    # No trace at all (ERR_TRACE_MISSING): only --require-trace makes it fail, with 2.
    (pol(ABORT), USAGE, Phase.STOPPING, DISCARD, None),
    (pol(ABORT, keep=True), USAGE, Phase.STOPPING, DISCARD, None),
    (pol(DISABLE, require=True), USAGE, Phase.STOPPING, DISCARD, 2),
    (pol(ABORT, require=True, keep=True), USAGE, Phase.PUBLISHING, DISCARD, 2),
]


@pytest.mark.parametrize(("policy", "kind", "phase", "action", "status"), TABLE)
def test_decide(policy: RecorderPolicy, kind: ErrorKind, phase: Phase, action: Action,
                status: int | None) -> None:
    assert decide(policy, kind, phase) == Decision(action, status)


def test_decide_is_total_and_never_raises_after_the_program_ended() -> None:
    for on, require, keep, kind, phase in itertools.product(
            OnRecorderError, (False, True), (False, True), ErrorKind, Phase):
        decision = decide(pol(on, require, keep), kind, phase)
        ended = phase in (Phase.STOPPING, Phase.PUBLISHING)
        assert (decision.action in (PARTIAL, DISCARD)) == ended
        assert decision.exit_status in (None, int(kind.exit_code))
        # Only the two flags that change the outcome of a run change the status.
        if on is DISABLE and not require:
            assert decision.exit_status is None or decision.action is RAISE


def test_the_readme_table_is_the_code_s() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert policy_table.replace_block(readme, policy_table.render()) == readme
    for what, _, phase in ROWS:
        assert f"| {what} | {phase.value} |" in readme


def test_the_table_check_fails_on_a_drifted_readme(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    original = (REPO / "README.md").read_text(encoding="utf-8")
    block = original.index(policy_table.BEGIN)
    drifted = original[:block] + original[block:].replace("; exit 70 |", "; exit 71 |", 1)
    assert drifted != original
    readme.write_text(drifted, encoding="utf-8")
    assert policy_table.main(["--check", str(readme)]) == 1
    assert policy_table.main(["--write", str(readme)]) == 0
    assert readme.read_text(encoding="utf-8") == original
    assert policy_table.main(["--check", str(readme)]) == 0


SWITCHES = {"on_recorder_error", "require_trace", "keep_partial_trace"}
#: decide() itself, and the modules that define or render the policy (they read no switch to act).
ALLOWED = {"recorder/decision.py", "recorder/policy.py"}


def _policy_reads(path: Path) -> list[str]:
    """Places in ``path`` that compare a policy enum or read a policy switch."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and (
                node.attr in SWITCHES) and not (  # the command line's parsed flags are not it
                isinstance(node.value, ast.Name) and node.value.id == "options"):
            found.append(f"{path.name}:{node.lineno} reads .{node.attr}")
        if isinstance(node, ast.Compare) and any(
                isinstance(sub, ast.Name) and sub.id == "OnRecorderError"
                for side in [node.left, *node.comparators] for sub in ast.walk(side)):
            found.append(f"{path.name}:{node.lineno} compares OnRecorderError")
    return found


def test_the_policy_switches_are_read_nowhere_but_in_decide() -> None:
    offenders = []
    for path in sorted((REPO / "recorder").rglob("*.py")):
        if path.relative_to(REPO).as_posix() not in ALLOWED:
            offenders += _policy_reads(path)
    assert offenders == []


def test_the_scan_sees_a_policy_branch(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("if policy.on_recorder_error is OnRecorderError.ABORT:\n    raise err\n")
    assert len(_policy_reads(sneaky)) == 2


def test_only_a_raise_is_raised_into_the_program() -> None:
    from recorder.decision import raises_into_program

    assert [raises_into_program(Decision(action, 2)) for action in Action] == [
        action is RAISE for action in Action]
