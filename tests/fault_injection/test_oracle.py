"""The program sweep's oracles as tables: the file's keys, and each promise kept or broken."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fault_injection.errors import SweepUsageError
from fault_injection.oracle import Oracle, check_paths, from_mapping, merged, snapshot
from fault_injection.program_check import ProgramResult, References, check_run

GOOD: list[tuple[dict[str, Any], Oracle]] = [
    ({}, Oracle()),
    ({"exit-in": [0, 1], "no-traceback": True, "stdout": "prefix", "atomic": ["a.json"],
      "no-leftovers": ["."]}, Oracle((0, 1), True, "prefix", ("a.json",), (".",))),
    ({"recover": ["python", "load.py"], "no-leftovers-after-crash": ["."]}, Oracle()),
]
BAD = [
    ({"exit_in": [0]}, "unknown key 'exit_in'"),
    ({"exit-in": 0}, "exit-in must be a list of integers"),
    ({"exit-in": [True]}, "exit-in must be a list of integers"),
    ({"no-traceback": "yes"}, "no-traceback must be true or false"),
    ({"stdout": "equal"}, "stdout must be one of same, prefix"),
    ({"atomic": "a.json"}, "atomic must be a list of paths"),
    ({"no-leftovers": [""]}, "no-leftovers must be a list of paths"),
]


@pytest.mark.parametrize(("data", "oracle"), GOOD)
def test_oracle_files_read_as_they_say(data: dict[str, Any], oracle: Oracle) -> None:
    assert from_mapping(data, "o.toml") == oracle


@pytest.mark.parametrize(("data", "message"), BAD)
def test_bad_oracle_files_are_usage_errors(data: dict[str, Any], message: str) -> None:
    with pytest.raises(SweepUsageError) as info:
        from_mapping(data, "o.toml")
    assert info.value.code == "ERR_ORACLE_INVALID"
    assert message in info.value.message


def test_flags_replace_scalars_and_add_to_lists() -> None:
    base = Oracle((0,), False, "same", ("a",), ())
    flags = Oracle((0, 1), True, None, ("a", "b"), ("out",))
    assert merged(base, flags) == Oracle((0, 1), True, "same", ("a", "b"), ("out",))


@pytest.mark.parametrize("path", ["../x", "/etc/passwd", "a/../../x", "link/x"])
def test_paths_outside_the_fixture_are_refused(tmp_path: Path, path: str) -> None:
    (tmp_path / "link").symlink_to(tmp_path.parent)
    with pytest.raises(SweepUsageError) as info:
        check_paths(Oracle(atomic=(path,)), tmp_path)
    assert info.value.code == "ERR_ORACLE_PATH_OUTSIDE"


OLD, NEW = {"": b'{"a": 1}'}, {"": b'{"a": 2}'}
REF = References(b"saved\n", b"", 0, {"s.json": OLD, "out": {"": None, "f": b"1"}},
                 {"s.json": NEW, "out": {"": None, "f": b"1", "g": b"2"}})
ALL = Oracle((0, 1), True, "prefix", ("s.json",), ("out",))
TB = b"Traceback (most recent call last):\n  File \"x.py\", line 1\nOSError: boom\n"
KI = b"Traceback (most recent call last):\n  File \"x.py\", line 1\nKeyboardInterrupt\n"

CHECKS: list[tuple[str, str, int, bytes, bytes, dict[str, bytes], list[str]]] = [
    # name, fault kind, exit status, stdout, stderr, files the run left, violations (fragments)
    ("old file kept", "eio", 1, b"", b"err\n", {"s.json": b'{"a": 1}'}, []),
    ("new file", "eio", 0, b"saved\n", b"", {"s.json": b'{"a": 2}'}, []),
    ("torn", "enospc", 1, b"", b"", {"s.json": b""}, ["s.json is torn: 0 bytes"]),
    ("gone", "eio", 1, b"", b"", {}, ["s.json is torn: nothing"]),
    ("bad exit", "eio", 2, b"", b"", {"s.json": b'{"a": 1}'}, ["exit status 2"]),
    ("traceback", "eio", 1, b"", TB, {"s.json": b'{"a": 1}'}, ["a Python traceback"]),
    ("ctrl-c", "sigint", -2, b"", KI, {"s.json": b'{"a": 1}'}, []),
    ("not stdout prefix", "eio", 0, b"other\n", b"", {"s.json": b'{"a": 2}'}, ["not a prefix"]),
    ("leftover", "eio", 1, b"", b"", {"s.json": b'{"a": 1}', "out/g.tmp": b""},
     ["left behind: out/g.tmp"]),
]


@pytest.mark.parametrize(("name", "kind", "code", "out", "err", "files", "broken"), CHECKS,
                         ids=[c[0] for c in CHECKS])
def test_each_promise_is_checked(tmp_path: Path, name: str, kind: str, code: int, out: bytes,
                                 err: bytes, files: dict[str, bytes], broken: list[str]) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "f").write_bytes(b"1")
    for rel, data in files.items():
        (tmp_path / rel).write_bytes(data)
    fired = [{"point": "os.write"}]
    verdict = check_run(ALL, REF, ProgramResult(code, out, err, tmp_path, 0.1, False, fired),
                        kind)
    assert len(verdict.violations) == len(broken), verdict.violations
    for fragment, violation in zip(broken, verdict.violations, strict=True):
        assert fragment in violation


def test_a_directory_is_compared_as_a_whole_tree(tmp_path: Path) -> None:
    ref = References(b"", b"", 0, {"d": {"": None, "a": b"1", "b": b"1"}},
                     {"d": {"": None, "a": b"2", "b": b"2"}})
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a").write_bytes(b"2")
    (tmp_path / "d" / "b").write_bytes(b"1")  # a mix: one file new, one old
    verdict = check_run(Oracle(atomic=("d",)), ref,
                        ProgramResult(1, b"", b"", tmp_path, 0.1), "eio")
    assert verdict.violations == [
        "d is torn: a tree of 2 entries, neither as before the run (a tree of 2 entries) nor as "
        "after the clean run (a tree of 2 entries); a mix of entries from before and after "
        "(atomic)"]
    assert snapshot(tmp_path, "d") == {"": None, "a": b"2", "b": b"1"}
