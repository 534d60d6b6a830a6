"""One-line constructors and guards: the Python form of the ADR's ``usage!``/``ensure_*!`` macros.

Constructors *return* the error so the ``raise`` stays visible at the call site::

    raise usage(ErrorCode.TRACE_DIR_CONFLICT, "trace directory is a file", path=str(p))

Guards raise when their condition is false. :func:`ensure_internal` replaces ``assert``: it is
an ordinary function call, so ``python -O`` cannot strip it, and in development mode
(``python -X dev`` or ``RECORDER_DEV=1``) the error is marked fatal so containment lets it
through and the bug fails loudly at once instead of being downgraded to a warning.
"""

from __future__ import annotations

import os
import sys

from recorder.errors.codes import CATALOG, ErrorCode
from recorder.errors.exceptions import (
    ERROR_CLASSES,
    EnvironmentError,
    InternalError,
    RecorderError,
    TargetError,
    UsageError,
)


def dev_mode() -> bool:
    """True under ``python -X dev`` or when ``RECORDER_DEV`` is set to a true value."""
    return bool(sys.flags.dev_mode) or os.environ.get("RECORDER_DEV", "").lower() in {
        "1", "true", "yes", "on"}


def usage(code: ErrorCode, message: str, **context: object) -> UsageError:
    """A :class:`UsageError` (exit code 2)."""
    return UsageError(code, message, context)


def enverr(code: ErrorCode, message: str, **context: object) -> EnvironmentError:
    """An :class:`EnvironmentError` (exit code 10)."""
    return EnvironmentError(code, message, context)


def target(code: ErrorCode, message: str, **context: object) -> TargetError:
    """A :class:`TargetError` (exit code 20)."""
    return TargetError(code, message, context)


def bug(code: ErrorCode, message: str, **context: object) -> InternalError:
    """An :class:`InternalError` (exit code 70)."""
    return InternalError(code, message, context)


def from_code(code: ErrorCode, message: str, **context: object) -> RecorderError:
    """An error of the code's default kind, as the catalog gives it."""
    return ERROR_CLASSES[CATALOG[code].kind](code, message, context)


def ensure_usage(cond: object, code: ErrorCode, message: str, **context: object) -> None:
    """Raise :func:`usage` unless ``cond`` is true."""
    if not cond:
        raise usage(code, message, **context)


def ensure_env(cond: object, code: ErrorCode, message: str, **context: object) -> None:
    """Raise :func:`enverr` unless ``cond`` is true."""
    if not cond:
        raise enverr(code, message, **context)


def ensure_internal(
    cond: object,
    code: ErrorCode = ErrorCode.INVARIANT_VIOLATED,
    message: str = "internal invariant violated",
    **context: object,
) -> None:
    """Raise a classified :class:`InternalError` unless ``cond`` is true (never stripped by -O)."""
    if cond:
        return
    caller = sys._getframe(1)
    where = f"{caller.f_code.co_filename}:{caller.f_lineno}"
    raise InternalError(code, message, {**context, "where": where}, fatal=dev_mode())
