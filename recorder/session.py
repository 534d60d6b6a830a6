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

import argparse
import contextlib
import os
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from recorder import iomode, logs, seams
from recorder.compat import RunSettings, resolve_io_capture, resolve_settings
from recorder.decision import Action, Decision, Phase, decide, raises_into_program
from recorder.errors import ErrorCode, RecorderError, usage
from recorder.filters import FilterFile, io_capture_mode, load_user_filters, split_entries
from recorder.guard import Containment
from recorder.lifecycle import Lifecycle, State
from recorder.metadata import TRACE_SCHEMA_VERSION, TraceMetadata
from recorder.metrics import RecorderMetrics, get_metrics
from recorder.output import LayerState, OutputLayer
from recorder.policy import RecorderPolicy, policy_snapshot, resolve_policy
from recorder.preflight import preflight
from recorder.recording import Recording
from recorder.signals import deferred_signals
from recorder.structs import replace, struct
from recorder.tracing.filters import CodeFilter
from recorder.values.settings import ValueSettings, resolve_value_settings


@struct(frozen=True)
class Outcome:
    """What a stopped session left behind, and the policy's decision about its failure."""

    published: bool
    partial: bool
    failure: RecorderError | None
    decision: Decision | None = None  # for ``failure``: raise it, and the run's exit status

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
        values: ValueSettings | None = None,
        settings: RunSettings | None = None,
        module: str | None = None,
        filter_files: Sequence[FilterFile] = (),
    ) -> None:
        self.trace_dir = Path(trace_dir).absolute()
        self.values = values or ValueSettings()
        # Activation, module naming (the existing recorder's switches): its variables by default.
        self.settings = settings if settings is not None else resolve_settings()
        self.policy = policy
        self.requested_backend = backend
        self.format = format
        self.include, self.exclude = tuple(include), tuple(exclude)
        self.filter_files = tuple(filter_files)  # the user's, loaded (load_trace_filters)
        self.metrics = metrics or get_metrics()
        self.trace_id = os.urandom(16).hex()  # random, like a uuid4 (uuid imports more)
        self.metadata = TraceMetadata.at_start(
            program=program if program is not None else (sys.argv[0] or "-"),
            args=args if args is not None else sys.argv[1:], policy=policy,
            run_id=logs.RUN_ID, trace_id=self.trace_id)
        self.metadata.values = self.values.to_json()
        self.metadata.module = module
        self.metadata.io_capture = {"mode": self.settings.io_capture}
        self.program = self.metadata.program
        self.backend = ""
        self.outcome: Outcome | None = None
        self._life = Lifecycle("trace session")
        self._containment = Containment(policy, self.metrics)
        self._layer: OutputLayer | None = None
        self._recording: Recording | None = None
        self._pid = os.getpid()

    @property
    def state(self) -> State:
        """NEW, TRACING, DETACHED or STOPPED (:class:`recorder.lifecycle.State`)."""
        return self._life.state

    @property
    def interrupted_for_failure(self) -> bool:
        """True when a failure in another thread interrupted the main thread (``abort``)."""
        return self._recording is not None and self._recording.interrupted_main

    @property
    def failure(self) -> RecorderError | None:
        """The first recorder failure of this session, if any."""
        return self._containment.failure

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Preflight, stage the output, install the hooks. Raises a classified error on failure.

        Under the ``disable`` policy a failure to start (other than a usage error) is logged and
        the session is stopped without raising; :attr:`outcome` says why.
        """
        if self._life.state is not State.NEW:
            raise usage(ErrorCode.INVALID_ARGUMENT, "this session was already started",
                        state=self._life.state.value)
        logs.set_trace_id(self.trace_id)
        with deferred_signals():
            self._start()

    def _start(self) -> None:
        try:
            seams.hit("start")
            self.backend = self.metadata.backend = preflight(
                backend=self.requested_backend, format=self.format,
                schema_version=TRACE_SCHEMA_VERSION)
            self._layer = OutputLayer(self.trace_dir)
            self._layer.begin()
            self._recording = Recording(
                self._layer, program=self.program, backend=self.backend,
                filters=CodeFilter(include=self.include, exclude=self.exclude,
                                   files=self.filter_files),
                on_failure=self._on_callback_failure, metrics=self.metrics,
                limits=self.values.limits, value_repr=self.values.runs_repr,
                activation_path=self.settings.activation_path,
                module_names_from_globals=self.settings.module_name_from_globals,
                capture_streams=self.settings.io_capture != iomode.OFF,
                capture_fds=self.settings.io_capture == iomode.PROXIES_FD,
                copy_sources=True,
                threads=self.settings.threads)
            self._recording.start()
            self._life.move(State.TRACING)
            logs.log(logs.INFO, "tracing started",
                     {"trace_dir": str(self.trace_dir), "backend": self.backend})
        except Exception as exc:
            err, decision = self._containment.report(exc, "start", Phase.STARTING, log=False)
            self._abandon()
            self._life.move(State.STOPPED)
            self.outcome = Outcome(published=False, partial=False, failure=err,
                                   decision=decision)
            logs.set_trace_id(None)
            if raises_into_program(decision):
                raise err from (None if err is exc else exc)

    def flush(self) -> None:
        """Push buffered events to disk; a failure is handled by the policy."""
        if self._life.state is not State.TRACING or self._recording is None:
            return
        try:
            seams.hit("flush")
            self._recording.flush()
        except Exception as exc:
            err = self._on_callback_failure(exc, "flush")
            with contextlib.suppress(Exception):
                self._recording.detach()
            if err is not None:
                raise err from (None if err is exc else exc)

    def detach(self, reason: str = "api") -> None:
        """Stop recording events (the trace stays staged until :meth:`stop`)."""
        with deferred_signals():
            if self._recording is not None:
                self._recording.detach()
        if self._life.state is State.TRACING:
            self._life.move(State.DETACHED)
            self.metrics.detached(reason)

    def stop(self, exit_code: int | None = 0, label: str | None = None) -> Outcome:
        """Detach, then publish or discard the trace as the policy says. Idempotent."""
        if self.outcome is not None:
            return self.outcome
        if os.getpid() != self._pid:
            # A forked child: the staged trace belongs to the parent. Never publish or remove it.
            if self._recording is not None:
                self._recording.forked()
            self.outcome = Outcome(published=False, partial=False, failure=None)
            return self.outcome
        self.metadata.exit_code, self.metadata.exit_label = exit_code, label
        with deferred_signals():
            self.outcome = self._finish()
            self._log_notes()
        # The trace id stays set: the report written after stop (the trailer) names this trace.
        return self.outcome

    def _log_notes(self) -> None:
        # Cleanup problems the output layer worked around without failing (e.g. a leftover it
        # could not remove): worth a warning, never worth failing the run.
        if self._layer is not None:
            for note in self._layer.notes:
                logs.log(logs.WARNING, str(note))

    # -- internals ------------------------------------------------------------------------------

    def _on_callback_failure(self, exc: BaseException, point: str) -> RecorderError | None:
        """The recording's ``on_failure``: decide, and return the error to raise (if any).

        It never calls back into the recording: the recording detaches itself afterwards.
        """
        err, decision = self._containment.report(exc, point, Phase.CALLBACK)
        if self._life.state is State.TRACING:
            self._life.move(State.DETACHED)
            reason = "fatal" if err.fatal else f"policy-{decision.action.name.lower()}"
            self.metrics.detached(reason, err.code.value)
        return err if raises_into_program(decision) else None

    def _contain(self, exc: BaseException, point: str) -> None:
        # Failures while stopping are never raised into the program: they decide the outcome.
        self._containment.report(exc, point, Phase.STOPPING)

    def _finish(self) -> Outcome:
        try:
            seams.hit("stop")
        except Exception as exc:
            self._contain(exc, "stop")
        if self._recording is not None:
            try:
                self._recording.detach()
            except Exception as exc:
                self._contain(exc, "detach")
        if self._life.state is State.TRACING:
            self.metrics.detached("stop")
        self._life.move(State.STOPPED)
        if self._recording is None or self._layer is None:
            return self._outcome(published=False, partial=False)
        if self.failure is None:
            try:
                self._recording.finish(self.metadata)
                self._layer.publish()
                return self._outcome(published=True, partial=False)
            except Exception as exc:
                self._contain(exc, "stop")
        failure = self.failure
        if failure is None:  # a failure that was not recorded (development mode): keep nothing
            self._abandon()
            return self._outcome(published=False, partial=False)
        at_end = decide(self.policy, failure.kind, Phase.STOPPING)
        if at_end.action is Action.PUBLISH_PARTIAL and self._layer.state is LayerState.STAGING:
            self.metadata.partial_reason = failure.code.value
            try:
                self._recording.finish_partial(self.metadata)
                self._layer.publish()
                return self._outcome(published=True, partial=True)
            except Exception as exc:
                err, _ = self._containment.report(exc, "stop", Phase.PUBLISHING)
                logs.log_error(err)
        self._abandon()
        return self._outcome(published=False, partial=False)

    def _outcome(self, *, published: bool, partial: bool) -> Outcome:
        return Outcome(published=published, partial=partial, failure=self.failure,
                       decision=self._containment.decision)

    def _abandon(self) -> None:
        if self._recording is not None:
            with contextlib.suppress(Exception):
                self._recording.detach()
        if self._layer is not None:
            self._layer.abandon()


# -- the module-level API --------------------------------------------------------------------------

_active_lock = threading.Lock()
_active: TraceSession | None = None


def _claim(session: TraceSession) -> None:
    """Make ``session`` the active one (the one ``ERR_ALREADY_TRACING`` check); hold the lock."""
    global _active
    if _active is not None:
        raise usage(ErrorCode.ALREADY_TRACING, "a trace session is already active",
                    trace_dir=str(_active.trace_dir))
    _active = session


def activate(session: TraceSession) -> None:
    """Make ``session`` the active one, as if :func:`start` had started it (the CLI's session).

    The traced script then sees ``recorder.is_tracing()`` and gets ``ERR_ALREADY_TRACING`` from a
    second ``recorder.start()``.
    """
    with _active_lock:
        _claim(session)


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


def _as_values(values: ValueSettings | Mapping[str, object] | None) -> ValueSettings:
    if isinstance(values, ValueSettings):
        return values
    return resolve_value_settings(None, **dict(values or {}))


TraceFilterArg = str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None


def load_trace_filters(trace_filter: TraceFilterArg) -> tuple[FilterFile, ...]:
    """The user's filter files (paths; a string may hold several separated by ``::``), loaded.

    A bad file is a ``UsageError`` raised here, before anything is traced.
    """
    files = load_user_filters(split_entries(trace_filter))
    return files


def _settings_for(io_capture: str | None, threads: str | None,
                  files: Sequence[FilterFile]) -> RunSettings:
    """The run settings of an API session: ``io_capture`` wins over the environment, which wins
    over the filters' ``[io]`` section; ``threads`` wins over ``CODETRACER_THREADS``."""
    settings = resolve_settings(argparse.Namespace(threads=threads))
    mode = resolve_io_capture(io_capture, os.environ, io_capture_mode(files), source="io_capture")
    return replace(settings, io_capture=mode)


def start(
    trace_dir: str | os.PathLike[str],
    *,
    format: str = "json",
    policy: RecorderPolicy | Mapping[str, object] | None = None,
    backend: str = "auto",
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    values: ValueSettings | Mapping[str, object] | None = None,
    trace_filter: TraceFilterArg = None,
    io_capture: str | None = None,
    threads: str | None = None,
) -> TraceSession:
    """Start tracing the current program into ``trace_dir``.

    ``io_capture`` is ``"off"``, ``"proxies"`` or ``"proxies+fd"`` (or any spelling
    ``CODETRACER_CAPTURE_IO`` accepts, :mod:`recorder.iomode`); by default that variable's value.

    ``values`` sets the value mode and budgets (:mod:`recorder.values.settings`): a
    ``ValueSettings``, or keywords such as ``{"value_repr": "repr", "max_nodes": 64}`` applied over
    the ``CODETRACER_VALUE_REPR`` / ``CODETRACER_MAX_VALUE_*`` environment variables.
    ``threads`` is ``"all"`` (every thread, the default) or ``"main"`` (only the calling thread);
    None reads ``CODETRACER_THREADS``.

    ``trace_filter`` adds filter files after the built-in filter: a path, a ``::``-separated string
    of paths or a list of paths (the only source the API reads: no project filter is discovered and
    ``CODETRACER_TRACE_FILTER`` is not read). A bad file is a :class:`UsageError`.

    Raises :class:`UsageError` ``ERR_ALREADY_TRACING`` when a session is active. A failure to start
    raises its classified error under the ``abort`` policy; under ``disable`` it is logged and the
    returned session is already stopped (``session.outcome.failure`` says why).
    """
    global _active
    resolved = _as_policy(policy)
    files = load_trace_filters(trace_filter)
    with _active_lock:
        session = TraceSession(trace_dir, policy=resolved, backend=backend, format=format,
                               include=include, exclude=exclude, values=_as_values(values),
                               filter_files=files,
                               settings=_settings_for(io_capture, threads, files))
        _claim(session)
        try:
            session.start()  # raises when the policy says so (abort, or a usage error)
        finally:
            if session.state is not State.TRACING:
                _active = None
        if session.failure is not None:  # the policy lets the program run on untraced
            logs.log_error(session.failure, logs.WARNING)
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
    if outcome.failure is not None and outcome.decision is not None and (
            outcome.decision.exit_status is not None):
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
    return session is not None and session.state is State.TRACING


@contextlib.contextmanager
def trace(
    trace_dir: str | os.PathLike[str],
    *,
    format: str = "json",
    policy: RecorderPolicy | Mapping[str, object] | None = None,
    backend: str = "auto",
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    values: ValueSettings | Mapping[str, object] | None = None,
    trace_filter: TraceFilterArg = None,
    io_capture: str | None = None,
    threads: str | None = None,
) -> Iterator[TraceSession]:
    """Trace the body of a ``with`` block (the arguments are :func:`start`'s)."""
    session = start(trace_dir, format=format, policy=policy, backend=backend, include=include,
                    exclude=exclude, values=values, trace_filter=trace_filter,
                    io_capture=io_capture, threads=threads)
    try:
        yield session
    finally:
        if session.state is not State.STOPPED:
            stop()
