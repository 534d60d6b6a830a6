"""trace.json read one event at a time: the writer's layout streams, anything else falls back."""

from __future__ import annotations

import json
import shutil
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from recorder.trace_check import check_trace_dir
from recorder.trace_reader import TraceEvents

A, B = '{"Path":"/a.py"}', '{"Type":{"kind":30,"lang_type":"None"}}'
LS = '{"Path":"/a\u2028b.py"}'  # a raw line separator inside a string

#: file text -> (events yielded, first line that does not fit the layout: 0 = none)
CASES = {
    "the writer's layout": (f"[\n{A},\n{B}\n]\n", [A, B], 0),
    "empty": ("[\n]\n", [], 0),
    "blank lines after the end": (f"[\n{A}\n]\n\n", [A], 0),
    "one line": (f"[{A},{B}]", [], 1),
    "re-indented": ('[\n  {\n    "Path": "/a.py"\n  }\n]\n', [], 2),
    "torn in an event": (f"[\n{A},\n{B[:9]}", [A], 3),
    "torn after a comma": (f"[\n{A},\n", [A], 3),
    "no closing bracket": (f"[\n{A}\n", [A], 3),
    "a trailing comma": (f"[\n{A},\n]\n", [A], 3),
    "a missing comma": (f"[\n{A}\n{B}\n]\n", [A], 3),
    "text after the end": (f"[\n{A}\n]\nx\n", [A], 4),
    "a line separator in a string": (f"[\n{LS}\n]\n", [LS], 0),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_events_read_line_by_line(case: str, tmp_path: Path) -> None:
    text, expected, broken_at = CASES[case]
    path = tmp_path / "trace.json"
    path.write_text(text, encoding="utf-8")
    events = TraceEvents(path)
    assert list(events) == [json.loads(e) for e in expected]
    assert events.broken_at == broken_at


def test_undecodable_bytes_stop_the_stream(tmp_path: Path) -> None:
    path = tmp_path / "trace.json"
    path.write_bytes(b"[\n" + A.encode() + b",\n\xff\xfe\n]\n")
    events = TraceEvents(path)
    # Decoded in blocks: the error may come before the first event is read.
    assert list(events) in ([], [json.loads(A)])
    assert events.broken_at in (1, 2, 3)


@pytest.fixture
def recorded(tmp_path: Path, run_recorder: Any) -> Path:
    script = tmp_path / "prog.py"
    script.write_text("def f(n):\n    return n * 2\n\nfor i in range(50):\n    f(i)\n",
                      encoding="utf-8")
    done = run_recorder(["--trace-dir", "trace", str(script)])
    assert done.returncode == 0, done.stderr
    return tmp_path / "trace"


def test_a_trace_in_another_layout_is_checked_whole(recorded: Path, tmp_path: Path) -> None:
    assert check_trace_dir(recorded) == []
    other = tmp_path / "other"
    shutil.copytree(recorded, other)
    events = json.loads((other / "trace.json").read_text(encoding="utf-8"))
    (other / "trace.json").write_text(json.dumps(events, indent=2), encoding="utf-8")
    assert check_trace_dir(other) == []
    events.insert(4, {"Step": {"path_id": 9, "line": 1}})  # the same problem in either layout
    (other / "trace.json").write_text(json.dumps(events, indent=2), encoding="utf-8")
    (recorded / "trace.json").rename(tmp_path / "kept.json")
    try:
        (recorded / "trace.json").write_text(
            "[\n" + ",\n".join(json.dumps(e) for e in events) + "\n]\n", encoding="utf-8")
        assert check_trace_dir(other) == check_trace_dir(recorded) != []
    finally:
        (tmp_path / "kept.json").replace(recorded / "trace.json")


def test_a_torn_trace_is_not_valid_json(recorded: Path, tmp_path: Path) -> None:
    torn = tmp_path / "torn"
    shutil.copytree(recorded, torn)
    data = (torn / "trace.json").read_bytes()
    (torn / "trace.json").write_bytes(data[: len(data) // 2])
    assert any("trace.json is not valid JSON" in p for p in check_trace_dir(torn))


def test_checking_a_large_trace_takes_little_memory(recorded: Path, tmp_path: Path) -> None:
    big = tmp_path / "big"
    shutil.copytree(recorded, big)
    lines = (big / "trace.json").read_text(encoding="utf-8").split(",\n")
    head, body, tail = lines[:4], lines[4:-1], lines[-1]
    with (big / "trace.json").open("w", encoding="utf-8") as out:
        out.write(",\n".join(head))
        for _ in range(300):  # the program's events 300 times over: about 12 MB
            out.write(",\n" + ",\n".join(body))
        out.write(",\n" + tail)
    size = (big / "trace.json").stat().st_size
    tracemalloc.start()
    try:
        problems = check_trace_dir(big)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert problems == []
    assert size > 10_000_000
    assert peak < size / 10, f"peak {peak} bytes for a {size}-byte trace"
