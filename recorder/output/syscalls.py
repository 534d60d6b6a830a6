"""The output layer's system calls, each behind a fault seam and the error translator.

Every call that changes the file system or a trace file's content passes here, so that

* the fault-injection harness can fail any one of them: each function calls
  ``seams.hit(point, path)`` right before the real call, inside the same ``try`` (a simulated
  ``OSError`` from the hook is handled exactly like a real one);
* every ``OSError`` leaves as a classified :class:`~recorder.errors.RecorderError` carrying
  ``path``, ``errno`` and ``step`` (via :func:`recorder.errors.translate`). A failed ``fsync`` is
  ``ERR_FSYNC_FAILED`` whatever its errno, and is never retried: after a failed fsync the kernel
  may have dropped the dirty pages, so a second fsync that "succeeds" proves nothing.

Seam points (``recorder.seams.IO_POINTS``): ``open`` (files and directories opened for fsync),
``write`` (each ``write(2)`` and ``ftruncate(2)``), ``fsync``, ``close``, ``rename``, ``mkdir``
and ``unlink`` (``unlink(2)`` and ``rmdir(2)``). Read-only look-ups (``lstat``, directory listing)
change nothing and have no seam.

Exceptions other than ``OSError`` (a hook simulating a recorder bug) pass through unchanged; the
callers are written so that any exception leaves the disk in a state the layer can recover from.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable
from typing import TypeVar

from recorder import seams
from recorder.errors import ErrorCode, translate

__all__ = [
    "close",
    "close_quietly",
    "fsync",
    "fsync_dir",
    "mkdir",
    "open_new_file",
    "rename",
    "rmdir",
    "start_writeback",
    "truncate",
    "unlink",
    "write_all",
]

_T = TypeVar("_T")

# Files are created exclusively (a name collision is a bug or a concurrent writer, never
# something to overwrite) and not inherited by child processes of the traced program.
_NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
_FADVISE = getattr(os, "posix_fadvise", None)  # absent on macOS
_DONTNEED = getattr(os, "POSIX_FADV_DONTNEED", 4)


def _call(point: str, step: str, path: str, fn: Callable[[], _T], **context: str) -> _T:
    try:
        seams.hit(point, path)
        return fn()
    except OSError as exc:
        code = ErrorCode.FSYNC_FAILED if point == "fsync" else None
        raise translate(exc, code=code, step=step, path=path, **context) from exc


def open_new_file(path: str) -> int:
    """Create ``path`` (it must not exist) for writing; return its descriptor."""
    return _call("open", "open", path, lambda: os.open(path, _NEW_FILE_FLAGS, 0o666))


def write_all(fd: int, data: bytes, path: str, *, written: list[int]) -> None:
    """Write all of ``data`` at the current offset, one seam hit per ``write(2)``.

    ``written[0]`` is advanced after every successful ``write(2)``, so when a later one fails the
    caller knows exactly how much of ``data`` reached the file (short writes are normal when the
    disk fills up: the kernel writes what fits, and the next call fails with ENOSPC).
    """
    view = memoryview(data)
    while view:
        count = _call("write", "write", path, functools.partial(os.write, fd, view))
        written[0] += count
        view = view[count:]


def start_writeback(fd: int, offset: int, length: int) -> None:
    """Ask the kernel to start writing ``length`` bytes at ``offset`` to disk now; never fails.

    On Linux ``POSIX_FADV_DONTNEED`` starts the writeback of dirty pages without waiting for it,
    so the ``fsync`` at close waits only for the last part instead of the whole trace. It
    changes no content and no file system entry, so it has no seam; where it does not exist
    or fails, nothing is lost but that head start.
    """
    if _FADVISE is not None:
        with contextlib.suppress(OSError):
            _FADVISE(fd, offset, length, _DONTNEED)


def truncate(fd: int, size: int, path: str) -> None:
    """Cut the file to ``size`` bytes and move the write offset there."""

    def cut() -> None:
        os.ftruncate(fd, size)
        os.lseek(fd, size, os.SEEK_SET)

    _call("write", "truncate", path, cut)


def fsync(fd: int, path: str) -> None:
    """Flush the file's data and metadata to stable storage (never retried on failure)."""
    _call("fsync", "fsync", path, lambda: os.fsync(fd))


def close(fd: int, path: str) -> None:
    """Close ``fd``. The descriptor is released even when the seam or close(2) reports a failure."""

    def release() -> None:
        try:
            seams.hit("close", path)
        finally:
            os.close(fd)

    # The seam is inside `release` so that a simulated failure still frees the descriptor, as a
    # real failing close(2) does on Linux.
    try:
        release()
    except OSError as exc:
        raise translate(exc, step="close", path=path) from exc


def fsync_dir(path: str) -> None:
    """Make the directory's entries (creations, renames) durable: open, fsync, close."""
    fd = _call("open", "open-dir", path, lambda: os.open(path, _DIR_FLAGS))
    synced = False
    try:
        fsync(fd, path)
        synced = True
    finally:
        if synced:
            close(fd, path)
        else:
            close_quietly(fd)  # keep the fsync failure as the error, not a follow-up one


def close_quietly(fd: int) -> None:
    """Release ``fd`` on a failure path; no seam, no error (the first failure is what counts)."""
    with contextlib.suppress(OSError):
        os.close(fd)


def rename(src: str, dst: str) -> None:
    """Atomically rename ``src`` to ``dst`` (same file system; replaces only an empty directory)."""
    _call("rename", "rename", src, lambda: os.rename(src, dst), destination=dst)


def mkdir(path: str) -> None:
    """Create one directory (mode 0o777 minus the umask, like a directory the user makes)."""
    _call("mkdir", "mkdir", path, lambda: os.mkdir(path))


def unlink(path: str) -> None:
    """Remove one file (or symlink)."""
    _call("unlink", "unlink", path, lambda: os.unlink(path))


def rmdir(path: str) -> None:
    """Remove one empty directory (seam point ``unlink``)."""
    _call("unlink", "rmdir", path, lambda: os.rmdir(path))
