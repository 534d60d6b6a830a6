"""The policy table in code: what a recorder failure does, decided in one pure function.

Every part of the recorder that meets a failure (the session while starting, a tracer callback or
``flush`` while the program runs, the session while stopping or publishing, the command line and
auto-start when they pick an exit status) asks :func:`decide` and does what the
:class:`Decision` says. No other module compares the policy's switches, so the README's policy
table (generated from :data:`ROWS` by ``make docs``) is exactly what the code does::

    decide(policy, failure_kind, phase) -> Decision(action, exit_status)

* ``phase`` says where the failure happened (:class:`Phase`);
* ``action`` is one of: raise the classified error into the program, detach and let the program
  run on, publish the trace as far as it got (marked partial), or discard it (:class:`Action`);
* ``exit_status`` is the status the command line ends with, or ``None`` for "the script's own".

A usage-kind failure at the end of a run is the one non-failure the table knows: no trace was
recorded at all (``ERR_TRACE_MISSING``); it changes the exit status only under
``--require-trace``. A failure in another thread (the threads issue) is one more call with the same
phases, not a new path.
"""

from __future__ import annotations

import enum

from recorder.errors import ErrorKind
from recorder.policy import OnRecorderError, RecorderPolicy
from recorder.structs import struct

__all__ = ["ROWS", "Action", "Decision", "Phase", "decide", "raises_into_program"]


class Phase(enum.StrEnum):
    """Where a failure happened."""

    STARTING = "starting"  # preflight, staging the output, installing the hooks
    CALLBACK = "callback"  # while the program runs: a tracer callback, a stream proxy, flush()
    STOPPING = "stopping"  # the program ended: detaching, closing the trace, publishing it
    PUBLISHING = "publishing"  # publishing the partial trace that a failure left


class Action(enum.StrEnum):
    """What the recorder does about a failure."""

    RAISE = "raise into the program"
    DETACH = "detach and continue"
    PUBLISH_PARTIAL = "publish partial"
    DISCARD = "discard"


@struct(frozen=True)
class Decision:
    """The action to take now, and the exit status the run ends with (None: the script's own)."""

    action: Action
    exit_status: int | None


def decide(policy: RecorderPolicy, failure_kind: ErrorKind, phase: Phase) -> Decision:
    """The policy table (module docstring): pure, total over kinds, phases and policies."""
    aborts = policy.on_recorder_error is OnRecorderError.ABORT
    status = int(failure_kind.exit_code)
    if phase is Phase.STARTING or phase is Phase.CALLBACK:
        if aborts or failure_kind is ErrorKind.USAGE:
            return Decision(Action.RAISE, status)
        return Decision(Action.DETACH, status if policy.require_trace else None)
    # The program has ended: nothing is raised into it any more; the trace is kept or dropped.
    if phase is Phase.PUBLISHING:
        action = Action.DISCARD  # publishing what the failure left failed too: nothing is left
    else:
        action = Action.PUBLISH_PARTIAL if policy.keep_partial_trace else Action.DISCARD
    if failure_kind is ErrorKind.USAGE:  # no trace was recorded (ERR_TRACE_MISSING)
        return Decision(Action.DISCARD, status if policy.require_trace else None)
    return Decision(action, status if aborts or policy.require_trace else None)


def raises_into_program(decision: Decision) -> bool:
    """True when the failure must be raised where it happened."""
    return decision.action is Action.RAISE


#: The policy table's rows: (what happened, failure kind, phase). ``make docs`` renders them.
ROWS: tuple[tuple[str, ErrorKind, Phase], ...] = (
    ("bad value, trace dir is a file, hook conflict (start)", ErrorKind.USAGE, Phase.STARTING),
    ("output failure while starting (disk full, permission)", ErrorKind.ENVIRONMENT,
     Phase.STARTING),
    ("output failure while the program runs", ErrorKind.ENVIRONMENT, Phase.CALLBACK),
    ("bug inside the recorder (a callback crashed)", ErrorKind.INTERNAL, Phase.CALLBACK),
    ("output failure or bug after the program ended", ErrorKind.ENVIRONMENT, Phase.STOPPING),
    ("publishing the partial trace failed too", ErrorKind.ENVIRONMENT, Phase.PUBLISHING),
    ("no trace recorded at all (`ERR_TRACE_MISSING`)", ErrorKind.USAGE, Phase.STOPPING),
)
