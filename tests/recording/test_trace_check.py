"""The structural validator: a valid trace passes, each kind of damage is reported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from recorder.trace_check import check_events, check_trace_dir

HEADER: list[dict[str, Any]] = [
    {"Path": "/p.py"},
    {"Function": {"path_id": 0, "line": 1, "name": "<toplevel>"}},
    {"Call": {"function_id": 0, "args": []}},
    {"Type": {"kind": 30, "lang_type": "None", "specific_info": {"kind": "None"}}},
]
INT = {"Type": {"kind": 7, "lang_type": "Int", "specific_info": {"kind": "None"}}}
EXIT0 = {"Return": {"return_value": {"kind": "Int", "i": 0, "type_id": 1}}}
VALID = [
    *HEADER,
    {"Function": {"path_id": 0, "line": 1, "name": "<__main__>"}},
    {"Step": {"path_id": 0, "line": 1}},
    {"Call": {"function_id": 1, "args": []}},
    INT,
    {"VariableName": "x"},
    {"Value": {"variable_id": 0, "value": {"kind": "Int", "i": 1, "type_id": 1}}},
    {"Event": {"kind": 0, "metadata": '{"stream":"stdout"}', "content": "1\n"}},
    {"Return": {"return_value": {"kind": "None", "type_id": 0}}},
    EXIT0,
]


def test_a_valid_trace_has_no_problems() -> None:
    assert check_events(VALID, exit_code=0) == []


CASES: list[tuple[str, list[Any], str]] = [
    ("not an array", {"Path": "/p.py"}, "not a JSON array"),  # type: ignore[list-item]
    ("wrong header", VALID[1:], "does not open with"),
    ("function 0 not toplevel",
     [HEADER[0], {"Function": {"path_id": 0, "line": 1, "name": "main"}}, *VALID[2:]],
     "<toplevel>"),
    ("type 0 not None",
     [*HEADER[:3], INT, *VALID[4:]], "type id 0 must be None"),
    ("variable used before declared",
     [*VALID[:8], *VALID[9:]], "variable id 0 used before"),
    ("type used before declared",
     [*VALID[:7], *VALID[8:]], "type id 1 used before"),
    ("function used before declared",
     [*VALID[:4], *VALID[5:]], "function id 1 used before"),
    ("path out of range",
     [*VALID[:5], {"Step": {"path_id": 3, "line": 1}}, *VALID[6:]], "path id 3"),
    ("unbalanced", [*VALID[:11], EXIT0], "without a Return"),
    ("return without call", [*VALID[:12], EXIT0, EXIT0], "without a matching Call"),
    ("no final return", VALID[:-1], "Call(s) without a Return"),
    ("exit code not Int",
     [*VALID[:-1], {"Return": {"return_value": {"kind": "None", "type_id": 0}}}], "Int exit code"),
    ("unknown event", [*VALID[:5], {"Jump": {}}, *VALID[5:]], "unknown event"),
    ("two keys", [*VALID[:5], {"Step": {"path_id": 0, "line": 1}, "X": 1}, *VALID[5:]],
     "exactly one key"),
    ("bad value record",
     [*VALID[:9], {"Value": {"variable_id": 0, "value": {"kind": "Int", "type_id": 1}}},
      *VALID[10:]], "without 'i'"),
    ("bad event metadata",
     [*VALID[:10], {"Event": {"kind": 0, "metadata": "{", "content": ""}}, *VALID[11:]],
     "metadata must be a JSON string"),
]


@pytest.mark.parametrize(("label", "events", "expected"), CASES, ids=[c[0] for c in CASES])
def test_damage_is_reported(label: str, events: list[Any], expected: str) -> None:
    problems = check_events(events)
    assert any(expected in problem for problem in problems), problems


def test_exit_code_must_match_the_metadata() -> None:
    assert any("differs" in p for p in check_events(VALID, exit_code=3))


def test_a_partial_trace_need_not_be_balanced() -> None:
    assert check_events(VALID[:9], partial=True) == []
    assert check_events(VALID[:9]) != []


def write_dir(root: Path, events: Any, *, paths: Any = None, partial: bool = False) -> Path:
    root.mkdir()
    (root / "trace.json").write_text(json.dumps(events))
    (root / "trace_paths.json").write_text(json.dumps(["/p.py"] if paths is None else paths))
    meta = {"workdir": "/", "program": "/p.py", "args": [], "partial": partial,
            "process_exit_status": {"code": 0, "label": None},
            "recorder": {"name": "r", "version": "0", "target_script": "/p.py"}}
    (root / "trace_metadata.json").write_text(json.dumps(meta))
    return root


def test_directory_checks(tmp_path: Path) -> None:
    assert check_trace_dir(write_dir(tmp_path / "ok", VALID)) == []
    assert any("trace_paths.json" in p
               for p in check_trace_dir(write_dir(tmp_path / "paths", VALID, paths=[])))
    assert check_trace_dir(write_dir(tmp_path / "partial", VALID[:9], partial=True)) == []
    torn = write_dir(tmp_path / "torn", VALID)
    (torn / "trace.json").write_text(json.dumps(VALID)[:-20])
    assert any("not valid JSON" in p for p in check_trace_dir(torn))
    (torn / "trace_metadata.json").unlink()
    assert any("trace_metadata.json is missing" in p for p in check_trace_dir(torn))


def test_command_line(tmp_path: Path) -> None:
    good = write_dir(tmp_path / "good", VALID)
    bad = write_dir(tmp_path / "bad", VALID[:-1])
    ok = subprocess.run([sys.executable, "-m", "recorder.trace_check", str(good)],
                        capture_output=True, text=True)
    assert (ok.returncode, ok.stderr) == (0, "")
    failed = subprocess.run([sys.executable, "-m", "recorder.trace_check", str(bad)],
                            capture_output=True, text=True)
    assert failed.returncode != 0
    assert "without a Return" in failed.stderr
