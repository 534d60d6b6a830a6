"""Translate foreign exceptions into classified recorder errors at the boundary.

Use it where a foreign exception enters the recorder's own code::

    try:
        os.fsync(fd)
    except OSError as exc:
        raise translate(exc, step="fsync", path=path) from exc

The mapping is total: every exception becomes some :class:`RecorderError`. An ``OSError`` is
classified by its errno (``ERRNO_CODES``); ``MemoryError`` is Environment; ``KeyboardInterrupt``
is Target (``ERR_INTERRUPTED``); anything else raised by our own code is a bug (Internal).
"""

from __future__ import annotations

import errno

from recorder.errors.codes import CATALOG, ErrorCode
from recorder.errors.exceptions import ERROR_CLASSES, RecorderError

ERRNO_CODES: dict[int, ErrorCode] = {
    errno.ENOSPC: ErrorCode.DISK_FULL,
    errno.EDQUOT: ErrorCode.DISK_FULL,
    errno.EACCES: ErrorCode.PERMISSION_DENIED,
    errno.EPERM: ErrorCode.PERMISSION_DENIED,
    errno.EROFS: ErrorCode.READ_ONLY_FS,
    errno.EFBIG: ErrorCode.FILE_TOO_LARGE,
    errno.EIO: ErrorCode.IO,
    errno.EEXIST: ErrorCode.TRACE_DIR_CONFLICT,
    errno.ENOTEMPTY: ErrorCode.TRACE_DIR_CONFLICT,
    errno.ENOTDIR: ErrorCode.TRACE_DIR_NOT_DIR,
    errno.EISDIR: ErrorCode.TRACE_DIR_CONFLICT,
    errno.ENOMEM: ErrorCode.OUT_OF_MEMORY,
}


def code_for(exc: BaseException) -> ErrorCode:
    """The error code ``translate`` gives ``exc`` when no code is forced."""
    if isinstance(exc, RecorderError):
        return exc.code
    if isinstance(exc, OSError):
        return ERRNO_CODES.get(exc.errno or 0, ErrorCode.IO)
    if isinstance(exc, MemoryError):
        return ErrorCode.OUT_OF_MEMORY
    if isinstance(exc, KeyboardInterrupt):
        return ErrorCode.INTERRUPTED
    return ErrorCode.UNKNOWN


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    try:
        text = str(exc)
    except Exception:  # noqa: REC005 - a broken __str__ must not hide the original failure
        text = ""
    return text or type(exc).__name__


def translate(
    exc: BaseException,
    *,
    code: ErrorCode | None = None,
    message: str | None = None,
    **context: object,
) -> RecorderError:
    """A classified error for ``exc``; the caller raises it ``from exc`` to keep the cause.

    A :class:`RecorderError` keeps its class, code and message and gains ``context``. Otherwise
    the kind is the catalog's default kind for the chosen code.
    """
    if isinstance(exc, RecorderError) and code is None:
        return exc.with_context(**context)
    chosen = code if code is not None else code_for(exc)
    details: dict[str, object] = {}
    if isinstance(exc, OSError):
        if exc.errno is not None:
            details["errno"] = errno.errorcode.get(exc.errno, str(exc.errno))
        if exc.filename is not None:
            details["path"] = exc.filename
    else:
        details["exception"] = type(exc).__name__
    details.update(context)
    step = context.get("step")
    text = message or (f"{step} failed: {_describe(exc)}" if step else _describe(exc))
    cls = ERROR_CLASSES[CATALOG[chosen].kind]
    return cls(chosen, text, details)
