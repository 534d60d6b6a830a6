"""One recording: the trace writer, a tracing backend and stdout/stderr capture, start to finish.

The session layer (``recorder.session``) drives a :class:`Recording`::

    rec = Recording(layer, program=..., args=[...], backend="auto", filters=CodeFilter(),
                    on_failure=policy_handler, metrics=metrics)
    rec.start()                    # trace.json created, header written, hooks installed
    ...                            # the program runs
    rec.finish(exit_code, label, metadata)      # or rec.finish_partial(reason, metadata)
    layer.publish()                # the session's job

**Containment.** Every failure inside a callback (including an output failure while a callback
flushes) reaches ``on_failure(exc, point)``. ``on_failure`` belongs to the session: it returns
(policy ``disable``, after calling :meth:`detach`) or raises a classified ``RecorderError`` (policy
``abort``), which then propagates into the program at that point; the recording makes sure it is
detached before that error leaves the callback. A ``RecursionError`` raised inside a callback is the
program's resource limit, not a recorder bug: the event is dropped and counted (``recursion_limit``)
and the program goes on to hit the limit in its own code, as it would untraced.

**Threads.** Only the thread that calls :meth:`start` is recorded (see
:mod:`recorder.tracing.base`); :meth:`detach` may be called from any thread or from a callback.
**Processes.** A child created with ``os.fork`` (``multiprocessing``'s default on Linux) stops
recording at once and never writes to the parent's files (:meth:`forked`); the parent's trace is
unaffected.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from recorder.errors import ErrorCode, RecorderError, bug
from recorder.trace_writer import FileFactory, TraceWriter
from recorder.tracing import CodeFilter, FrameRecorder, Tracer, make_tracer, resolve_backend
from recorder.tracing.streams import StreamCapture
from recorder.tracing.valuejson import ValueJson
from recorder.values.limits import EncodeLimits

__all__ = ["Recording"]

# Recordings alive in this process: a forked child must stop recording into its parent's file.
_LIVE: weakref.WeakSet[Recording] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for recording in list(_LIVE):
        recording.forked()


os.register_at_fork(after_in_child=_after_fork_in_child)

OnFailure = Callable[[BaseException, str], None]


class Recording:
    """A trace being recorded into ``layer`` (an ``OutputLayer`` after ``begin()``).

    Beyond the session's arguments: ``limits`` (value encoder limits), ``redact_secrets`` (record
    secret-looking variables as ``<redacted>``, default on) and ``capture_streams`` (turn the
    script's stdout/stderr writes into ``Event`` events, default on). ``backend`` may be
    ``"auto"``; :attr:`backend` holds the resolved name. ``metrics`` (a
    ``recorder.metrics.RecorderMetrics``) receives the dropped-event counts when tracing detaches
    and its snapshot goes into the metadata; the session's ``metadata`` extras win over it.
    """

    def __init__(
        self,
        layer: FileFactory,
        *,
        program: str,
        args: Sequence[str],
        backend: str,
        filters: CodeFilter,
        on_failure: OnFailure,
        metrics: object | None = None,
        limits: EncodeLimits | None = None,
        redact_secrets: bool = True,
        capture_streams: bool = True,
    ) -> None:
        self.layer = layer
        self.program = os.path.abspath(program)
        self.args = list(args)
        self.backend = resolve_backend(backend)
        self.filters = filters
        self.metrics = metrics
        self._on_failure = on_failure
        self._limits = limits
        self._redact = redact_secrets
        self._capture_streams = capture_streams
        self.writer: TraceWriter | None = None
        self.frames: FrameRecorder | None = None
        self.tracer: Tracer | None = None
        self.streams: StreamCapture | None = None
        self.recursion_drops = 0
        self._tracer_drops: dict[str, int] = {}
        self._reported: dict[str, int] = {}  # drops already handed to the metrics sink
        self.attached = False
        self.finished = False

    # ---------------------------------------------------------------------------- lifecycle

    def start(self) -> None:
        """Create ``trace.json``, write the header events and install the hooks."""
        writer = self.writer = TraceWriter(self.layer.create("trace.json"))
        values = ValueJson(writer, self._limits, self._redact)
        self.frames = FrameRecorder(writer, values, self.filters)
        writer.begin(self.program)
        self.tracer = make_tracer(self.backend, self.frames, self._contain)
        if self._capture_streams:
            self.streams = StreamCapture(self._on_write, self._contain)
            self.streams.attach()
        try:
            self.tracer.install()
        except RecorderError:
            if self.streams is not None:
                self.streams.detach()
            raise
        self.attached = True
        _LIVE.add(self)

    def forked(self) -> None:
        """In a forked child: detach and never write to the parent's trace file.

        The child inherits the hooks and the writer's buffer; flushing them would interleave the
        child's events with the parent's in one file. The child's run is not recorded.
        """
        if self.writer is not None:
            self.writer.abandon()
        self.detach()
        _LIVE.discard(self)

    def detach(self) -> None:
        """Remove every hook and restore the streams; idempotent, safe inside a callback."""
        self.attached = False
        if self.tracer is not None:
            if self.tracer.installed:
                self._note_tracer_drops()
            self.tracer.uninstall()
        if self.streams is not None:
            self.streams.detach()
        # Counted now, so a metrics snapshot taken right after detaching includes them.
        self._report_drops()

    def flush(self) -> None:
        """Hand the buffered events to the output layer (raises its ``EnvironmentError``)."""
        if self.writer is not None and not self.writer.closed:
            self.writer.flush()

    def finish(self, exit_code: int | None, label: str | None, metadata: dict[str, object]) -> None:
        """Detach, close open frames, write the final toplevel ``Return`` and the side files."""
        self.detach()
        writer, frames = self._require_started()
        frames.close_open_frames()
        exit_value = frames.values.value(exit_code)
        writer.close(exit_value)
        self._write_side_files(exit_code, label, metadata, partial=None)
        self.finished = True

    def finish_partial(self, reason: str, metadata: dict[str, object]) -> None:
        """Best effort: close the array at the last event boundary; metadata says ``partial``.

        Raises the output layer's ``EnvironmentError`` if it fails again.
        """
        self.detach()
        writer, _ = self._require_started()
        if not writer.closed:
            writer.close_partial()
        code = metadata.get("exit_code")
        self._write_side_files(
            code if isinstance(code, int) else None, None, metadata, partial=reason
        )
        self.finished = True

    # ------------------------------------------------------------------------------ helpers

    def _require_started(self) -> tuple[TraceWriter, FrameRecorder]:
        if self.writer is None or self.frames is None:
            raise bug(ErrorCode.INVARIANT_VIOLATED, "recording finished before it was started")
        return self.writer, self.frames

    def _report_drops(self) -> dict[str, int]:
        """Tell the metrics sink about drops not reported yet; returns all drops so far."""
        dropped = self.dropped_events()
        sink: Any = self.metrics
        if sink is not None and hasattr(sink, "dropped_event"):
            for reason, count in dropped.items():
                delta = count - self._reported.get(reason, 0)
                if delta > 0:
                    sink.dropped_event(reason, delta)
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
        if self.frames is not None and self.frames.ignored:
            dropped["untracked_frame"] = self.frames.ignored
        if self.frames is not None and self.frames.lost_exits:
            dropped["lost_exit"] = self.frames.lost_exits
        if self.recursion_drops:
            dropped["recursion_limit"] = self.recursion_drops
        return dropped

    def _write_side_files(
        self, exit_code: int | None, label: str | None, metadata: dict[str, object],
        *, partial: str | None,
    ) -> None:
        writer, _ = self._require_started()
        dropped = self._report_drops()
        sink: Any = self.metrics
        extras: dict[str, object] = {
            "backend": self.backend,
            "events_dropped": dropped,
        }
        if sink is not None and hasattr(sink, "snapshot"):
            extras["metrics"] = sink.snapshot()
        extras.update(metadata)
        if partial is not None:
            extras["partial"] = True
            extras["partial_reason"] = partial
        writer.write_side_files(
            self.layer, program=self.program, args=self.args, exit_code=exit_code, label=label,
            extras=extras,
        )

    def _on_write(self, kind: int, stream: str, text: str) -> None:
        writer, frames = self.writer, self.frames
        if writer is not None and frames is not None and self.attached and not writer.closed:
            writer.io(kind, stream, text, frames.current_frame_id, frames.current_location)

    def _contain(self, exc: Exception, point: str) -> None:
        if isinstance(exc, RecursionError):
            self.recursion_drops += 1
            return
        try:
            self._on_failure(exc, point)
        except RecorderError:
            # Policy abort: the tracer must be detached before the error reaches the program.
            self.detach()
            raise
