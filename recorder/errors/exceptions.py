"""The recorder's exception hierarchy (ADR 0004, principles 1 and 3).

::

    Exception
    └── RecorderError                  .kind .code .message .context
        ├── UsageError                 kind Usage        exit 2
        ├── EnvironmentError           kind Environment  exit 10   (alias RecorderEnvironmentError)
        ├── TargetError                kind Target       exit 20
        └── InternalError              kind Internal     exit 70

Every error carries a stable :class:`ErrorCode`, a human message and a small string context.
It prints as ``[ERR_CODE] message (key=value, ...)``, survives pickling (so it crosses process
pools unchanged) and converts to a JSON-ready dict with :meth:`RecorderError.to_dict`. The cause
of a translated error is kept in ``__cause__`` (``raise translate(exc) from exc``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from recorder.errors.codes import ErrorCode
from recorder.errors.kinds import ErrorKind


class RecorderError(Exception):
    """Base of every error the recorder raises on purpose."""

    kind: ClassVar[ErrorKind] = ErrorKind.INTERNAL

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        context: Mapping[str, object] | None = None,
        *,
        fatal: bool = False,
    ) -> None:
        super().__init__(code, message)
        self.code = ErrorCode(code)
        self.message = message
        self.context: dict[str, str] = {k: str(v) for k, v in (context or {}).items()}
        # fatal: raised by ensure_internal in development mode; containment must not swallow it.
        self.fatal = fatal

    def __str__(self) -> str:
        if not self.context:
            return f"[{self.code.value}] {self.message}"
        pairs = ", ".join(f"{k}={v}" for k, v in self.context.items())
        return f"[{self.code.value}] {self.message} ({pairs})"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code.value!r}, {self.message!r}, {self.context!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RecorderError):
            return NotImplemented
        return (type(self), self.code, self.message, self.context) == (
            type(other), other.code, other.message, other.context)

    def __hash__(self) -> int:
        return hash((type(self), self.code, self.message))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.code.value, self.message, self.context, self.fatal))

    def to_dict(self) -> dict[str, object]:
        """The error as JSON-ready data, with the keys of the ``--json-errors`` trailer."""
        return {
            "error_code": self.code.value,
            "error_kind": self.kind.value,
            "message": self.message,
            "context": dict(self.context),
        }

    def with_context(self, **context: object) -> RecorderError:
        """A copy of this error with ``context`` merged in (same class, code and message)."""
        merged: dict[str, object] = {**self.context, **context}
        return type(self)(self.code, self.message, merged, fatal=self.fatal)


class UsageError(RecorderError):
    """The caller made a mistake: bad flags, bad values, conflicting sessions."""

    kind = ErrorKind.USAGE


class EnvironmentError(RecorderError):
    """The machine let us down: I/O, permissions, resource exhaustion."""

    kind = ErrorKind.ENVIRONMENT


RecorderEnvironmentError = EnvironmentError


class TargetError(RecorderError):
    """The traced program raised or misbehaved."""

    kind = ErrorKind.TARGET


class InternalError(RecorderError):
    """A bug in the recorder: a broken invariant or an unexpected exception."""

    kind = ErrorKind.INTERNAL


ERROR_CLASSES: dict[ErrorKind, type[RecorderError]] = {
    ErrorKind.USAGE: UsageError,
    ErrorKind.ENVIRONMENT: EnvironmentError,
    ErrorKind.TARGET: TargetError,
    ErrorKind.INTERNAL: InternalError,
}


def _rebuild(
    cls: type[RecorderError], code: str, message: str, context: dict[str, str], fatal: bool
) -> RecorderError:
    return cls(ErrorCode(code), message, context, fatal=fatal)
