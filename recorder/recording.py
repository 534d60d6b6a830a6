"""One recording: the trace writer, a tracing backend and stdout/stderr capture, start to finish.

The session layer (``recorder.session``) drives a :class:`Recording`::

    rec = Recording(layer, program=..., backend="monitoring", filters=CodeFilter(),
                    on_failure=session_handler, metrics=metrics)
    rec.start()                    # trace.json created, header written, hooks installed
    ...                            # the program runs
    rec.finish(metadata)           # or rec.finish_partial(metadata); metadata: TraceMetadata
    layer.publish()                # the session's job

**Containment.** Every failure inside a callback (including an output failure while a callback
flushes) is reported once to ``on_failure(exc, point)``, which belongs to the session: it decides
(:func:`recorder.decision.decide`) and returns the classified error to raise into the program, or
``None`` to let the program run on. Either way the recording then detaches itself, before any
error leaves the callback; the session never calls back into the recording from its handler, so
failures flow one way. A ``RecursionError`` raised inside a callback is the program's resource
limit, not a recorder bug: the event is dropped and counted (``recursion_limit``) and the program
goes on to hit the limit in its own code, as it would untraced.

**Lifecycle.** One :class:`~recorder.lifecycle.Lifecycle`: NEW, TRACING (hooks installed),
DETACHED, STOPPED (finished). **Threads.** Every thread that runs traced code is recorded
(``threads="all"``, the rules are :mod:`recorder.tracing.threads`'s) or only the one that calls
:meth:`start` (``"main"``); :meth:`detach` may be called from any thread or from a callback, and
detaches every thread. A failure in another thread that must be raised is raised there and the
main thread is interrupted (``KeyboardInterrupt`` at its next bytecode), so the session ends the
run with the failure's status. **Processes.** A child created with ``os.fork``
(``multiprocessing``'s default on Linux, also from another thread) stops recording at once and
never writes to the parent's files (:meth:`forked`); the parent's trace is unaffected.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from recorder import seams
from recorder.errors import ErrorCode, RecorderError, bug, translate, usage
from recorder.lifecycle import Lifecycle, State
from recorder.metadata import TraceMetadata
from recorder.metrics import NoopMetrics, RecorderMetrics
from recorder.sources import SourceCopier, SourceSink
from recorder.trace_writer import FileFactory, TraceWriter
from recorder.tracing import CodeFilter, FrameRecorder, Tracer, make_tracer
from recorder.tracing import threads as _threads
from recorder.tracing.activation import Activation
from recorder.tracing.streams import StreamCapture
from recorder.tracing.threads import ThreadRegistry, interrupt_main
from recorder.tracing.valuejson import ValueJson
from recorder.values.limits import EncodeLimits

if TYPE_CHECKING:
    from recorder.tracing.fdcapture import FdCapture

__all__ = ["OnFailure", "Recording"]

# Recordings alive in this process: a forked child must stop recording into its parent's file.
_LIVE: weakref.WeakSet[Recording] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for recording in list(_LIVE):
        recording.forked()


os.register_at_fork(after_in_child=_after_fork_in_child)

#: ``on_failure(exc, point)``: the error to raise into the program, or None (see the docstring).
OnFailure = Callable[[BaseException, str], "RecorderError | None"]


class Recording:
    """A trace being recorded into ``layer`` (an ``OutputLayer`` after ``begin()``).

    Beyond the session's arguments: ``limits`` (value encoder limits), ``redact_secrets`` (record
    secret-looking dict keys' values as ``<redacted>``, default on; variables, arguments, return
    values and object fields are the trace filter's, ``filters``) and ``capture_streams`` (turn the
    script's stdout/stderr writes into ``Event`` events, default on). ``backend`` may be
    ``"auto"``; :attr:`backend` holds the resolved name. ``metrics`` (a
    ``recorder.metrics.RecorderMetrics``) receives the dropped-event counts when tracing detaches
    and its snapshot goes into the metadata; the session's ``metadata`` extras win over it.
    ``activation_path`` gates the recording (``recorder.tracing.activation``: nothing before that
    file runs, detached when its frame returns; it is the trace's start path) and
    ``module_names_from_globals`` says how module frames are named. ``capture_fds`` (with
    ``capture_streams``) also records what is written to fds 1 and 2 directly
    (``recorder.tracing.fdcapture``). ``copy_sources`` puts a copy of each traced file into the
    trace's ``files/`` (``recorder.sources``; the layer must then offer ``create_at``).
    ``threads`` is ``all`` (every thread, at most ``thread_limit``) or ``main``.
    """

    def __init__(
        self,
        layer: FileFactory,
        *,
        program: str,
        backend: str,
        filters: CodeFilter,
        on_failure: OnFailure,
        metrics: RecorderMetrics | None = None,
        limits: EncodeLimits | None = None,
        value_repr: bool = False,
        redact_secrets: bool = True,
        capture_streams: bool = True,
        capture_fds: bool = False,
        copy_sources: bool = False,
        activation_path: str | None = None,
        module_names_from_globals: bool = True,
        threads: str = "all",
        thread_limit: int | None = None,
    ) -> None:
        self.layer = layer
        self.program = os.path.abspath(program)
        self.backend = backend  # concrete: preflight resolved "auto"
        self.filters = filters
        self.metrics: RecorderMetrics = metrics or NoopMetrics()
        self._on_failure = on_failure
        self._limits = limits
        self._value_repr = value_repr
        self._redact = redact_secrets
        self._capture_streams = capture_streams
        self._capture_fds = capture_fds and capture_streams
        self.sources: SourceCopier | None = None
        if copy_sources:
            sink: SourceSink = layer  # type: ignore[assignment]  # an OutputLayer
            self.sources = SourceCopier(sink)
        self._activation_path = activation_path
        self._module_names_from_globals = module_names_from_globals
        self._threads_mode = threads
        self._thread_limit = thread_limit
        self.threads: ThreadRegistry | None = None
        self._activation: Activation | None = None
        self.writer: TraceWriter | None = None
        self.frames: FrameRecorder | None = None
        self.tracer: Tracer | None = None
        self.streams: StreamCapture | None = None
        self.fds: FdCapture | None = None
        self.recursion_drops = 0
        self.interrupted_main = False  # a failure in another thread interrupted the main thread
        self._tracer_drops: dict[str, int] = {}
        self._reported: dict[str, int] = {}  # drops already handed to the metrics sink
        self._life = Lifecycle("recording")
        self._detach_lock = threading.RLock()  # a callback may fail while detach runs

    @property
    def state(self) -> State:
        return self._life.state

    @property
    def attached(self) -> bool:
        """True while the hooks are installed."""
        return self._life.active

    # ---------------------------------------------------------------------------- lifecycle

    def start(self) -> None:
        """Create ``trace.json``, write the header events and install the hooks."""
        self._life.require(State.NEW, "start")
        writer = self.writer = TraceWriter(self.layer.create("trace.json"))
        if self.sources is not None:
            writer.sources = self.sources

        def make_values() -> ValueJson:
            return ValueJson(writer, self._limits, self._redact, self._value_repr)

        self.frames = FrameRecorder(writer, make_values(), self.filters)
        self.frames.module_names_from_globals = self._module_names_from_globals
        self.filters.module_names_from_globals = self._module_names_from_globals
        limit = self._thread_limit
        self.threads = ThreadRegistry(self.frames, make_values, mode=self._threads_mode,
                                      limit=limit if limit is not None else _threads.THREAD_LIMIT)
        activation = self._activation = None
        if self._activation_path is not None:
            activation = self._activation = Activation(self._activation_path, self.detach)
        writer.begin(os.path.abspath(self._activation_path or self.program))
        self.tracer = make_tracer(self.backend, self.frames, self._contain, activation,
                                  self.threads)
        installed = False
        try:
            if self._capture_streams:
                self.streams = StreamCapture(self._on_write, self._contain)
                self.streams.attach()
            if self._capture_fds:
                self._attach_fds()
            self.tracer.install()
            installed = True
        finally:
            if not installed:  # leave the program's streams and descriptors as they were
                if self.streams is not None:
                    self.streams.detach()
                if self.fds is not None:
                    self.fds.detach()
        self._life.move(State.TRACING)
        _LIVE.add(self)

    def forked(self) -> None:
        """In a forked child: detach and never write to the parent's trace file.

        The child inherits the hooks and the writer's buffer; flushing them would interleave the
        child's events with the parent's in one file. The child's run is not recorded.
        """
        if self.writer is not None:
            self.writer.abandon()
        if self.fds is not None:
            self.fds.forked()  # the child's output goes on through the parent's channel
        self._uninstall()
        self._life.move(State.STOPPED)
        _LIVE.discard(self)

    def detach(self) -> None:
        """Remove every hook and restore the streams; idempotent, safe inside a callback.

        Detaching a tracing recording is the ``detach`` fault point: whatever the hook does, the
        hooks come off first, so the program runs on untouched (the hook's failure propagates).
        """
        with self._detach_lock:
            if not self._life.active:
                self._uninstall()  # a forked or failed start may have left a part installed
                return
            self._life.move(State.DETACHED)
            try:
                seams.hit("detach")
            finally:
                self._uninstall()

    def _uninstall(self) -> None:
        if self.tracer is not None:
            if self.tracer.installed:
                self._note_tracer_drops()
            self.tracer.uninstall()
        if self.streams is not None:
            self.streams.detach()
        if self.fds is not None:
            self.fds.detach()  # after the proxies: their buffered text is flushed and matched
        # Counted now, so a metrics snapshot taken right after detaching includes them.
        self._report_drops()

    def flush(self) -> None:
        """Hand the buffered events to the output layer (raises its ``EnvironmentError``)."""
        if self.writer is not None and not self.writer.closed:
            self.writer.flush()

    def finish(self, metadata: TraceMetadata) -> None:
        """Close open frames, write the final toplevel ``Return`` and the side files."""
        self._uninstall_for_finish()
        writer, frames = self._require_started()
        if self.fds is not None and self.fds.failure is not None:
            raise self.fds.failure  # reporting fd output failed: the policy decides at stop
        # A daemon thread may be inside an append; one frozen at shutdown never lets go: its
        # lock is abandoned (with the unit it was appending) and the trace is closed without it.
        if not writer.lock.acquire(timeout=_threads.STOP_LOCK_TIMEOUT):
            writer.lock = threading.RLock()
            writer.lock.acquire()
        try:
            if self.threads is not None:
                writer.end_threads(self.threads.open_frames)
            frames.close_open_frames()
            writer.close(frames.values.value(metadata.exit_code))
        finally:
            writer.lock.release()
        self._write_side_files(metadata)
        self._life.move(State.STOPPED)

    def finish_partial(self, metadata: TraceMetadata) -> None:
        """Best effort: close the array at the last event boundary (``metadata`` is partial).

        Raises the output layer's ``EnvironmentError`` if it fails again.
        """
        self._uninstall_for_finish()
        writer, _ = self._require_started()
        if not writer.closed:
            writer.close_partial()
        self._write_side_files(metadata)
        self._life.move(State.STOPPED)

    # ------------------------------------------------------------------------------ helpers

    def _uninstall_for_finish(self) -> None:
        # The session detached already (the detach fault point is its business); this only
        # makes sure no hook is left and the state can go to STOPPED.
        with self._detach_lock:
            if self._life.active:
                self._life.move(State.DETACHED)
            self._uninstall()

    def _require_started(self) -> tuple[TraceWriter, FrameRecorder]:
        if self.writer is None or self.frames is None:
            raise bug(ErrorCode.INVARIANT_VIOLATED, "recording finished before it was started")
        return self.writer, self.frames

    def _report_drops(self) -> dict[str, int]:
        """Tell the metrics sink about drops not reported yet; returns all drops so far."""
        dropped = self.dropped_events()
        for reason, count in dropped.items():
            delta = count - self._reported.get(reason, 0)
            if delta > 0:
                self.metrics.dropped_event(reason, delta)
                self._reported[reason] = count
        return dropped

    def _note_tracer_drops(self) -> None:
        # Read while the tracer is still installed: some reasons are only visible then.
        if self.tracer is not None:
            for reason, count in self.tracer.dropped.items():
                self._tracer_drops[reason] = max(self._tracer_drops.get(reason, 0), count)

    def dropped_events(self) -> dict[str, int]:
        """Events seen but not recorded, by reason (also written into the metadata)."""
        dropped: dict[str, int] = dict(self._tracer_drops)
        ignored = lost = 0
        if self.frames is not None:
            ignored, lost = self.frames.ignored, self.frames.lost_exits
        if self.threads is not None:
            counts = self.threads.counts()
            ignored += counts["ignored"]
            lost += counts["lost_exits"]
            for reason, count in self.threads.dropped.items():
                dropped[reason] = dropped.get(reason, 0) + count
        if ignored:
            dropped["untracked_frame"] = ignored
        if lost:
            dropped["lost_exit"] = lost
        if self.recursion_drops:
            dropped["recursion_limit"] = self.recursion_drops
        return dropped

    def _write_side_files(self, metadata: TraceMetadata) -> None:
        writer, _ = self._require_started()
        metadata.events_dropped = self._report_drops()
        metadata.metrics = self.metrics.snapshot()
        metadata.trace_filter = self.filters.summary()
        if self.sources is not None:
            metadata.files = self.sources.to_json()
        if self.fds is not None:
            metadata.io_capture["fd_forwarding_failed"] = self.fds.forwarding_failed
        if self.threads is not None:
            metadata.threads = self.threads.metadata()
        writer.write_side_files(self.layer, metadata)

    def _on_write(self, kind: int, stream: str, text: str) -> None:
        writer, frames = self.writer, self.frames
        if self._activation is not None and self._activation.frame is None:
            return  # before activation nothing is recorded, output included
        if writer is None or frames is None or not self._life.active or writer.closed:
            return
        if self.threads is not None and threading.get_ident() != self.threads.main_ident:
            frames = self.threads.frames_of_thread()
            if frames is None:
                return  # a thread that is not recorded
        writer.io(kind, stream, text, frames.current_frame_id, frames.current_location,
                  frames.slot)

    def _attach_fds(self) -> None:
        """Redirect fds 1/2 and tell the proxies which ledger their stream's bytes go to."""
        if os.name != "posix":
            raise usage(ErrorCode.IO_CAPTURE_UNSUPPORTED,
                        "--io-capture proxies+fd needs POSIX file descriptors",
                        platform=os.name)
        # Imported here: only proxies+fd needs it (start-up time of every other run).
        from recorder.tracing.fdcapture import FdCapture

        fds = self.fds = FdCapture(self._on_fd_output)
        try:
            fds.attach()
        except OSError as exc:
            raise translate(exc, step="fd-capture") from exc
        if self.streams is not None:
            self.streams.use_ledgers(fds.ledger_for)

    def _on_fd_output(self, kind: int, stream: str, text: str) -> None:
        # On the reader thread: only queued; the writer takes it in on the recorded thread.
        writer = self.writer
        if self._activation is not None and self._activation.frame is None:
            return  # before activation nothing is recorded, output included
        if writer is not None and not writer.closed:
            writer.post(kind, stream, text)

    def _contain(self, exc: Exception, point: str) -> None:
        if isinstance(exc, RecursionError):
            self.recursion_drops += 1
            return
        err: RecorderError | None = None
        try:
            err = self._on_failure(exc, point)
        finally:
            # Detached before any error reaches the program, whatever the handler did.
            try:
                self.detach()
            except Exception as again:  # noqa: REC005 - reported below, the hooks are off
                self._on_failure(again, "detach")
        if err is not None:
            if self.threads is not None and threading.get_ident() != self.threads.main_ident:
                self.interrupted_main = True
                interrupt_main()  # the session turns the interrupt into the failure's status
            raise err
