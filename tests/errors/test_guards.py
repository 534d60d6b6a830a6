"""Guards raise classified errors; ensure_internal survives -O and is fatal in dev mode."""

from __future__ import annotations

import subprocess
import sys

import pytest

from recorder.errors import (
    EnvironmentError,
    ErrorCode,
    InternalError,
    UsageError,
    ensure_env,
    ensure_internal,
    ensure_usage,
)


def test_guards_pass_on_true() -> None:
    ensure_usage(True, ErrorCode.INVALID_ARGUMENT, "unused")
    ensure_env(1, ErrorCode.IO, "unused")
    ensure_internal("non-empty")


@pytest.mark.parametrize(
    ("guard", "cls"),
    [(ensure_usage, UsageError), (ensure_env, EnvironmentError), (ensure_internal, InternalError)],
)
def test_guards_raise_their_kind(guard, cls) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(cls) as info:
        guard(False, ErrorCode.UNKNOWN, "broken", depth=-1)
    assert info.value.code is ErrorCode.UNKNOWN and info.value.context["depth"] == "-1"


def test_ensure_internal_names_the_failing_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RECORDER_DEV", raising=False)
    with pytest.raises(InternalError) as info:
        ensure_internal(0 > 1, message="ordering broken")
    line = info.traceback[0].lineno + 1  # pytest's lineno is 0-based
    assert info.value.context["where"] == f"{__file__}:{line}"
    assert info.value.fatal is bool(sys.flags.dev_mode)


PROBE = (
    "from recorder.errors import ensure_internal, InternalError\n"
    "try:\n    ensure_internal(False)\n"
    "except InternalError as e:\n    print('raised', e.code.value, e.fatal)\n"
)


@pytest.mark.parametrize(
    ("flags", "env", "expected"),
    [
        (["-O"], {}, "raised ERR_INVARIANT_VIOLATED False"),
        (["-OO"], {}, "raised ERR_INVARIANT_VIOLATED False"),
        (["-X", "dev"], {}, "raised ERR_INVARIANT_VIOLATED True"),
        ([], {"RECORDER_DEV": "1"}, "raised ERR_INVARIANT_VIOLATED True"),
    ],
)
def test_ensure_internal_under_interpreter_modes(flags: list[str], env: dict[str, str],
                                                 expected: str) -> None:
    import os

    environ = {k: v for k, v in os.environ.items() if k != "RECORDER_DEV"} | env
    out = subprocess.run([sys.executable, *flags, "-c", PROBE], capture_output=True, text=True,
                         env=environ, check=True).stdout
    assert out.strip() == expected
