"""The exit status and the reported error for every combination the policy table names."""

from __future__ import annotations

import pytest

from recorder.cli import _verdict
from recorder.decision import Phase, decide
from recorder.errors import ErrorCode, RecorderError, bug, enverr
from recorder.policy import OnRecorderError, RecorderPolicy
from recorder.script import ScriptEnd
from recorder.session import Outcome

DISK = enverr(ErrorCode.DISK_FULL, "disk full")
CRASH = bug(ErrorCode.CALLBACK_FAILED, "crash")

OK = ScriptEnd(0, "exit")
EXIT5 = ScriptEnd(5, "exit")
RAISED = ScriptEnd(20, "exception", ValueError("x"))
ABORTED_DISK = ScriptEnd(10, "recorder-error", DISK)

COMPLETE = "complete"
PARTIAL_DISK = "partial", DISK, Phase.CALLBACK
NOTHING_DISK = "nothing", DISK, Phase.CALLBACK
NOTHING_CRASH = "nothing", CRASH, Phase.CALLBACK
NOTHING = "nothing"
NOT_STARTED = "nothing", DISK, Phase.STARTING  # could not start: the script ran untraced


def outcome_of(spec: object, policy: RecorderPolicy) -> Outcome | None:
    """The session's outcome for ``spec``, with the decision the session would have taken."""
    if spec is None:
        return None
    if isinstance(spec, str):
        return Outcome(published=spec == "complete", partial=False, failure=None)
    shape, failure, phase = spec  # type: ignore[misc]
    assert isinstance(failure, RecorderError)
    return Outcome(published=shape == "partial", partial=shape == "partial", failure=failure,
                   decision=decide(policy, failure.kind, phase))


def pol(on: str = "abort", **kw: bool) -> RecorderPolicy:
    return RecorderPolicy(on_recorder_error=OnRecorderError(on), **kw)


# (script end, outcome, unused, policy) -> (status, reported code or None)
TABLE = [
    (OK, COMPLETE, None, pol(), (0, None)),
    (EXIT5, COMPLETE, None, pol("disable"), (5, None)),
    (RAISED, COMPLETE, None, pol(), (20, None)),
    (RAISED, COMPLETE, None, pol(json_errors=True), (20, ErrorCode.TARGET_RAISED)),
    (ABORTED_DISK, NOTHING_DISK, None, pol(), (10, ErrorCode.DISK_FULL)),
    (OK, NOTHING_DISK, None, pol(), (10, ErrorCode.DISK_FULL)),  # failed while publishing
    (OK, NOTHING_CRASH, None, pol(), (70, ErrorCode.CALLBACK_FAILED)),
    (EXIT5, NOTHING_DISK, None, pol("disable"), (5, None)),
    (EXIT5, NOTHING_CRASH, None, pol("disable"), (5, None)),
    (EXIT5, PARTIAL_DISK, None, pol("disable", keep_partial_trace=True), (5, None)),
    (EXIT5, NOT_STARTED, None, pol("disable"), (5, None)),
    (EXIT5, NOTHING_DISK, None, pol("disable", require_trace=True), (10, ErrorCode.DISK_FULL)),
    (EXIT5, PARTIAL_DISK, None, pol("disable", require_trace=True, keep_partial_trace=True),
     (10, ErrorCode.DISK_FULL)),
    (EXIT5, NOTHING_CRASH, None, pol("disable", require_trace=True),
     (70, ErrorCode.CALLBACK_FAILED)),
    (OK, NOTHING, None, pol(require_trace=True), (2, ErrorCode.TRACE_MISSING)),
    (OK, NOT_STARTED, None, pol("disable", require_trace=True), (10, ErrorCode.DISK_FULL)),
    (OK, None, None, pol(require_trace=True), (2, ErrorCode.TRACE_MISSING)),  # did not compile
    (OK, None, None, pol(), (0, None)),
    (OK, COMPLETE, None, pol(require_trace=True), (0, None)),
]


@pytest.mark.parametrize(("end", "outcome", "unused", "policy", "expected"), TABLE)
def test_verdict(end: ScriptEnd, outcome: object, unused: None,
                 policy: RecorderPolicy, expected: tuple[int, ErrorCode | None]) -> None:
    status, report = _verdict(end, outcome_of(outcome, policy), policy)
    assert (status, report.code if report else None) == expected
