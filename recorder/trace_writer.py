"""The streaming CodeTracer trace writer: ids, event encoding, bounded buffering, the side files.

:class:`TraceWriter` owns the four id spaces of a trace (paths, functions, types, variable names),
declares each id with its event the first time it is used (format rule 1), encodes events as
compact JSON text and hands them to an output file in chunks of about 64 KiB of *whole* events, so
memory does not grow with the length of the run and the file always ends at an event boundary.

Layout of ``trace.json``: ``[`` then one event per line separated by ``,`` then ``]``. Because every
chunk holds whole events, :meth:`TraceWriter.close_partial` can close the array at the last event
that reached the file after a write failed (the output file's ``write`` is all-or-nothing).

**Threads** (:mod:`recorder.trace_threads`): until a second thread is recorded the writer is
single-threaded and its hot entries (:meth:`emit_batch`, :meth:`call`, :meth:`ret`) take no lock;
then every append is one pre-built unit, appended without a lock by the thread that appended last
and under :attr:`lock` by any other. **Output events** of the program
(:mod:`recorder.trace_io`): ``Event`` for its writes to stdout/stderr and reads of stdin.

Event text comes from :mod:`recorder.events` (the one place that formats events); the writer
owns the ids, the buffer and the file. Its lifecycle (:mod:`recorder.lifecycle`) is TRACING until
the array is closed (STOPPED); the side files are written from the session's
:class:`~recorder.metadata.TraceMetadata`.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections import deque
from typing import Protocol, TypeVar

from recorder import events
from recorder.errors import RecorderError
from recorder.events import RETURN_HEAD, RETURN_TAIL
from recorder.lifecycle import Lifecycle, State
from recorder.metadata import TraceMetadata
from recorder.trace_io import IoEvents
from recorder.trace_threads import GATE, SharedMode, ThreadSlot

__all__ = [
    "CHUNK_SIZE",
    "ByteSink",
    "FileFactory",
    "SourceCopies",
    "ThreadSlot",
    "TraceWriter",
]

_K = TypeVar("_K")

#: Events are handed to the output file once this many characters are buffered.
CHUNK_SIZE = 64 * 1024


class ByteSink(Protocol):
    """What the writer needs from an output file (``recorder.output.OutputFile``)."""

    def write(self, data: bytes) -> None: ...

    def close(self) -> None: ...


class FileFactory(Protocol):
    """What the writer needs from the output layer: ``create(name)`` in the staging directory."""

    def create(self, name: str) -> ByteSink: ...


class SourceCopies(Protocol):
    """What the writer tells the source copier (``recorder.sources.SourceCopier``)."""

    def see(self, path: str) -> None: ...

    def write_pending(self) -> None: ...


class _NullSink:
    def write(self, data: bytes) -> None:
        pass

    def close(self) -> None:
        pass


class TraceWriter(SharedMode, IoEvents):
    """Streams the events of one trace into ``sink`` (``trace.json`` of the staging directory).

    Also the :class:`recorder.values.TypeTable` of the value encoder: :meth:`type_id` declares a
    ``Type`` event on the first use of a (kind, lang_type) pair.
    """

    def __init__(self, sink: ByteSink, *, chunk_size: int = CHUNK_SIZE) -> None:
        self._sink = sink
        self._chunk_size = chunk_size
        self._buf: list[str] = []  # whole events waiting for the file
        self._size = 0
        self._started = False  # "[" written to the file
        self._events = 0  # events handed to the file so far
        self._total = 0  # events appended so far, in shared mode (see recorder.trace_threads)
        self._life = Lifecycle("trace writer")
        self._life.move(State.TRACING)
        self.paths: list[str] = []
        self._paths_in_file = 0  # Path events that reached the file (trace_paths.json lists them)
        self._path_ids: dict[str, int] = {}
        self._function_ids: dict[tuple[int, int, str], int] = {}
        self._type_ids: dict[tuple[int, str], int] = {}
        self.variable_ids: dict[str, int] = {}
        self.call_count = 0  # ordinal of the last Call: frame ids in I/O event metadata
        # Consecutive writes to one stream with nothing in between become one Event (print()
        # writes its arguments, separators and end separately).
        self._io_event: str | None = None  # the last output Event, while it may be extended
        self._io_stream = -1
        self._io_content = ""
        self._io_frame = 0
        # Output read from a file descriptor by another thread (post); taken in at boundaries.
        self._posted: deque[tuple[int, str, str]] = deque()
        self._accepting = True  # until the final Return: then late output is dropped
        #: Told each path when it is declared and asked to write its copies before each chunk
        #: (the ``files/`` copies: recorder.sources).
        self.sources: SourceCopies | None = None
        #: Held by every declaration and flush, and by appends in shared mode but those of the
        #: thread that appended last (see recorder.trace_threads).
        self.lock = threading.RLock()
        self.shared = False  # True once a second thread is recorded (see the module docstring)
        self.main = ThreadSlot(1)  # the thread that started tracing
        self.slots: list[ThreadSlot] = [self.main]  # the numbered threads, in number order
        self._last: ThreadSlot = self.main  # the thread whose unit was appended last
        self._stopped = False  # the lifecycle's STOPPED, as a plain flag for the shared path

    # ----------------------------------------------------------------- ids (declare on first use)

    # Each declaration builds its event text *before* registering the id: at the interpreter's
    # recursion limit building it can fail, and an id registered without its event would be used
    # undeclared by every later value of that type.

    # A miss takes the lock (and looks again): two threads must never declare one id twice.
    # The id is published only once its event is in the buffer: other threads append without
    # the lock, and a unit that uses the id must never come before its declaration.

    def path_id(self, path: str) -> int:
        pid = self._path_ids.get(path)
        if pid is None:
            event = events.path(path)
            with self.lock:
                pid = self._path_ids.get(path)
                if pid is None:
                    # Its copy is pending before a chunk with its Path event can be flushed.
                    if self.sources is not None:
                        self.sources.see(path)
                    self.paths.append(path)
                    pid = self._declare(self._path_ids, path, event)
        return pid

    def function_id(self, path_id: int, line: int, name: str) -> int:
        # Keyed by (path, line, name), not by name alone: same-named functions stay apart.
        key = (path_id, line, name)
        fid = self._function_ids.get(key)
        if fid is None:
            event = events.function(path_id, line, name)
            with self.lock:
                fid = self._declare(self._function_ids, key, event)
        return fid

    def type_id(self, kind: int, lang_type: str) -> int:
        key = (kind, lang_type)
        tid = self._type_ids.get(key)
        if tid is None:
            event = events.type_decl(kind, lang_type)
            with self.lock:
                tid = self._declare(self._type_ids, key, event)
        return tid

    def struct_type_id(self, lang_type: str, fields: list[tuple[str, int]]) -> int:
        """A ``Struct`` type; one per class and field-name list (their types: the first seen)."""
        key = (6, lang_type + "\0" + "\0".join(name for name, _ in fields))
        tid = self._type_ids.get(key)
        if tid is None:
            event = events.struct_type_decl(lang_type, fields)
            with self.lock:
                tid = self._declare(self._type_ids, key, event)
        return tid

    def variable_id(self, name: str) -> int:
        vid = self.variable_ids.get(name)
        if vid is None:
            event = events.variable_name(name)
            with self.lock:
                vid = self._declare(self.variable_ids, name, event)
        return vid

    def _declare(self, ids: dict[_K, int], key: _K, event: str) -> int:
        """The id of ``key`` in ``ids``, declared with ``event`` if new (called under the lock)."""
        found = ids.get(key)
        if found is None:
            found = len(ids)
            if not self._stopped:  # a thread still running after the end: not written
                self._put(event)
            ids[key] = found
            if self._size >= self._chunk_size:
                self.flush()
        return found

    # ------------------------------------------------------------------------------- events

    def begin(self, program: str) -> None:
        """The four header events of format rule 2."""
        path = self.path_id(program)
        self.function_id(path, 1, "<toplevel>")
        toplevel = events.call(0, "")
        self.call([toplevel], len(toplevel))
        self.type_id(30, "None")

    @property
    def closed(self) -> bool:
        """True once the event array is closed (or abandoned): nothing more is written."""
        return self._life.stopped

    def emit(self, event: str) -> None:
        """Buffer one event (text from :mod:`recorder.events`); flushes a full chunk."""
        self._emit(event)

    # The three hot entries: until a second thread is recorded, the check of ``shared`` and the
    # append are one atomic run (recorder.trace_threads), so start_sharing() never comes between
    # them.

    def emit_batch(self, batch: list[str], size: int, slot: ThreadSlot | None = None) -> None:
        """Buffer whole events at once (``size``: their characters); the hot paths' entry.

        ``slot`` is the recording thread (None: the thread that started tracing).
        """
        # -- atomic: no call, no backward jump, no container built
        if not self.shared:
            self._buf += batch
            self._size += size
            # -- end atomic
            if self._size >= self._chunk_size:
                self.flush()
            return
        self._append(slot or self.main, batch, size)

    def call(self, unit: list[str], size: int, slot: ThreadSlot | None = None) -> int:
        """A ``Call`` (the last event of ``unit``, ``size`` characters); returns its ordinal.

        The events before it (its argument ``Value`` events and the ``Step``) are one unit with
        it. A ``Call`` or ``Return`` first does the boundary's work (output posted by the fd
        capture, a full chunk to flush) and is then appended without flushing: if the output
        fails, the exception comes before the event is buffered, so it can never separate the
        event from the frame bookkeeping that balances it.
        """
        if self._size >= self._chunk_size or self._posted:
            self.boundary()
        # -- atomic: no call, no backward jump, no container built
        if not self.shared:
            self._buf += unit
            self._size += size
            self.call_count += 1
            return self.call_count - 1
        # -- end atomic
        return self._append(slot or self.main, unit, size, flush=False, call=True)

    def ret(self, value_json: str, slot: ThreadSlot | None = None) -> None:
        """A ``Return`` (after the boundary's work, see :meth:`call`)."""
        if self._size >= self._chunk_size or self._posted:
            self.boundary()
        event = RETURN_HEAD + value_json + RETURN_TAIL
        unit = [event]
        size = len(event)
        # -- atomic: no call, no backward jump, no container built
        if not self.shared:
            self._buf += unit
            self._size += size
            return
        # -- end atomic
        self._append(slot or self.main, unit, size, False)

    # ------------------------------------------------------------------------------ output

    def _emit(self, event: str) -> None:
        if self._stopped:
            return
        self._put(event)
        if self._size >= self._chunk_size:
            self.flush()

    def boundary(self) -> None:
        """Between units: take in posted output, and flush if a whole chunk is buffered."""
        if self._posted:
            self._take_posted()
        if self._size >= self._chunk_size:
            self.flush()

    def flush(self) -> None:
        """Hand the buffered events to the file as one write of whole events.

        On failure the events stay buffered (the file is unchanged: writes are all-or-nothing) and
        the output layer's ``EnvironmentError`` propagates to the caller.
        """
        with self.lock:
            if self._posted:
                self._take_posted()
            if not self._buf:
                return
            if self.sources is not None:
                self.sources.write_pending()  # the copies of a chunk's paths land before it
            head = ",\n" if self._started else "[\n"
            fresh: list[str] = []
            # Threads that append without the lock go on appending to the fresh list while this
            # one writes.
            # -- atomic: no call, no backward jump, no container built
            chunk = self._buf
            self._buf = fresh
            size = self._size
            self._size = 0
            # -- end atomic
            written = False
            try:
                self._sink.write((head + ",\n".join(chunk)).encode("utf-8", "replace"))
                written = True
            finally:
                if not written:  # the events stay buffered: the chunk goes back in front
                    # -- atomic: no call, no backward jump, no container built
                    chunk += self._buf
                    self._buf = chunk
                    self._size += size
                    # -- end atomic
            self._started = True
            self._paths_in_file = len(self.paths)
            self._events += len(chunk)
            self._io_event = None

    @property
    def events_written(self) -> int:
        """Events that reached the output file (not counting the buffer)."""
        return self._events

    def close(self, exit_value_json: str) -> None:
        """Write the final toplevel ``Return`` (format rule 7) and the closing ``]``."""
        with self.lock:
            if self._posted:
                self._take_posted()  # before the Return: nothing may follow it
            self._accepting = False
            self.ret(exit_value_json)
            self.flush()
            self._sink.write(b"\n]\n")
            self._sink.close()
            self._stop()

    def close_partial(self) -> None:
        """Close the array at the last event boundary that can be written (best effort).

        First tries to write the buffered events and ``]`` together; if the layer refuses, only
        ``]`` after the events already in the file. Raises the layer's error if that fails too.
        The ``files/`` copies still pending are attempted first; without them the trace is
        still whole, so their failure is not this method's.
        """
        with self.lock:
            self._last = GATE  # the others' late events wait (and are dropped once stopped)
            tail = b"\n]\n" if self._started else b"[\n]\n"
            if self._posted:
                self._take_posted()
            if self._buf and self.sources is not None:
                with contextlib.suppress(RecorderError):
                    self.sources.write_pending()
            if self._buf:
                head = ",\n" if self._started else "[\n"
                data = (head + ",\n".join(self._buf)).encode("utf-8", "replace") + b"\n]\n"
                try:
                    self._sink.write(data)
                except RecorderError:
                    # Fall back to the events already on disk: a lone "]" may still fit.
                    self._buf.clear()
                else:
                    self._paths_in_file = len(self.paths)
                    self._finish_partial()
                    return
            self._sink.write(tail)
            self._finish_partial()

    def _stop(self) -> None:
        self._stopped = True
        self._last = GATE
        self._life.move(State.STOPPED)

    def _finish_partial(self) -> None:
        self._buf.clear()
        self._sink.close()
        self._stop()

    def abandon(self) -> None:
        """Drop the buffer and write nothing more (a forked child must not touch the file).

        Takes no lock: in a child forked from a thread, another thread of the parent may have
        held it at the fork; the child gets a fresh one.
        """
        self.lock = threading.RLock()
        self._buf.clear()
        self._size = 0
        self._sink = _NullSink()
        self._stop()

    # -------------------------------------------------------------------------- side files

    def write_side_files(self, layer: FileFactory, metadata: TraceMetadata) -> None:
        """``trace_paths.json`` and ``trace_metadata.json`` (written once, from ``metadata``)."""
        paths = layer.create("trace_paths.json")
        # Only the paths whose Path events are in trace.json (all of them unless it is partial).
        listed = self.paths[: self._paths_in_file]
        paths.write(json.dumps(listed, ensure_ascii=False).encode("utf-8", "replace"))
        paths.close()
        text = json.dumps(metadata.to_json(), ensure_ascii=False, indent=2, default=str)
        meta = layer.create("trace_metadata.json")
        meta.write(text.encode("utf-8", "replace"))
        meta.close()
