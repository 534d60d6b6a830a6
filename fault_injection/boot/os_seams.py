"""The ``os`` functions that make file-system system calls, as counting seams.

Each wrapper resolves the path (or the descriptor's path, tracked from ``os.open``), counts the
call through the core (:mod:`fs_seams`, which may raise the planned fault) and then makes the real
call with the caller's arguments unchanged. Patching the ``os`` module's attributes is enough for
``shutil``, ``tempfile``, ``pathlib`` and ``os.makedirs``: they look the functions up in ``os`` at
each call. Standard library only: the bootstrap loads it inside other people's processes.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing is not imported at run time: start-up cost (see fs_seams)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_core: Any = None  # the fs_seams module, given by bind()
_real: dict[str, Callable[..., Any]] = {}


def _call(name: str) -> Callable[..., Any]:
    return _real[name] if name in _real else getattr(os, name)


def _open(path: Any, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
    where = _core.path_of(path, dir_fd)
    _core.count("os.open", where, flags=flags)
    fd: int = _call("open")(path, flags, mode, dir_fd=dir_fd)
    seams = _core.current()
    if seams is not None:
        if where is not None and seams.counted(where):
            seams.fds[fd] = where
        else:
            seams.fds.pop(fd, None)  # a reused number must not keep an old path
    return fd


def _close(fd: int) -> None:
    seams = _core.current()
    if seams is not None:
        seams.fds.pop(fd, None)
    _call("close")(fd)


def _fileno(fd: Any) -> Any:
    """The descriptor number of ``fd`` (``os.fsync`` also takes an object with ``fileno()``)."""
    fileno = getattr(fd, "fileno", None)
    return fileno() if callable(fileno) else fd


def _write(fd: int, data: Any) -> int:
    path = _core.fd_path(fd)
    if path is not None:
        log = _core.current().log_ops
        _core.count("os.write", path, fd=fd, size=memoryview(data).nbytes,
                    offset=_call("lseek")(fd, 0, os.SEEK_CUR) if log else None,
                    **_core.payload(data))
    return int(_call("write")(fd, data))


def _pwrite(fd: int, data: Any, offset: int) -> int:
    _core.count("os.pwrite", _core.fd_path(fd), fd=fd, size=memoryview(data).nbytes,
                offset=offset, **_core.payload(data))
    return int(_call("pwrite")(fd, data, offset))


def _ftruncate(fd: int, length: int) -> None:
    _core.count("os.ftruncate", _core.fd_path(fd), fd=fd, size=length)
    _call("ftruncate")(fd, length)


def _truncate(path: Any, length: int) -> None:
    where = _core.fd_path(path) if isinstance(path, int) else _core.path_of(path)
    _core.count("os.truncate", where, size=length)
    _call("truncate")(path, length)


def _fsync(fd: Any) -> None:
    _core.count("os.fsync", _core.fd_path(fd), fd=_fileno(fd))
    _call("fsync")(fd)


def _fdatasync(fd: Any) -> None:
    _core.count("os.fdatasync", _core.fd_path(fd), fd=_fileno(fd))
    _call("fdatasync")(fd)


def _move(name: str) -> Callable[..., None]:
    def move(src: Any, dst: Any, *, src_dir_fd: int | None = None,
             dst_dir_fd: int | None = None) -> None:
        source, target = _core.path_of(src, src_dir_fd), _core.path_of(dst, dst_dir_fd)
        seams = _core.current()
        counted_path = source if seams is not None and seams.counted(source) else target
        _core.count(f"os.{name}", counted_path, path2=target if counted_path == source else source)
        _call(name)(src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)

    move.__name__ = name
    return move


def _mkdir(path: Any, mode: int = 0o777, *, dir_fd: int | None = None) -> None:
    _core.count("os.mkdir", _core.path_of(path, dir_fd))
    _call("mkdir")(path, mode, dir_fd=dir_fd)


def _rmdir(path: Any, *, dir_fd: int | None = None) -> None:
    _core.count("os.rmdir", _core.path_of(path, dir_fd))
    _call("rmdir")(path, dir_fd=dir_fd)


def _unlink(path: Any, *, dir_fd: int | None = None) -> None:
    _core.count("os.unlink", _core.path_of(path, dir_fd))
    _call("unlink")(path, dir_fd=dir_fd)


def _sendfile(out_fd: int, in_fd: int, offset: int | None, count: int, *args: Any,
              **kwargs: Any) -> int:
    path = _core.fd_path(out_fd)
    seams = _core.current()
    extra: dict[str, Any] = {}
    if path is not None and seams is not None and seams.log_data:
        # The bytes sendfile will copy (read ahead without moving the input's position) and
        # where they land in the output: what the crash explorer replays.
        start = _call("lseek")(in_fd, 0, os.SEEK_CUR) if offset is None else offset
        extra = {"out_offset": _call("lseek")(out_fd, 0, os.SEEK_CUR),
                 **_core.payload(os.pread(in_fd, count, start))}
    _core.count("os.sendfile", path, fd=out_fd, size=count, offset=offset, **extra)
    return int(_call("sendfile")(out_fd, in_fd, offset, count, *args, **kwargs))


WRAPPERS: dict[str, Callable[..., Any]] = {
    "open": _open, "close": _close, "write": _write, "pwrite": _pwrite,
    "ftruncate": _ftruncate, "truncate": _truncate, "fsync": _fsync, "fdatasync": _fdatasync,
    "replace": _move("replace"), "rename": _move("rename"), "mkdir": _mkdir, "rmdir": _rmdir,
    "unlink": _unlink, "remove": _unlink, "sendfile": _sendfile,
}


def bind(core: Any) -> None:
    """Patch the ``os`` functions (those this platform has) with their counting wrappers."""
    global _core
    _core = core
    for name, wrapper in WRAPPERS.items():
        real = getattr(os, name, None)
        if real is None or name in _real:
            continue
        _real[name] = real
        wrapper.__doc__ = real.__doc__
        setattr(os, name, wrapper)
    _real.setdefault("lseek", os.lseek)


def unbind() -> None:
    """Put the real ``os`` functions back."""
    global _core
    for name, real in _real.items():
        setattr(os, name, real)
    _real.clear()
    _core = None
