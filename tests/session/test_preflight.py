"""Preflight refuses unsupported setups with specific codes, before anything is installed."""

from __future__ import annotations

import pytest

from recorder.errors import ErrorCode, ErrorKind, RecorderError
from recorder.preflight import Features, preflight

MODERN = Features("cpython", (3, 12), has_monitoring=True, has_settrace=True)
OLDER = Features("cpython", (3, 11), has_monitoring=False, has_settrace=True)

# (features, backend, format, schema) -> resolved backend or (code, kind)
CASES = [
    (MODERN, "auto", "json", 1, "monitoring"),
    (OLDER, "auto", "json", 1, "settrace"),
    (MODERN, "settrace", "json", 1, "settrace"),
    (MODERN, "monitoring", "json", 1, "monitoring"),
    (OLDER, "monitoring", "json", 1, (ErrorCode.BACKEND_UNAVAILABLE, ErrorKind.USAGE)),
    (MODERN, "dtrace", "json", 1, (ErrorCode.INVALID_ARGUMENT, ErrorKind.USAGE)),
    (MODERN, "auto", "binary", 1, (ErrorCode.UNSUPPORTED_FORMAT, ErrorKind.USAGE)),
    (MODERN, "auto", "json", 99, (ErrorCode.UNSUPPORTED_SCHEMA, ErrorKind.ENVIRONMENT)),
    (Features("pypy", (3, 11), True, True), "auto", "json", 1,
     (ErrorCode.UNSUPPORTED_IMPLEMENTATION, ErrorKind.ENVIRONMENT)),
    (Features("cpython", (3, 10), False, True), "auto", "json", 1,
     (ErrorCode.UNSUPPORTED_PYTHON, ErrorKind.ENVIRONMENT)),
    (Features("cpython", (3, 12), True, False), "settrace", "json", 1,
     (ErrorCode.BACKEND_UNAVAILABLE, ErrorKind.ENVIRONMENT)),
]


@pytest.mark.parametrize(("features", "backend", "fmt", "schema", "expected"), CASES)
def test_preflight(features: Features, backend: str, fmt: str, schema: int,
                   expected: object) -> None:
    if isinstance(expected, str):
        assert preflight(backend=backend, format=fmt, schema_version=schema,
                         features=features) == expected
        return
    with pytest.raises(RecorderError) as info:
        preflight(backend=backend, format=fmt, schema_version=schema, features=features)
    assert (info.value.code, info.value.kind) == expected


def test_this_interpreter_passes() -> None:
    assert preflight() in {"monitoring", "settrace"}
