"""The exit status and the reported error for every combination the policy table names."""

from __future__ import annotations

import pytest

from recorder.cli import _verdict
from recorder.errors import ErrorCode, bug, enverr
from recorder.policy import OnRecorderError, RecorderPolicy
from recorder.script import ScriptEnd
from recorder.session import Outcome

DISK = enverr(ErrorCode.DISK_FULL, "disk full")
CRASH = bug(ErrorCode.CALLBACK_FAILED, "crash")

OK = ScriptEnd(0, "exit")
EXIT5 = ScriptEnd(5, "exit")
RAISED = ScriptEnd(20, "exception", ValueError("x"))
ABORTED_DISK = ScriptEnd(10, "recorder-error", DISK)

COMPLETE = Outcome(published=True, partial=False, failure=None)
PARTIAL_DISK = Outcome(published=True, partial=True, failure=DISK)
NOTHING_DISK = Outcome(published=False, partial=False, failure=DISK)
NOTHING_CRASH = Outcome(published=False, partial=False, failure=CRASH)
NOTHING = Outcome(published=False, partial=False, failure=None)


def pol(on: str = "abort", **kw: bool) -> RecorderPolicy:
    return RecorderPolicy(on_recorder_error=OnRecorderError(on), **kw)


# (script end, outcome, start failure, policy) -> (status, reported code or None)
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
    (EXIT5, None, DISK, pol("disable"), (5, None)),  # could not start: ran untraced
    (EXIT5, NOTHING_DISK, None, pol("disable", require_trace=True), (10, ErrorCode.DISK_FULL)),
    (EXIT5, PARTIAL_DISK, None, pol("disable", require_trace=True, keep_partial_trace=True),
     (10, ErrorCode.DISK_FULL)),
    (EXIT5, NOTHING_CRASH, None, pol("disable", require_trace=True),
     (70, ErrorCode.CALLBACK_FAILED)),
    (OK, NOTHING, None, pol(require_trace=True), (2, ErrorCode.TRACE_MISSING)),
    (OK, None, DISK, pol("disable", require_trace=True), (10, ErrorCode.DISK_FULL)),
    (OK, COMPLETE, None, pol(require_trace=True), (0, None)),
]


@pytest.mark.parametrize(("end", "outcome", "start_failure", "policy", "expected"), TABLE)
def test_verdict(end: ScriptEnd, outcome: Outcome | None, start_failure: object,
                 policy: RecorderPolicy, expected: tuple[int, ErrorCode | None]) -> None:
    status, report = _verdict(end, outcome, start_failure, policy)  # type: ignore[arg-type]
    assert (status, report.code if report else None) == expected
