"""The streaming CodeTracer trace writer: ids, event encoding, bounded buffering, the side files.

:class:`TraceWriter` owns the four id spaces of a trace (paths, functions, types, variable names),
declares each id with its event the first time it is used (format rule 1), encodes events as
compact JSON text and hands them to an output file in chunks of about 64 KiB of *whole* events, so
memory does not grow with the length of the run and the file always ends at an event boundary.

Layout of ``trace.json``: ``[`` then one event per line separated by ``,`` then ``]``. Because every
chunk holds whole events, :meth:`TraceWriter.close_partial` can close the array at the last event
that reached the file after a write failed (the output file's ``write`` is all-or-nothing).

Events are built with string formatting, not ``json.dumps`` per event: every number is an ``int``
formatted by Python, and every string goes through :func:`json_string` (``json``'s own C escaper).
Value records come from :mod:`recorder.values` and are serialised once by the caller
(:mod:`recorder.tracing.valuejson`), so the writer only splices already-valid JSON text.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import Protocol

import recorder
from recorder.errors import RecorderError
from recorder.values.text import utf8_safe

__all__ = [
    "CHUNK_SIZE",
    "NONE_VALUE",
    "TRACE_SCHEMA_VERSION",
    "ByteSink",
    "FileFactory",
    "TraceWriter",
    "json_string",
]

#: Version of what this project writes into a trace directory (bumped on incompatible changes).
TRACE_SCHEMA_VERSION = 1
#: Events are handed to the output file once this many characters are buffered.
CHUNK_SIZE = 64 * 1024
#: The ValueRecord of ``None``: type id 0 is always None (format rule 2).
NONE_VALUE = '{"kind":"None","type_id":0}'

_escape = json.encoder.encode_basestring  # C-accelerated; keeps non-ASCII as is (UTF-8 file)


def json_string(text: str) -> str:
    """``text`` as a JSON string literal that encodes to valid UTF-8 (lone surrogates escaped)."""
    return _escape(utf8_safe(text))


class ByteSink(Protocol):
    """What the writer needs from an output file (``recorder.output.OutputFile``)."""

    def write(self, data: bytes) -> None: ...

    def close(self) -> None: ...


class FileFactory(Protocol):
    """What the writer needs from the output layer: ``create(name)`` in the staging directory."""

    def create(self, name: str) -> ByteSink: ...


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
        self._buf: list[str] = []
        #: Whole events waiting for the file. Hot paths append here directly and then call
        #: :meth:`account` with the characters they added.
        self.buffer = self._buf
        self._size = 0
        self._started = False  # "[" written to the file
        self._events = 0  # events handed to the file so far
        self.closed = False
        self.paths: list[str] = []
        self._paths_in_file = 0  # Path events that reached the file (trace_paths.json lists them)
        self._path_ids: dict[str, int] = {}
        self._function_ids: dict[tuple[int, int, str], int] = {}
        self._type_ids: dict[tuple[int, str], int] = {}
        self.variable_ids: dict[str, int] = {}
        self.call_count = 0  # ordinal of the last Call: frame ids in I/O event metadata
        self.last_path_id = 0
        self.last_line = 0
        # Consecutive writes to one stream with nothing in between become one Event (print()
        # writes its arguments, separators and end separately).
        self._io_index = -1
        self._io_stream = -1
        self._io_content = ""
        self._io_frame = 0

    # ----------------------------------------------------------------- ids (declare on first use)

    def path_id(self, path: str) -> int:
        pid = self._path_ids.get(path)
        if pid is None:
            pid = self._path_ids[path] = len(self.paths)
            self.paths.append(path)
            self._emit('{"Path":' + json_string(path) + "}")
        return pid

    def function_id(self, path_id: int, line: int, name: str) -> int:
        # Keyed by (path, line, name), not by name alone: same-named functions stay apart.
        key = (path_id, line, name)
        fid = self._function_ids.get(key)
        if fid is None:
            fid = self._function_ids[key] = len(self._function_ids)
            self._emit(
                f'{{"Function":{{"path_id":{path_id},"line":{line},"name":{json_string(name)}}}}}'
            )
        return fid

    def type_id(self, kind: int, lang_type: str) -> int:
        key = (kind, lang_type)
        tid = self._type_ids.get(key)
        if tid is None:
            tid = self._type_ids[key] = len(self._type_ids)
            self._emit(
                f'{{"Type":{{"kind":{int(kind)},"lang_type":{json_string(lang_type)},'
                '"specific_info":{"kind":"None"}}}'
            )
        return tid

    def variable_id(self, name: str) -> int:
        vid = self.variable_ids.get(name)
        if vid is None:
            vid = self.variable_ids[name] = len(self.variable_ids)
            self._emit('{"VariableName":' + json_string(name) + "}")
        return vid

    # ------------------------------------------------------------------------------- events

    def begin(self, program: str) -> None:
        """The four header events of format rule 2."""
        path = self.path_id(program)
        self.function_id(path, 1, "<toplevel>")
        self.call(0, "")
        self.type_id(30, "None")

    def step(self, path_id: int, line: int) -> None:
        self.last_path_id = path_id
        self.last_line = line
        self._emit(f'{{"Step":{{"path_id":{path_id},"line":{line}}}}}')

    def value(self, variable_id: int, value_json: str) -> None:
        self._emit(f'{{"Value":{{"variable_id":{variable_id},"value":{value_json}}}}}')

    def call(self, function_id: int, args_json: str) -> int:
        """A ``Call``; ``args_json`` is the comma-joined ``{"variable_id","value"}`` objects.

        ``Call`` and ``Return`` are buffered without flushing: the caller first updates its frame
        bookkeeping, then calls :meth:`account`, so an output failure can never separate the
        event from the bookkeeping that balances it.
        """
        event = f'{{"Call":{{"function_id":{function_id},"args":[{args_json}]}}}}'
        self._buf.append(event)
        self._size += len(event)
        self.call_count += 1
        return self.call_count - 1

    def ret(self, value_json: str) -> None:
        """A ``Return`` (buffered without flushing, see :meth:`call`)."""
        event = '{"Return":{"return_value":' + value_json + "}}"
        self._buf.append(event)
        self._size += len(event)

    def io(
        self, kind: int, stream: str, content: str, frame_id: int,
        location: tuple[int, int] | None = None,
    ) -> None:
        """An ``Event`` for a write to stdout (kind 0) or stderr (kind 2), or a stdin read (3).

        ``frame_id`` identifies the writing frame (the recorder passes the ordinal of its
        ``Call``, 0 for toplevel), ``location`` its (path id, line), by default the last ``Step``.
        """
        path_id, line = location or (self.last_path_id, self.last_line)
        if self._io_index == len(self._buf) - 1 and self._io_stream == kind and self._buf:
            # Nothing happened since the last write to this stream: extend that Event.
            content = self._io_content + content
            self._size -= len(self._buf.pop())
        flags = '["newline"]' if content.endswith("\n") else "[]"
        metadata = (
            f'{{"stream":"{stream}","thread":"ThreadId(1)","path_id":{path_id},'
            f'"line":{line},"frame_id":{frame_id},"flags":{flags}}}'
        )
        self._emit(
            f'{{"Event":{{"kind":{kind},"metadata":{_escape(metadata)},'
            f'"content":{json_string(content)}}}}}'
        )
        self._io_index = len(self._buf) - 1
        self._io_stream = kind
        self._io_content = content

    # ------------------------------------------------------------------------------ output

    def _emit(self, event: str) -> None:
        self._buf.append(event)
        self._size += len(event)
        if self._size >= self._chunk_size:
            self.flush()

    def account(self, size: int) -> None:
        """``size`` characters of events were appended to :attr:`buffer` directly."""
        self._size += size
        if self._size >= self._chunk_size:
            self.flush()

    def flush(self) -> None:
        """Hand the buffered events to the file as one write of whole events.

        On failure the events stay buffered (the file is unchanged: writes are all-or-nothing) and
        the output layer's ``EnvironmentError`` propagates to the caller.
        """
        if not self._buf:
            return
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
        self.ret(exit_value_json)
        self.flush()
        self._sink.write(b"\n]\n")
        self._sink.close()
        self.closed = True

    def close_partial(self) -> None:
        """Close the array at the last event boundary that can be written (best effort).

        First tries to write the buffered events and ``]`` together; if the layer refuses, only
        ``]`` after the events already in the file. Raises the layer's error if that fails too.
        """
        tail = b"\n]\n" if self._started else b"[\n]\n"
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
        self.closed = True

    def abandon(self) -> None:
        """Drop the buffer and write nothing more (a forked child must not touch the file)."""
        self._buf.clear()
        self._size = 0
        self._sink = _NullSink()

    # -------------------------------------------------------------------------- side files

    def write_side_files(
        self,
        layer: FileFactory,
        *,
        program: str,
        args: Sequence[str],
        exit_code: int | None,
        label: str | None,
        extras: dict[str, object],
    ) -> None:
        """``trace_paths.json`` and ``trace_metadata.json`` (format doc fields, then ``extras``)."""
        paths = layer.create("trace_paths.json")
        # Only the paths whose Path events are in trace.json (all of them unless it is partial).
        listed = self.paths[: self._paths_in_file]
        paths.write(json.dumps(listed, ensure_ascii=False).encode("utf-8", "replace"))
        paths.close()
        metadata: dict[str, object] = {
            "workdir": os.getcwd(),
            "program": program,
            "args": list(args),
            "process_exit_status": {"code": exit_code, "label": label},
            "recorder": {
                "name": "codetracer-python-recorder-errors",
                "version": recorder.__version__,
                "target_script": program,
            },
            "schema_version": TRACE_SCHEMA_VERSION,
            "python_version": ".".join(str(part) for part in sys.version_info[:3]),
            "python_implementation": sys.implementation.name,
            "partial": False,
        }
        metadata.update(extras)
        text = json.dumps(metadata, ensure_ascii=False, indent=2, default=str)
        meta = layer.create("trace_metadata.json")
        meta.write(text.encode("utf-8", "replace"))
        meta.close()
