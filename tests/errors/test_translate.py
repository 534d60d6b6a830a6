"""The translator maps every foreign exception to a classified error, keeping the cause."""

from __future__ import annotations

import errno

import pytest

from recorder.errors import (
    ERRNO_CODES,
    ErrorCode,
    ErrorKind,
    InternalError,
    RecorderError,
    TargetError,
    UsageError,
    translate,
    usage,
)

# errno -> (code, kind): each errno the recorder's output layer can meet.
ERRNO_TABLE = [
    (errno.ENOSPC, ErrorCode.DISK_FULL, ErrorKind.ENVIRONMENT),
    (errno.EDQUOT, ErrorCode.DISK_FULL, ErrorKind.ENVIRONMENT),
    (errno.EACCES, ErrorCode.PERMISSION_DENIED, ErrorKind.ENVIRONMENT),
    (errno.EPERM, ErrorCode.PERMISSION_DENIED, ErrorKind.ENVIRONMENT),
    (errno.EROFS, ErrorCode.READ_ONLY_FS, ErrorKind.ENVIRONMENT),
    (errno.EIO, ErrorCode.IO, ErrorKind.ENVIRONMENT),
    (errno.EFBIG, ErrorCode.FILE_TOO_LARGE, ErrorKind.ENVIRONMENT),
    (errno.EEXIST, ErrorCode.TRACE_DIR_CONFLICT, ErrorKind.USAGE),
    (errno.ENOTEMPTY, ErrorCode.TRACE_DIR_CONFLICT, ErrorKind.USAGE),
    (errno.EISDIR, ErrorCode.TRACE_DIR_CONFLICT, ErrorKind.USAGE),
    (errno.ENOTDIR, ErrorCode.TRACE_DIR_NOT_DIR, ErrorKind.USAGE),
    (errno.ENOMEM, ErrorCode.OUT_OF_MEMORY, ErrorKind.ENVIRONMENT),
    (errno.ENOENT, ErrorCode.IO, ErrorKind.ENVIRONMENT),  # unmapped errno: generic I/O
]


@pytest.mark.parametrize(("num", "code", "kind"), ERRNO_TABLE, ids=lambda v: str(v))
def test_oserror_by_errno(num: int, code: ErrorCode, kind: ErrorKind) -> None:
    exc = OSError(num, "os says no", "/trace/trace.json")
    err = translate(exc, step="write")
    assert (err.code, err.kind) == (code, kind)
    assert err.context["errno"] == errno.errorcode[num]
    assert err.context["path"] == "/trace/trace.json"
    assert err.context["step"] == "write"
    assert err.message == "write failed: os says no"


def test_errno_table_covers_the_mapping() -> None:
    # Every mapped errno is exercised above, so the mapping cannot grow untested.
    assert set(ERRNO_CODES) <= {num for num, _, _ in ERRNO_TABLE}


def test_cause_is_chained_by_raise_from() -> None:
    original = PermissionError(errno.EACCES, "denied")
    with pytest.raises(RecorderError) as info:
        try:
            raise original
        except OSError as exc:
            raise translate(exc, step="open") from exc
    assert info.value.__cause__ is original


@pytest.mark.parametrize(
    ("exc", "code", "cls"),
    [
        (ValueError("invalid literal"), ErrorCode.UNKNOWN, InternalError),
        (TypeError("bad operand"), ErrorCode.UNKNOWN, InternalError),
        (KeyError("k"), ErrorCode.UNKNOWN, InternalError),
        (RuntimeError("x"), ErrorCode.UNKNOWN, InternalError),
        (KeyboardInterrupt(), ErrorCode.INTERRUPTED, TargetError),
    ],
)
def test_non_os_exceptions(exc: BaseException, code: ErrorCode, cls: type) -> None:
    err = translate(exc)
    assert err.code is code and type(err) is cls
    assert err.context["exception"] == type(exc).__name__


def test_memory_error_is_environment() -> None:
    assert translate(MemoryError()).kind is ErrorKind.ENVIRONMENT


def test_forced_code_sets_the_kind_from_the_catalog() -> None:
    err = translate(OSError(errno.EIO, "io"), code=ErrorCode.FSYNC_FAILED, step="fsync")
    assert err.code is ErrorCode.FSYNC_FAILED and err.kind is ErrorKind.ENVIRONMENT


def test_recorder_errors_keep_their_identity_and_gain_context() -> None:
    err = usage(ErrorCode.TRACE_DIR_CONFLICT, "is a file", path="/x")
    again = translate(err, step="begin")
    assert type(again) is UsageError and again.code is err.code and again.message == err.message
    assert again.context == {"path": "/x", "step": "begin"}


def test_broken_str_does_not_hide_the_failure() -> None:
    class Nasty(Exception):
        def __str__(self) -> str:
            raise RuntimeError("nope")

    assert translate(Nasty()).message == "Nasty"
