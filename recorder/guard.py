"""The one containment guard (ADR 0004, principles 3, 7 and 15).

Every tracer callback runs its body inside ``try/except Exception`` and hands what it caught to
:meth:`Containment.handle`; every public entry point converts failures with :func:`classify`. So an
exception raised by the recorder's own code never reaches the traced program as a foreign
exception: it becomes a classified :class:`RecorderError`, is logged once with its code, counted,
and handled by the policy:

* ``disable``: tracing is detached from every thread and the program runs on untouched;
* ``abort``: tracing is detached, then the classified error is raised into the program at that
  point (the command line turns it into exit code 10 or 70).

``KeyboardInterrupt`` and ``SystemExit`` raised by the program are never caught here (callbacks
catch ``Exception`` only). In development mode (``python -X dev``) a failed ``ensure_internal`` is
fatal and passes through untouched, so bugs fail loudly at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from recorder import logs
from recorder.errors import ErrorCode, RecorderError, translate
from recorder.metrics import RecorderMetrics
from recorder.policy import OnRecorderError, RecorderPolicy


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
    """Applies the policy to failures inside the recorder; remembers the first one."""

    def __init__(
        self,
        policy: RecorderPolicy,
        metrics: RecorderMetrics,
        detach: Callable[[str, RecorderError], None],
    ) -> None:
        self._policy = policy
        self._metrics = metrics
        self._detach = detach
        self._lock = threading.Lock()
        self.failure: RecorderError | None = None

    @property
    def aborts(self) -> bool:
        """True when a failure is raised into the program (policy ``abort``)."""
        return self._policy.on_recorder_error is OnRecorderError.ABORT

    def record(self, err: RecorderError, point: str) -> bool:
        """Count ``err`` and keep it if it is the first failure; True if it was the first."""
        with self._lock:
            first = self.failure is None
            if first:
                self.failure = err
        self._metrics.contained_failure(err.code.value, point)
        if first:
            level = logging.ERROR if self.aborts else logging.WARNING
            action = "aborting" if self.aborts else "tracing disabled, the program runs on"
            logs.get_logger().log(
                level, f"{err.message} ({action})",
                extra={"error_code": err.code.value, "context": {**err.context, "point": point}})
        return first

    def handle(self, exc: BaseException, point: str) -> None:
        """Called from inside a callback: detach, then return (disable) or raise (abort)."""
        err = classify(exc, point)
        if err.fatal:
            self._detach("fatal", err)
            raise err
        first = self.record(err, point)
        self._detach("policy-" + self._policy.on_recorder_error.value, err)
        if self.aborts and first:
            raise err
