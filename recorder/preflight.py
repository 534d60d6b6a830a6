"""Preflight checks (ADR 0004, principle 8): refuse an unsupported setup before installing hooks.

:func:`preflight` validates the interpreter (CPython, 3.11+), the trace format, the backend and
the trace schema version, and returns the backend to use. Everything it rejects is reported with a
specific ``ERR_*`` code while nothing has been installed or written yet.
"""

from __future__ import annotations

import sys

from recorder.errors import ErrorCode, enverr, usage
from recorder.structs import struct

SUPPORTED_FORMATS: tuple[str, ...] = ("json",)
BACKENDS: tuple[str, ...] = ("auto", "monitoring", "settrace")
MIN_PYTHON = (3, 11)
SUPPORTED_SCHEMA_VERSIONS: tuple[int, ...] = (1,)


@struct(frozen=True)
class Features:
    """What this interpreter offers the recorder."""

    implementation: str
    version: tuple[int, int]
    has_monitoring: bool
    has_settrace: bool

    @classmethod
    def detect(cls) -> Features:
        return cls(
            implementation=sys.implementation.name,
            version=(sys.version_info[0], sys.version_info[1]),
            has_monitoring=hasattr(sys, "monitoring"),
            has_settrace=hasattr(sys, "settrace"),
        )


def preflight(
    *, backend: str = "auto", format: str = "json", schema_version: int = 1,
    features: Features | None = None,
) -> str:
    """Check the setup; return the concrete backend (``monitoring`` or ``settrace``)."""
    found = features or Features.detect()
    if found.implementation != "cpython":
        raise enverr(
            ErrorCode.UNSUPPORTED_IMPLEMENTATION,
            f"the recorder needs CPython, not {found.implementation}",
            implementation=found.implementation)
    if found.version < MIN_PYTHON:
        raise enverr(
            ErrorCode.UNSUPPORTED_PYTHON,
            f"the recorder needs Python 3.11 or newer, not {found.version[0]}.{found.version[1]}",
            python=f"{found.version[0]}.{found.version[1]}")
    if format not in SUPPORTED_FORMATS:
        raise usage(
            ErrorCode.UNSUPPORTED_FORMAT, f"unsupported trace format {format!r}",
            format=format, supported=", ".join(SUPPORTED_FORMATS))
    if schema_version not in SUPPORTED_SCHEMA_VERSIONS:
        raise enverr(
            ErrorCode.UNSUPPORTED_SCHEMA, f"trace schema version {schema_version} is not supported",
            schema_version=schema_version)
    if backend not in BACKENDS:
        raise usage(
            ErrorCode.INVALID_ARGUMENT, f"unknown backend {backend!r}",
            backend=backend, accepted=", ".join(BACKENDS))
    if backend == "monitoring" and not found.has_monitoring:
        raise usage(
            ErrorCode.BACKEND_UNAVAILABLE,
            "the sys.monitoring backend needs Python 3.12 or newer",
            backend=backend, python=f"{found.version[0]}.{found.version[1]}")
    if backend == "auto":
        return "monitoring" if found.has_monitoring else "settrace"
    if not found.has_settrace:
        raise enverr(ErrorCode.BACKEND_UNAVAILABLE, "sys.settrace is not available")
    return backend
