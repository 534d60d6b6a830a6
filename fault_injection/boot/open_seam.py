"""``builtins.open`` and ``io.open`` as counting seams, with the objects ``open`` returns unchanged.

:func:`counted_open` builds what the ``io`` module's ``open`` builds - a ``BufferedReader``,
``BufferedWriter`` or ``BufferedRandom``, and a ``TextIOWrapper`` over it for text modes - but
over a :class:`CountedFileIO`, so that opening is one ``os.open`` hit and each raw ``write`` (one
``write(2)``) one ``os.write`` hit. Anything it does not count (a path outside the roots, an
unusual mode or argument) goes to the real ``open`` untouched, so errors stay ``open``'s own.
Standard library only: the bootstrap loads it inside other people's processes.
"""

from __future__ import annotations

import builtins
import io
import os

TYPE_CHECKING = False  # typing is not imported at run time: start-up cost (see fs_seams)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_real_open = builtins.open
_core: Any = None  # the fs_seams module, given by bind()


class CountedFileIO(io.FileIO):
    """``FileIO`` whose writes and truncations are counted seams."""

    fault_path: str | None = None

    def write(self, data: Any, /) -> int:
        size = memoryview(data).nbytes
        seams = _core.current() if _core is not None else None
        offset = self.tell() if seams is not None and seams.log_ops else None
        if _core is not None:
            _core.count("os.write", self.fault_path, fd=self.fileno(), size=size, offset=offset,
                        **_core.payload(data))
        return super().write(data)

    def truncate(self, size: int | None = None, /) -> int:
        if _core is not None:
            _core.count("os.ftruncate", self.fault_path, fd=self.fileno(),
                        size=self.tell() if size is None else size)
        return super().truncate(size)

    def close(self) -> None:
        seams = _core.current() if _core is not None else None
        if seams is not None and not self.closed and self.closefd:
            seams.fds.pop(self.fileno(), None)
        super().close()


_FLAGS = {"r": os.O_RDONLY, "w": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
          "a": os.O_WRONLY | os.O_CREAT | os.O_APPEND, "x": os.O_WRONLY | os.O_CREAT | os.O_EXCL}


def open_flags(raw_mode: str) -> int:
    """The ``os.open`` flags ``FileIO`` uses for ``raw_mode`` (what the journal logs)."""
    flags = _FLAGS[raw_mode[0]]
    if "+" in raw_mode:
        flags = (flags & ~os.O_WRONLY) | os.O_RDWR
    return flags | os.O_CLOEXEC


def _raw_mode(mode: str) -> str | None:
    """FileIO's mode for an ``open`` mode, or None when ``open`` itself should judge it."""
    chars = set(mode)
    if len(chars) != len(mode) or chars - set("axrwb+t") or {"b", "t"} <= chars:
        return None
    access = [c for c in "xrwa" if c in chars]
    return access[0] + ("+" if "+" in chars else "") if len(access) == 1 else None


def _ours(file: Any, mode: Any, buffering: Any, text_args: tuple[Any, ...]) -> str | None:
    """The counted path when this call is one to count and build ourselves, else None."""
    seams = _core.current() if _core is not None else None
    if seams is None or not isinstance(mode, str) or not isinstance(buffering, int):
        return None
    raw_mode = _raw_mode(mode)
    binary = "b" in mode
    if raw_mode is None or (binary and (buffering == 1 or any(a is not None for a in text_args))):
        return None
    if buffering == 0 and not binary:
        return None  # ``open`` raises its own ValueError for unbuffered text
    path = _core.fd_path(file) if isinstance(file, int) else _core.path_of(file)
    if not seams.counted(path) or _core.from_recorder():
        return None
    return str(path)


def counted_open(file: Any, mode: str = "r", buffering: int = -1, encoding: str | None = None,
                 errors: str | None = None, newline: str | None = None, closefd: bool = True,
                 opener: Callable[[str, int], int] | None = None) -> Any:
    """``open`` as the io module builds it, over a :class:`CountedFileIO` for counted paths."""
    path = _ours(file, mode, buffering, (encoding, errors, newline))
    if path is None:
        return _real_open(file, mode, buffering, encoding, errors, newline, closefd, opener)
    raw_mode = str(_raw_mode(mode))
    # Opening a counted descriptor again is no new open(2); an opener makes its own calls.
    if not isinstance(file, int) and opener is None:
        _core.count("os.open", path, flags=open_flags(raw_mode))
    raw = CountedFileIO(file, raw_mode, closefd, opener=opener)
    fds = _core.current().fds
    raw.fault_path = path if opener is None else fds.get(raw.fileno())
    if raw.fault_path is not None:
        fds[raw.fileno()] = raw.fault_path
    result: Any = raw
    try:
        line_buffering = False
        if buffering == 1 or (buffering < 0 and raw.isatty()):
            buffering, line_buffering = -1, True
        if buffering < 0:
            size = getattr(raw, "_blksize", 0)
            buffering = size if size > 1 else io.DEFAULT_BUFFER_SIZE
        if buffering == 0:
            return raw
        if "+" in raw_mode:
            result = io.BufferedRandom(raw, buffering)
        elif raw_mode[0] in "xwa":
            result = io.BufferedWriter(raw, buffering)
        else:
            result = io.BufferedReader(raw, buffering)
        if "b" in mode:
            return result
        result = io.TextIOWrapper(result, encoding, errors, newline, line_buffering)
        result.mode = mode
        return result
    except BaseException:
        result.close()
        raise  # noqa: REC004 - ``open``'s own errors must reach the program unchanged


counted_open.__doc__ = _real_open.__doc__


def bind(core: Any) -> None:
    """Replace ``builtins.open`` and ``io.open`` (the same function) with :func:`counted_open`."""
    global _core
    _core = core
    builtins.open = counted_open
    io.open = counted_open


def unbind() -> None:
    """Put the real ``open`` back."""
    global _core
    builtins.open = _real_open
    io.open = _real_open
    _core = None
