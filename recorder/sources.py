"""Self-contained traces: a copy of each traced source file in the trace's ``files/`` folder.

When the trace writer declares a ``Path`` (the first time a traced file runs, and the program
itself at the start), :meth:`SourceCopier.see` reads that file, so a file edited later in the run
is kept as it was when it ran. :meth:`SourceCopier.write_pending` writes what was read to
``files/<absolute path without its leading />`` in the staging directory just before the writer
hands its next chunk of events to ``trace.json`` (so ``/home/me/app/main.py`` becomes
``files/home/me/app/main.py``): the copies are staged and published atomically with the trace, a
write failure is met where a chunk's would be, and a partial trace has the copies of the paths
its events name (closing a partial trace writes no more copies).

Limits (recorded in ``trace_metadata.json`` under ``files``, with every file that was left out and
why): a file larger than :data:`MAX_FILE_BYTES` is not copied (``"too-large"``); once the copies
reach :data:`MAX_TOTAL_BYTES` no further file is (``"total-limit"``); a file that cannot be read
is skipped (``"unreadable"``). Paths that name no file (``<string>``, ``<frozen ...>``) are not
copies of anything and are not listed. A failure to *write* a copy is an output failure like any
other and goes to the policy.
"""

from __future__ import annotations

import os
from typing import Protocol

from recorder.trace_writer import ByteSink

__all__ = ["FILES_DIR", "MAX_FILE_BYTES", "MAX_TOTAL_BYTES", "SourceCopier", "SourceSink"]

FILES_DIR = "files"
#: Largest source file copied.
MAX_FILE_BYTES = 8 * 1024 * 1024
#: Most bytes copied into one trace.
MAX_TOTAL_BYTES = 128 * 1024 * 1024
#: Copies kept open (not yet fsynced) until the trace is published.
OPEN_COPIES = 32


class SourceSink(Protocol):
    """What the copier needs from the output layer (``OutputLayer.create_at``)."""

    def create_at(self, relpath: str) -> ByteSink: ...


def copy_path(path: str) -> str | None:
    """Where ``path``'s copy goes in the trace (``files/...``), or None if it names no file."""
    if not os.path.isabs(path):
        return None
    parts = [part for part in os.path.normpath(path).split(os.sep) if part]
    if not parts or any(part in (".", "..") for part in parts):
        return None
    return "/".join([FILES_DIR, *parts])


class SourceCopier:
    """Copies each declared path once (see the module docstring)."""

    def __init__(self, sink: SourceSink, *, max_file_bytes: int = MAX_FILE_BYTES,
                 max_total_bytes: int = MAX_TOTAL_BYTES) -> None:
        self._sink = sink
        self.max_file_bytes = max_file_bytes
        self.max_total_bytes = max_total_bytes
        self.copied = 0
        self.bytes = 0
        self.skipped: dict[str, str] = {}
        self._seen: set[str] = set()
        self._pending: list[tuple[str, bytes]] = []
        self._open: list[ByteSink] = []

    def see(self, path: str) -> None:
        """Read ``path`` for ``files/`` if it is a readable file within the limits."""
        target = copy_path(path)
        if target is None or target in self._seen:
            return
        self._seen.add(target)
        try:
            if not os.path.isfile(path):
                return
            size = os.path.getsize(path)
            if size > self.max_file_bytes:
                self.skipped[path] = "too-large"
                return
            if self.bytes + size > self.max_total_bytes:
                self.skipped[path] = "total-limit"
                return
            with open(path, "rb") as source:
                data = source.read(self.max_file_bytes + 1)
        except OSError:
            self.skipped[path] = "unreadable"
            return
        if len(data) > self.max_file_bytes or self.bytes + len(data) > self.max_total_bytes:
            self.skipped[path] = "too-large"  # it grew since it was measured
            return
        self._pending.append((target, data))
        self.bytes += len(data)

    def write_pending(self) -> None:
        """Write the copies read so far (raises the output layer's error, like a chunk write)."""
        while self._pending:
            target, data = self._pending.pop(0)  # never retried: a failed copy stays empty
            out = self._sink.create_at(target)
            out.write(data)
            self.copied += 1
            # Left open: the layer makes them durable (fsync) when it publishes, so no fsync
            # happens during the run; past OPEN_COPIES the oldest is made durable now.
            self._open.append(out)
            if len(self._open) > OPEN_COPIES:
                self._open.pop(0).close()

    def to_json(self) -> dict[str, object]:
        """The metadata's ``files`` block."""
        return {"dir": FILES_DIR, "copied": self.copied, "bytes": self.bytes,
                "max_file_bytes": self.max_file_bytes, "max_total_bytes": self.max_total_bytes,
                "skipped": dict(self.skipped)}
