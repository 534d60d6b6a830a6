"""The streaming CodeTracer trace writer: ids, event encoding, bounded buffering, the side files.

:class:`TraceWriter` owns the four id spaces of a trace (paths, functions, types, variable names),
declares each id with its event the first time it is used (format rule 1), encodes events as
compact JSON text and hands them to an output file in chunks of about 64 KiB of *whole* events, so
memory does not grow with the length of the run and the file always ends at an event boundary.

Layout of ``trace.json``: ``[`` then one event per line separated by ``,`` then ``]``. Because every
chunk holds whole events, :meth:`TraceWriter.close_partial` can close the array at the last event
that reached the file after a write failed (the output file's ``write`` is all-or-nothing).

Event text comes from :mod:`recorder.events` (the one place that formats events); the writer
owns the ids, the buffer and the file. Its lifecycle (:mod:`recorder.lifecycle`) is TRACING until
the array is closed (STOPPED); the side files are written from the session's
:class:`~recorder.metadata.TraceMetadata`.
"""

from __future__ import annotations

import contextlib
import json
from collections import deque
from typing import Protocol

from recorder import events
from recorder.errors import RecorderError
from recorder.lifecycle import Lifecycle, State
from recorder.metadata import TraceMetadata

__all__ = [
    "CHUNK_SIZE",
    "ByteSink",
    "FileFactory",
    "SourceCopies",
    "TraceWriter",
]

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

    # ----------------------------------------------------------------- ids (declare on first use)

    # Each declaration builds its event text *before* registering the id: at the interpreter's
    # recursion limit building it can fail, and an id registered without its event would be used
    # undeclared by every later value of that type.

    def path_id(self, path: str) -> int:
        pid = self._path_ids.get(path)
        if pid is None:
            event = events.path(path)
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
            fid = self._function_ids[key] = len(self._function_ids)
            self._emit(event)
        return fid

    def type_id(self, kind: int, lang_type: str) -> int:
        key = (kind, lang_type)
        tid = self._type_ids.get(key)
        if tid is None:
            event = events.type_decl(kind, lang_type)
            tid = self._type_ids[key] = len(self._type_ids)
            self._emit(event)
        return tid

    def struct_type_id(self, lang_type: str, fields: list[tuple[str, int]]) -> int:
        """A ``Struct`` type; one per class and field-name list (their types: the first seen)."""
        key = (6, lang_type + "\0" + "\0".join(name for name, _ in fields))
        tid = self._type_ids.get(key)
        if tid is None:
            event = events.struct_type_decl(lang_type, fields)
            tid = self._type_ids[key] = len(self._type_ids)
            self._emit(event)
        return tid

    def variable_id(self, name: str) -> int:
        vid = self.variable_ids.get(name)
        if vid is None:
            event = events.variable_name(name)
            vid = self.variable_ids[name] = len(self.variable_ids)
            self._emit(event)
        return vid

    # ------------------------------------------------------------------------------- events

    def begin(self, program: str) -> None:
        """The four header events of format rule 2."""
        path = self.path_id(program)
        self.function_id(path, 1, "<toplevel>")
        self.call(0, "")
        self.type_id(30, "None")

    @property
    def closed(self) -> bool:
        """True once the event array is closed (or abandoned): nothing more is written."""
        return self._life.stopped

    def emit(self, event: str) -> None:
        """Buffer one event (text from :mod:`recorder.events`); flushes a full chunk."""
        self._emit(event)

    def emit_batch(self, batch: list[str], size: int) -> None:
        """Buffer whole events at once (``size``: their characters); the hot paths' entry."""
        self._buf += batch
        self._size += size
        if self._size >= self._chunk_size:
            self.flush()

    def call(
        self, function_id: int, args_json: str, prelude: list[str] | None = None, size: int = 0,
    ) -> int:
        """A ``Call`` after the ``prelude`` events (``size`` characters); returns its ordinal.

        ``args_json`` is the comma-joined :data:`recorder.events.ARG` objects. ``Call`` and
        ``Return`` are buffered without flushing: the caller first updates its frame bookkeeping,
        then calls :meth:`maybe_flush`, so an output failure can never separate the event from
        the bookkeeping that balances it.
        """
        if prelude:
            self._buf += prelude
            self._size += size
        event = events.call(function_id, args_json)
        self._buf.append(event)
        self._size += len(event)
        self.call_count += 1
        return self.call_count - 1

    def ret(self, value_json: str) -> None:
        """A ``Return`` (buffered without flushing, see :meth:`call`)."""
        event = events.ret(value_json)
        self._buf.append(event)
        self._size += len(event)

    def io(
        self, kind: int, stream: str, content: str, frame_id: int, location: tuple[int, int],
    ) -> None:
        """An ``Event`` for a write to stdout (kind 0) or stderr (kind 2), or a stdin read (3).

        ``frame_id`` identifies the writing frame (the recorder passes the ordinal of its
        ``Call``, 0 for toplevel), ``location`` its (path id, line) of the last ``Step``.
        """
        if (self._io_index == len(self._buf) - 1 and self._io_stream == kind and self._buf
                and len(self._io_content) < IO_MERGE_LIMIT):
            # Nothing happened since the last write to this stream: extend that Event (up to a
            # limit: each extension re-encodes the Event, which must not grow without bound).
            content = self._io_content + content
            self._size -= len(self._buf.pop())
        self._emit(events.io(kind, stream, content, location[0], location[1], frame_id))
        self._io_index = len(self._buf) - 1
        self._io_stream = kind
        self._io_content = content

    def post(self, kind: int, stream: str, content: str) -> None:
        """From any thread: output with no thread, frame or line (fd capture) for an ``Event``.

        It is taken into the event stream at the next call or return boundary and when the
        buffer is flushed (``deque.append`` is atomic, so no lock is needed on the hot path).
        """
        if self._accepting:
            self._posted.append((kind, stream, content))

    def _take_posted(self) -> None:
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
        if self._posted:
            self._take_posted()
        if not self._buf:
            return
        if self.sources is not None:
            self.sources.write_pending()  # the copies of a chunk's paths land before the chunk
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
        if self._posted:
            self._take_posted()  # before the Return: nothing may follow it
        self._accepting = False
        self.ret(exit_value_json)
        self.flush()
        self._sink.write(b"\n]\n")
        self._sink.close()
        self._life.move(State.STOPPED)

    def close_partial(self) -> None:
        """Close the array at the last event boundary that can be written (best effort).

        First tries to write the buffered events and ``]`` together; if the layer refuses, only
        ``]`` after the events already in the file. Raises the layer's error if that fails too.
        The ``files/`` copies still pending are attempted first; without them the trace is
        still whole, so their failure is not this method's.
        """
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

    def _finish_partial(self) -> None:
        self._buf.clear()
        self._sink.close()
        self._life.move(State.STOPPED)

    def abandon(self) -> None:
        """Drop the buffer and write nothing more (a forked child must not touch the file)."""
        self._buf.clear()
        self._size = 0
        self._sink = _NullSink()
        self._life.move(State.STOPPED)

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
