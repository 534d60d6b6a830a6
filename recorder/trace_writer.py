"""The streaming CodeTracer trace writer: ids, event encoding, bounded buffering, the side files.

:class:`TraceWriter` owns the four id spaces of a trace (paths, functions, types, variable names),
declares each id with its event the first time it is used (format rule 1), encodes events as
compact JSON text and hands them to an output file in chunks of about 64 KiB of *whole* events, so
memory does not grow with the length of the run and the file always ends at an event boundary.

Layout of ``trace.json``: ``[`` then one event per line separated by ``,`` then ``]``. Because every
chunk holds whole events, :meth:`TraceWriter.close_partial` can close the array at the last event
that reached the file after a write failed (the output file's ``write`` is all-or-nothing).

**Threads** (the rules are :mod:`recorder.tracing.threads`'s). Until a second thread is recorded the
writer is single-threaded and its hot entries (:meth:`emit_batch`, :meth:`call`, :meth:`ret`) take
no lock. :meth:`start_sharing` switches it, under :attr:`lock`, to shared mode, where every append
holds :attr:`lock` around appending one *pre-built* unit (a ``Step`` with its ``Value`` events, a
``Call`` with its argument ``Value`` events, a ``Return``), preceded by ``ThreadStart(N)`` or
``ThreadSwitch(N)`` when the previous unit was another thread's. The lock is never held while
anything can run the program's code (units are encoded before it is taken). The unlocked path reads
:attr:`shared` and appends with no call and no backward jump in between, so under the GIL no other
thread can run between the check and the append (CPython evaluates the eval breaker, where threads
switch, only at calls, function entries and backward jumps); free-threaded builds are not supported.
Id declarations (first uses) and I/O events always take the lock.

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
#: Consecutive writes to one stream are merged into one Event until it holds this many characters.
IO_MERGE_LIMIT = 4096
#: The most characters of fd-captured output one Event holds.
POSTED_EVENT_LIMIT = 64 * 1024


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


class ThreadSlot:
    """A recorded thread as the writer sees it: its trace number, given at its first event.

    Numbers are never reused: 1 is the thread that started tracing, the others are numbered in
    the order their first event reaches the writer. ``first``/``last`` are the indexes (in
    ``trace.json``) of the thread's first and last event.
    """

    __slots__ = ("first", "last", "number")

    def __init__(self, number: int = 0) -> None:
        self.number = number
        self.first = 0
        self.last = -1


class TraceWriter:
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
        self._io_index = -1
        self._io_stream = -1
        self._io_content = ""
        self._io_frame = 0
        # Output read from a file descriptor by another thread (post); taken in at boundaries.
        self._posted: deque[tuple[int, str, str]] = deque()
        self._accepting = True  # until the final Return: then late output is dropped
        #: Told each path when it is declared and asked to write its copies before each chunk
        #: (the ``files/`` copies: recorder.sources).
        self.sources: SourceCopies | None = None
        #: Held around every append in shared mode, every declaration and every flush.
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

    def path_id(self, path: str) -> int:
        pid = self._path_ids.get(path)
        if pid is None:
            event = events.path(path)
            with self.lock:
                pid = self._path_ids.get(path)
                if pid is None:
                    pid = self._path_ids[path] = len(self.paths)
                    self.paths.append(path)
                    self._emit(event)
                    if self.sources is not None:
                        self.sources.see(path)
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
            found = ids[key] = len(ids)
            self._emit(event)
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

    def emit_batch(self, batch: list[str], size: int, slot: ThreadSlot | None = None) -> None:
        """Buffer whole events at once (``size``: their characters); the hot paths' entry.

        ``slot`` is the recording thread (None: the thread that started tracing).
        """
        if self.shared:
            self._append(slot or self.main, batch, size)
            return
        self._buf += batch  # no call between the check and the append: see the module docstring
        self._size += size
        if self._size >= self._chunk_size:
            self.flush()

    def call(self, unit: list[str], size: int, slot: ThreadSlot | None = None) -> int:
        """A ``Call`` (the last event of ``unit``, ``size`` characters); returns its ordinal.

        The events before it (its argument ``Value`` events and the ``Step``) are one unit with
        it. ``Call`` and ``Return`` are buffered without flushing: the caller first updates its
        frame bookkeeping, then calls :meth:`maybe_flush`, so an output failure can never separate
        the event from the bookkeeping that balances it.
        """
        if self.shared:
            return self._append(slot or self.main, unit, size, flush=False, call=True)
        self._buf += unit  # no call between the check and the update: see the module docstring
        self._size += size
        self.call_count += 1
        return self.call_count - 1

    def ret(self, value_json: str, slot: ThreadSlot | None = None) -> None:
        """A ``Return`` (buffered without flushing, see :meth:`call`)."""
        event = RETURN_HEAD + value_json + RETURN_TAIL
        if self.shared:
            self._append(slot or self.main, [event], len(event), False)
            return
        self._buf.append(event)
        self._size += len(event)

    def io(
        self, kind: int, stream: str, content: str, frame_id: int, location: tuple[int, int],
        slot: ThreadSlot | None = None,
    ) -> None:
        """An ``Event`` for a write to stdout (kind 0) or stderr (kind 2), or a stdin read (3).

        ``frame_id`` identifies the writing frame (the recorder passes the ordinal of its
        ``Call``, 0 for toplevel), ``location`` its (path id, line) of the last ``Step``.
        """
        slot = slot or self.main
        with self.lock:  # rare enough to always lock; the text is built inside (no user code)
            if self._stopped:
                return
            if (self._io_index == len(self._buf) - 1 and self._io_stream == kind and self._buf
                    and self._last is slot and len(self._io_content) < IO_MERGE_LIMIT):
                # Nothing happened since the last write to this stream: extend that Event (up to
                # a limit: each extension re-encodes the Event, which must not grow without bound).
                content = self._io_content + content
                self._size -= len(self._buf.pop())
            self._mark(slot)
            event = events.io(kind, stream, content, location[0], location[1], frame_id,
                              slot.number)
            self._buf.append(event)
            self._size += len(event)
            slot.last = self._events + len(self._buf) - 1
            self._io_index = len(self._buf) - 1
            self._io_stream = kind
            self._io_content = content
            if self._size >= self._chunk_size:
                self.flush()

    # ------------------------------------------------------------------------------- threads

    def start_sharing(self) -> None:
        """A second thread is about to be recorded: from now on appends take :attr:`lock`."""
        with self.lock:
            if not self.shared:
                self.main.last = self._events + len(self._buf) - 1
                self.shared = True

    def _mark(self, slot: ThreadSlot) -> None:
        """``ThreadStart``/``ThreadSwitch`` before ``slot``'s unit if needed (under the lock)."""
        if slot is self._last:
            return
        if slot.number == 0:  # first event: numbered now, in order of first events
            slot.number = len(self.slots) + 1
            self.slots.append(slot)
            marker = events.thread_start(slot.number)
            slot.first = self._events + len(self._buf) + 1
        else:
            marker = events.thread_switch(slot.number)
        self._buf.append(marker)
        self._size += len(marker)
        self._last = slot

    def _append(
        self, slot: ThreadSlot, unit: list[str], size: int, flush: bool = True,
        call: bool = False,
    ) -> int:
        """Shared mode: one unit of ``slot``'s events, atomically (see the module docstring).

        Returns the ``Call`` ordinal when ``call`` (the unit ends with a ``Call``), else -1.
        ``acquire``/``release`` rather than ``with``: half the cost, on every event of every
        thread once a second thread is recorded. The lock is read once: finishing may replace
        it (a frozen thread's lock is abandoned) while this thread is inside.
        """
        lock = self.lock
        lock.acquire()
        try:
            if self._stopped:  # closed while this thread was still running: dropped
                return -1
            if slot is not self._last:
                self._mark(slot)
            buf = self._buf
            buf += unit
            self._size += size
            slot.last = self._events + len(buf) - 1
            if call:
                self.call_count += 1
                return self.call_count - 1
            if flush and self._size >= self._chunk_size:
                self.flush()
            return -1
        finally:
            lock.release()

    def end_threads(self, open_frames: dict[int, int]) -> None:
        """Close every thread but the first: ``Return None`` per open frame, then ``ThreadExit``.

        ``open_frames`` maps a thread number to the frames still open in it. Called when the
        recording ends, after the tracer is detached; ends on thread 1 (its final ``Return``
        follows).
        """
        if not self.shared:
            return
        with self.lock:
            none = events.ret(events.NONE_VALUE)
            for slot in self.slots[1:]:
                self._mark(slot)
                for _ in range(open_frames.get(slot.number, 0)):
                    self._buf.append(none)
                    self._size += len(none)
                exit_event = events.thread_exit(slot.number)
                self._buf.append(exit_event)
                self._size += len(exit_event)
                slot.last = self._events + len(self._buf) - 1
                self._last = ThreadSlot()  # nobody: the next unit is preceded by a switch
            self._mark(self.main)

    def thread_list(self) -> list[dict[str, int]]:
        """Each numbered thread's number and first/last event index (for the metadata)."""
        return [{"number": slot.number, "first_event": slot.first, "last_event": slot.last}
                for slot in self.slots]

    def post(self, kind: int, stream: str, content: str) -> None:
        """From any thread: output with no thread, frame or line (fd capture) for an ``Event``.

        It is taken into the event stream at the next call or return boundary and when the
        buffer is flushed (``deque.append`` is atomic, so no lock is needed on the hot path).
        """
        if self._accepting:
            self._posted.append((kind, stream, content))

    def _take_posted(self) -> None:
        with self.lock:  # rare (fd capture only): taken by whichever recorded thread gets here
            self._take_posted_locked()

    def _take_posted_locked(self) -> None:
        # Consecutive reads of one stream become one Event of at most POSTED_EVENT_LIMIT.
        pieces: list[str] = []
        size, kind, stream = 0, -1, ""
        while self._posted and self._accepting:
            next_kind, next_stream, content = self._posted.popleft()
            if pieces and (next_kind != kind or size >= POSTED_EVENT_LIMIT):
                self._append_posted(kind, stream, "".join(pieces))
                pieces, size = [], 0
            kind, stream = next_kind, next_stream
            pieces.append(content)
            size += len(content)
        if pieces:
            self._append_posted(kind, stream, "".join(pieces))
        self._io_index = -1

    def _append_posted(self, kind: int, stream: str, content: str) -> None:
        event = events.io_unattributed(kind, stream, content)
        self._buf.append(event)
        self._size += len(event)

    # ------------------------------------------------------------------------------ output

    def _emit(self, event: str) -> None:
        if self._stopped:  # a thread still running after the end declares a new id
            return
        self._buf.append(event)
        self._size += len(event)
        if self._size >= self._chunk_size:
            self.flush()

    def maybe_flush(self) -> None:
        """Flush if a whole chunk is buffered (after :meth:`call` / :meth:`ret`)."""
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
            data = (head + ",\n".join(self._buf)).encode("utf-8", "replace")
            self._sink.write(data)
            self._started = True
            self._paths_in_file = len(self.paths)
            self._events += len(self._buf)
            self._buf.clear()
            self._size = 0
            self._io_index = -1

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
