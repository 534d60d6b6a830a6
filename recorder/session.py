"""A trace session's lifecycle and the public API (``start``, ``stop``, ``flush``, ``trace``).

A :class:`TraceSession` ties the pieces together: preflight, the atomic output layer, the
recording engine and the containment guard. Its end is the one place where the policy decides
what is published:

* no failure: the trace is finished and published atomically;
* a failure and ``keep_partial_trace``: the trace is closed where it got to, marked
  ``partial`` with the failure's code, and published (if even that fails, nothing is left);
* a failure otherwise: the staging directory is removed; nothing is left.

Detaching, finishing and publishing run inside a deferred-SIGINT critical section, so a Ctrl-C
there cannot leave a half-published trace; the signal is re-delivered once the state is
consistent. Lifecycle steps are fault points (``seams``: start, flush, detach, stop).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import recorder
from recorder import logs, seams
from recorder.errors import ErrorCode, RecorderError, usage
from recorder.guard import Containment, classify
from recorder.metrics import RecorderMetrics, get_metrics
from recorder.output import LayerState, OutputLayer
from recorder.policy import OnRecorderError, RecorderPolicy, policy_snapshot, resolve_policy
from recorder.preflight import preflight
from recorder.recording import Recording
from recorder.signals import deferred_signals
from recorder.trace_writer import TRACE_SCHEMA_VERSION
from recorder.tracing.filters import CodeFilter

RECORDER_NAME = "codetracer-recorder-errors"


@dataclass(frozen=True)
class Outcome:
    """What a stopped session left behind."""

    published: bool
    partial: bool
    failure: RecorderError | None

    @property
    def complete(self) -> bool:
        """True when a complete (not partial) trace was published."""
        return self.published and not self.partial


class TraceSession:
    """One recording, from ``start`` to ``stop``."""

    def __init__(
        self,
        trace_dir: str | os.PathLike[str],
        *,
        policy: RecorderPolicy,
        backend: str = "auto",
        format: str = "json",
        program: str | None = None,
        args: Sequence[str] | None = None,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        metrics: RecorderMetrics | None = None,
    ) -> None:
        self.trace_dir = Path(trace_dir).absolute()
        self.policy = policy
        self.requested_backend = backend
        self.format = format
        self.program = os.path.abspath(program if program is not None else (sys.argv[0] or "-"))
        self.args = list(args if args is not None else sys.argv[1:])
        self.include, self.exclude = tuple(include), tuple(exclude)
        self.metrics = metrics or get_metrics()
        self.trace_id = uuid.uuid4().hex
        self.backend = ""
        self.state = "new"
        self.outcome: Outcome | None = None
        self._containment = Containment(policy, self.metrics, self._on_detach)
        self._layer: OutputLayer | None = None
        self._recording: Recording | None = None
        self._detach_lock = threading.Lock()
        self._pid = os.getpid()

    @property
    def failure(self) -> RecorderError | None:
        """The first recorder failure of this session, if any."""
        return self._containment.failure

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Preflight, stage the output, install the hooks. Raises a classified error on failure."""
        if self.state != "new":
            raise usage(ErrorCode.ALREADY_TRACING, "this session was already started")
        logs.set_trace_id(self.trace_id)
        with deferred_signals():
            self._start()

    def _start(self) -> None:
        try:
            seams.hit("start")
            self.backend = preflight(backend=self.requested_backend, format=self.format,
                                     schema_version=TRACE_SCHEMA_VERSION)
            self._layer = OutputLayer(self.trace_dir)
            self._layer.begin()
            self._recording = Recording(
                self._layer, program=self.program, args=self.args, backend=self.backend,
                filters=CodeFilter(include=self.include, exclude=self.exclude),
                on_failure=self._containment.handle, metrics=self.metrics)
            self._recording.start()
            self.state = "tracing"
            logs.get_logger().info(
                "tracing started", extra={"context": {"trace_dir": str(self.trace_dir),
                                                      "backend": self.backend}})
        except Exception as exc:
            err = classify(exc, "start")
            self._abandon()
            self.state = "stopped"
            self.outcome = Outcome(published=False, partial=False, failure=err)
            logs.set_trace_id(None)
            raise err from (None if err is exc else exc)

    def flush(self) -> None:
        """Push buffered events to disk; a failure is handled by the policy."""
        if self.state != "tracing" or self._recording is None:
            return
        try:
            seams.hit("flush")
            self._recording.flush()
        except Exception as exc:
            self._containment.handle(exc, "flush")

    def detach(self, reason: str = "api") -> None:
        """Stop recording events (the trace stays staged until :meth:`stop`)."""
        with deferred_signals():
            self._detach_hooks()
        if self.state == "tracing":
            self.state = "detached"
            self.metrics.detached(reason)

    def stop(self, exit_code: int | None = 0, label: str | None = None) -> Outcome:
        """Detach, then publish or discard the trace as the policy says. Idempotent."""
        if self.outcome is not None:
            return self.outcome
        if os.getpid() != self._pid:
            # A forked child: the staged trace belongs to the parent. Never publish or remove it.
            self._detach_hooks()
            self.outcome = Outcome(published=False, partial=False, failure=None)
            return self.outcome
        with deferred_signals():
            self.outcome = self._finish(exit_code, label)
            self._log_notes()
        # The trace id stays set: the report written after stop (the trailer) names this trace.
        return self.outcome

    def _log_notes(self) -> None:
        # Cleanup problems the output layer worked around without failing (e.g. a leftover it
        # could not remove): worth a warning, never worth failing the run.
        for note in getattr(self._layer, "notes", ()):
            logs.get_logger().warning(str(note))

    # -- internals ------------------------------------------------------------------------------

    def _on_detach(self, reason: str, err: RecorderError) -> None:
        self._detach_hooks()
        if self.state == "tracing":
            self.state = "detached"
        self.metrics.detached(reason, err.code.value)

    def _detach_hooks(self) -> None:
        with self._detach_lock:
            recording = self._recording
            if recording is not None:
                try:
                    seams.hit("detach")
                finally:
                    # Whatever the fault, the hooks come off: the program must run on untouched.
                    recording.detach()

    def _contain(self, exc: BaseException, point: str) -> None:
        # Failures while stopping are never raised into the program: they decide the outcome.
        self._containment.record(classify(exc, point), point)

    def _finish(self, exit_code: int | None, label: str | None) -> Outcome:
        try:
            seams.hit("stop")
        except Exception as exc:
            self._contain(exc, "stop")
        try:
            self._detach_hooks()
        except Exception as exc:
            self._contain(exc, "detach")
        if self.state == "tracing":
            self.metrics.detached("stop")
        self.state = "stopped"
        if self._recording is None or self._layer is None:
            return Outcome(published=False, partial=False, failure=self.failure)
        if self.failure is None:
            try:
                self._recording.finish(exit_code, label, self._metadata())
                self._layer.publish()
                return Outcome(published=True, partial=False, failure=None)
            except Exception as exc:
                self._contain(exc, "stop")
        failure = self.failure
        if (failure is not None and self.policy.keep_partial_trace
                and self._layer.state is LayerState.STAGING):
            try:
                self._recording.finish_partial(failure.code.value, self._metadata(failure))
                self._layer.publish()
                return Outcome(published=True, partial=True, failure=failure)
            except Exception as exc:
                logs.log_error(classify(exc, "stop"))
        self._abandon()
        return Outcome(published=False, partial=False, failure=failure)

    def _abandon(self) -> None:
        if self._recording is not None:
            with contextlib.suppress(Exception):
                self._recording.detach()
        if self._layer is not None:
            self._layer.abandon()

    def _metadata(self, failure: RecorderError | None = None) -> dict[str, object]:
        return {
            "recorder": {"name": RECORDER_NAME, "version": recorder.__version__,
                         "target_script": self.program},
            "schema_version": TRACE_SCHEMA_VERSION,
            "policy_hash": self.policy.digest(),
            "policy": self.policy.to_json(),
            "run_id": logs.RUN_ID,
            "trace_id": self.trace_id,
            "partial": failure is not None,
            "partial_reason": failure.code.value if failure is not None else None,
        }


# -- the module-level API --------------------------------------------------------------------------

_active_lock = threading.Lock()
_active: TraceSession | None = None


def activate(session: TraceSession) -> None:
    """Make ``session`` the active one, as if :func:`start` had started it (the CLI's session).

    The traced script then sees ``recorder.is_tracing()`` and gets ``ERR_ALREADY_TRACING`` from a
    second ``recorder.start()``.
    """
    global _active
    with _active_lock:
        if _active is not None:
            raise usage(ErrorCode.ALREADY_TRACING, "a trace session is already active",
                        trace_dir=str(_active.trace_dir))
        _active = session


def deactivate(session: TraceSession) -> None:
    """Forget ``session`` if it is the active one."""
    global _active
    with _active_lock:
        if _active is session:
            _active = None


def _as_policy(policy: RecorderPolicy | Mapping[str, object] | None) -> RecorderPolicy:
    if policy is None:
        return policy_snapshot()
    if isinstance(policy, RecorderPolicy):
        return policy
    return resolve_policy(None, **dict(policy))


def start(
    trace_dir: str | os.PathLike[str],
    *,
    format: str = "json",
    policy: RecorderPolicy | Mapping[str, object] | None = None,
    backend: str = "auto",
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> TraceSession:
    """Start tracing the current program into ``trace_dir``.

    Raises :class:`UsageError` ``ERR_ALREADY_TRACING`` when a session is active. A failure to start
    raises its classified error under the ``abort`` policy; under ``disable`` it is logged and the
    returned session is already stopped (``session.outcome.failure`` says why).
    """
    global _active
    resolved = _as_policy(policy)
    with _active_lock:
        if _active is not None:
            raise usage(ErrorCode.ALREADY_TRACING, "a trace session is already active",
                        trace_dir=str(_active.trace_dir))
        session = TraceSession(trace_dir, policy=resolved, backend=backend, format=format,
                               include=include, exclude=exclude)
        try:
            session.start()
        except RecorderError as err:
            if resolved.on_recorder_error is OnRecorderError.ABORT or err.kind.exit_code == 2:
                raise
            logs.log_error(err, logging.WARNING)
            return session
        _active = session
        return session


def stop(exit_code: int | None = 0) -> Outcome | None:
    """Stop the active session; returns its outcome (None when nothing was tracing).

    Under ``abort`` a recorder failure during the session is raised here as its classified error.
    """
    global _active
    with _active_lock:
        session, _active = _active, None
    if session is None:
        return None
    outcome = session.stop(exit_code)
    if outcome.failure is not None and session.policy.on_recorder_error is OnRecorderError.ABORT:
        raise outcome.failure
    return outcome


def flush() -> None:
    """Push the active session's buffered events to disk."""
    session = _active
    if session is not None:
        session.flush()


def is_tracing() -> bool:
    """True while a session is active and attached."""
    session = _active
    return session is not None and session.state == "tracing"


@contextlib.contextmanager
def trace(
    trace_dir: str | os.PathLike[str],
    *,
    format: str = "json",
    policy: RecorderPolicy | Mapping[str, object] | None = None,
    backend: str = "auto",
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Iterator[TraceSession]:
    """Trace the body of a ``with`` block."""
    session = start(trace_dir, format=format, policy=policy, backend=backend, include=include,
                    exclude=exclude)
    try:
        yield session
    finally:
        if session.state != "stopped":
            stop()
