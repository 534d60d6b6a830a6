"""The one containment guard (ADR 0004, principles 3, 7 and 15).

Every tracer callback runs its body inside ``try/except Exception`` and hands what it caught to
the session, which hands it here; every public entry point converts failures with
:func:`classify`. So an exception raised by the recorder's own code never reaches the traced
program as a foreign exception: it becomes a classified :class:`RecorderError`, is logged once
with its code, counted, and decided by the policy table (:func:`recorder.decision.decide`).
:meth:`Containment.report` returns that decision; it never detaches or raises itself, so failures
flow one way (the recording reports, the session decides, the recording applies the decision).

Only the first failure of a session is raised into the program; later ones (the recorder is
detached by then) are counted and logged only. ``KeyboardInterrupt`` and ``SystemExit`` raised by
the program are never caught (callbacks catch ``Exception`` only). In development mode
(``python -X dev``) a failed ``ensure_internal`` is fatal: it is raised whatever the policy, so
bugs fail loudly at once.
"""

from __future__ import annotations

import threading

from recorder import logs
from recorder.decision import Action, Decision, Phase, decide
from recorder.errors import ErrorCode, RecorderError, translate
from recorder.metrics import RecorderMetrics
from recorder.policy import RecorderPolicy

__all__ = ["Containment", "classify"]

_LOG_TEXT = {
    Action.RAISE: "aborting",
    Action.DETACH: "tracing disabled, the program runs on",
    Action.PUBLISH_PARTIAL: "publishing the partial trace",
    Action.DISCARD: "the trace is discarded",
}


def classify(exc: BaseException, point: str) -> RecorderError:
    """The classified error for a failure caught at ``point`` (with ``__cause__`` set)."""
    if isinstance(exc, RecorderError):
        return exc
    # I/O and memory failures keep their environmental meaning; anything else is our bug.
    code = None if isinstance(exc, (OSError, MemoryError)) else ErrorCode.CALLBACK_FAILED
    err = translate(exc, code=code, point=point)
    err.__cause__ = exc
    return err


class Containment:
    """Classifies, decides, logs and counts failures; remembers the first one and its decision."""

    def __init__(self, policy: RecorderPolicy, metrics: RecorderMetrics) -> None:
        self._policy = policy
        self._metrics = metrics
        self._lock = threading.Lock()
        self.failure: RecorderError | None = None
        self.decision: Decision | None = None

    def report(
        self, exc: BaseException, point: str, phase: Phase, *, log: bool = True,
    ) -> tuple[RecorderError, Decision]:
        """The classified error of ``exc`` and what to do about it now.

        ``log=False`` when the caller reports the error itself (a failure to start is reported
        once, by whoever started the session).
        """
        err = classify(exc, point)
        decision = decide(self._policy, err.kind, phase)
        if err.fatal:  # development mode: a broken invariant is raised, never contained
            return err, Decision(Action.RAISE, decision.exit_status)
        with self._lock:
            first = self.failure is None
            if first:
                self.failure, self.decision = err, decision
        self._metrics.contained_failure(err.code.value, point)
        if not first:
            if decision.action is Action.RAISE:
                # The program was told once; the recorder is detached by now.
                decision = Decision(Action.DETACH, decision.exit_status)
        elif log:
            level = logs.WARNING if decision.exit_status is None else logs.ERROR
            logs.log(level, f"{err.message} ({_LOG_TEXT[decision.action]})",
                     {**err.context, "point": point}, err.code.value)
        return err, decision
