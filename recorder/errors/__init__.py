"""The recorder's error façade (ADR 0004): kinds, stable codes, the exception hierarchy,
one-line constructors, guards and the foreign-exception translator.

This package is the bottom layer: it imports nothing else from the project. See
``docs/error-codes.md`` (generated from :data:`CATALOG`) for every code with its remedy.
"""

from recorder.errors.codes import CATALOG, CodeInfo, ErrorCode, info
from recorder.errors.constructors import (
    bug,
    dev_mode,
    ensure_env,
    ensure_internal,
    ensure_usage,
    enverr,
    from_code,
    target,
    usage,
)
from recorder.errors.exceptions import (
    ERROR_CLASSES,
    EnvironmentError,
    InternalError,
    RecorderEnvironmentError,
    RecorderError,
    TargetError,
    UsageError,
)
from recorder.errors.kinds import ErrorKind, ExitCode
from recorder.errors.translate import ERRNO_CODES, code_for, translate

__all__ = [
    "CATALOG",
    "ERRNO_CODES",
    "ERROR_CLASSES",
    "CodeInfo",
    "EnvironmentError",
    "ErrorCode",
    "ErrorKind",
    "ExitCode",
    "InternalError",
    "RecorderEnvironmentError",
    "RecorderError",
    "TargetError",
    "UsageError",
    "bug",
    "code_for",
    "dev_mode",
    "ensure_env",
    "ensure_internal",
    "ensure_usage",
    "enverr",
    "from_code",
    "info",
    "target",
    "translate",
    "usage",
]
