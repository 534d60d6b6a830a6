"""One trace file being written inside a staging directory.

:class:`OutputFile` is the only handle the trace writer gets. Its promise is that a file always
ends where a successful :meth:`OutputFile.write` left it:

* ``write(data)`` is all-or-nothing for the caller. The kernel may accept part of ``data`` and then
  fail (a short write followed by ENOSPC); the file is then truncated back to its length before
  the call and the error raised. The writer hands whole events, so the file always ends at an event
  boundary and a partial trace can still be closed with ``]`` (``--keep-partial-trace``).
* If that truncation itself fails, or an ``fsync``/``close`` fails, the file's content on disk is
  no longer known: the file becomes *broken*, every later use raises the error that broke it, and
  the layer refuses to publish it.

There is no buffering here: each ``write`` goes to the kernel at once (the writer batches events
into large chunks). ``flush`` exists so the object can stand where a file object is expected.
``close`` makes the content durable (``fsync``) before releasing the descriptor; the layer does the
same for files still open when it publishes. Every :data:`WRITEBACK_STEP` bytes the kernel is asked
to start writing the new bytes to disk, so that close waits for the tail only.
"""

from __future__ import annotations

import contextlib
import enum

from recorder.errors import (
    ErrorCode,
    RecorderError,
    ensure_internal,
    enverr,
)
from recorder.output import syscalls

__all__ = ["WRITEBACK_STEP", "FileState", "OutputFile"]

#: Every this many bytes written, the kernel is asked to start writing them to disk, so that the
#: ``fsync`` of :meth:`OutputFile.close` does not wait for the whole file at the end.
WRITEBACK_STEP = 1 << 20


class FileState(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"  # fsynced and closed: complete
    BROKEN = "broken"  # content unknown after a failure: never published
    DISCARDED = "discarded"  # closed without fsync by abandon: about to be removed


class OutputFile:
    """A file of the staging directory (created by ``OutputLayer.create``)."""

    def __init__(self, name: str, path: str, fd: int) -> None:
        self.name = name
        self.path = path
        self._fd = fd
        self._size = 0
        self._written_back = 0  # bytes whose writeback to disk was started (see write)
        self._state = FileState.OPEN
        self._broken_by: RecorderError | None = None

    @property
    def state(self) -> FileState:
        return self._state

    @property
    def closed(self) -> bool:
        return self._state is not FileState.OPEN

    def fileno(self) -> int:
        return self._fd

    def tell(self) -> int:
        """Bytes in the file: the sum of all successful writes (minus truncations)."""
        return self._size

    def flush(self) -> None:
        """Nothing to do: ``write`` hands every byte to the kernel before it returns."""

    def write(self, data: bytes) -> None:
        """Append ``data`` entirely, or raise and leave the file as it was (see module doc)."""
        self._require_open("write")
        before = self._size
        written = [0]
        done = False
        try:
            syscalls.write_all(self._fd, data, self.path, written=written)
            done = True
        finally:
            # Any failure (an I/O error, or a simulated bug at a seam) after part of `data`
            # reached the file: cut it back so the file ends at the previous event boundary.
            if not done and written[0]:
                with contextlib.suppress(RecorderError):  # the write's error is the one to raise
                    self._cut(before)
        self._size = before + len(data)
        if self._size - self._written_back >= WRITEBACK_STEP:
            syscalls.start_writeback(self._fd, self._written_back, self._size - self._written_back)
            self._written_back = self._size

    def truncate(self, size: int) -> None:
        """Cut the file back to ``size`` bytes (at most its current length)."""
        self._require_open("truncate")
        ensure_internal(0 <= size <= self._size, ErrorCode.INVARIANT_VIOLATED,
                        "truncate beyond the end of a trace file", path=self.path,
                        size=size, length=self._size)
        self._cut(size)

    def _cut(self, size: int) -> None:
        """``ftruncate`` to ``size``; on any failure the length is unknown: the file is broken."""
        cut = False
        try:
            syscalls.truncate(self._fd, size, self.path)
            cut = True
        except RecorderError as error:
            self._break(error)
            raise
        finally:
            if not cut:  # not an I/O error (a simulated bug, KeyboardInterrupt): still broken
                self._break(enverr(ErrorCode.IO, "the trace file could not be cut back",
                                   path=self.path, step="truncate"))
        self._size = size
        self._written_back = min(self._written_back, size)

    def close(self) -> None:
        """Make the content durable and release the file; idempotent once closed."""
        if self._state is FileState.CLOSED:
            return
        self._require_open("close")
        fd, self._fd = self._fd, -1
        # Pessimistic until fsync and close(2) both succeed: whatever interrupts them (an I/O
        # error, a simulated bug, KeyboardInterrupt) leaves a file nobody may publish.
        self._state = FileState.BROKEN
        self._broken_by = enverr(ErrorCode.FSYNC_FAILED, "closing the trace file did not complete",
                                 path=self.path, step="close")
        synced = False
        try:
            syscalls.fsync(fd, self.path)
            synced = True
        except RecorderError as error:
            self._broken_by = error
            raise
        finally:
            if not synced:
                syscalls.close_quietly(fd)
        try:
            syscalls.close(fd, self.path)
        except RecorderError as error:
            self._broken_by = error
            raise
        self._state = FileState.CLOSED
        self._broken_by = None

    def discard(self) -> None:
        """Release the descriptor without making anything durable (abandon); never raises."""
        if self._fd >= 0:
            syscalls.close_quietly(self._fd)
            self._fd = -1
        if self._state is not FileState.CLOSED:
            self._state = FileState.DISCARDED

    def _break(self, error: RecorderError) -> None:
        if self._state is FileState.OPEN and self._broken_by is None:
            self._broken_by = error
        self._state = FileState.BROKEN

    def _require_open(self, operation: str) -> None:
        if self._state is FileState.BROKEN and self._broken_by is not None:
            broken = self._broken_by
            raise enverr(broken.code,
                         f"{operation} on a trace file left in an unknown state by an earlier "
                         f"failure: {broken.message}",
                         **{**broken.context, "path": self.path, "step": operation})
        ensure_internal(self._state is FileState.OPEN, ErrorCode.INVARIANT_VIOLATED,
                        f"{operation} on a trace file that is {self._state.value}",
                        path=self.path)
