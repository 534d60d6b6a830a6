"""Every ErrorCode: its catalog entry, kind, exit code, message format, pickling and to_dict."""

from __future__ import annotations

import json
import pickle

import pytest

from recorder.errors import (
    CATALOG,
    ERROR_CLASSES,
    EnvironmentError,
    ErrorCode,
    ErrorKind,
    ExitCode,
    InternalError,
    RecorderEnvironmentError,
    RecorderError,
    TargetError,
    UsageError,
    bug,
    enverr,
    from_code,
    target,
    usage,
)

ALL_CODES = list(ErrorCode)

EXPECTED_EXIT = {
    ErrorKind.USAGE: 2,
    ErrorKind.ENVIRONMENT: 10,
    ErrorKind.TARGET: 20,
    ErrorKind.INTERNAL: 70,
}


def test_kinds_map_to_the_adr_exit_codes() -> None:
    assert {k: int(k.exit_code) for k in ErrorKind} == EXPECTED_EXIT
    assert [int(c) for c in ExitCode] == [0, 2, 10, 20, 70]


def test_every_code_has_exactly_one_catalog_entry() -> None:
    assert set(CATALOG) == set(ErrorCode)


@pytest.mark.parametrize("code", ALL_CODES, ids=lambda c: c.value)
def test_code_entry_is_complete(code: ErrorCode) -> None:
    entry = CATALOG[code]
    assert code.value == "ERR_" + code.name
    assert entry.meaning.endswith(".") and "\n" not in entry.meaning
    assert entry.remedy and "\n" not in entry.remedy
    assert entry.kind in ErrorKind


@pytest.mark.parametrize("code", ALL_CODES, ids=lambda c: c.value)
def test_error_of_default_kind_behaves(code: ErrorCode) -> None:
    err = from_code(code, "something broke", path="/tmp/x", errno="ENOSPC")
    kind = CATALOG[code].kind
    assert type(err) is ERROR_CLASSES[kind]
    assert err.kind is kind and int(err.kind.exit_code) == EXPECTED_EXIT[kind]
    assert err.code is code and err.message == "something broke"
    assert err.context == {"path": "/tmp/x", "errno": "ENOSPC"}
    assert str(err) == f"[{code.value}] something broke (path=/tmp/x, errno=ENOSPC)"
    clone = pickle.loads(pickle.dumps(err))
    assert clone == err and type(clone) is type(err) and clone.context == err.context
    data = err.to_dict()
    assert data == {
        "error_code": code.value,
        "error_kind": kind.value,
        "message": "something broke",
        "context": {"path": "/tmp/x", "errno": "ENOSPC"},
    }
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize(
    ("make", "cls", "kind"),
    [
        (usage, UsageError, ErrorKind.USAGE),
        (enverr, EnvironmentError, ErrorKind.ENVIRONMENT),
        (target, TargetError, ErrorKind.TARGET),
        (bug, InternalError, ErrorKind.INTERNAL),
    ],
)
def test_constructors_pick_their_kind(make, cls, kind) -> None:  # type: ignore[no-untyped-def]
    err = make(ErrorCode.UNKNOWN, "m", n=3)
    assert type(err) is cls and err.kind is kind and isinstance(err, RecorderError)
    assert err.context == {"n": "3"}  # context values are strings


def test_message_without_context_has_no_parentheses() -> None:
    assert str(usage(ErrorCode.INVALID_ARGUMENT, "bad flag")) == "[ERR_INVALID_ARGUMENT] bad flag"


def test_environment_alias_and_builtin_are_distinct() -> None:
    assert RecorderEnvironmentError is EnvironmentError
    assert not issubclass(EnvironmentError, OSError)


def test_cause_is_kept_through_pickling_of_the_error_itself() -> None:
    try:
        try:
            raise OSError(28, "No space left on device")
        except OSError as exc:
            raise enverr(ErrorCode.DISK_FULL, "full") from exc
    except RecorderError as err:
        assert isinstance(err.__cause__, OSError)
        assert err.__cause__.errno == 28
