"""Counting the events of a trace without parsing it: trace text in, counts out."""

import json
from pathlib import Path

import pytest

from bench.traces import count_events, trace_facts

EVENTS = [
    {"Path": "/tmp/p.py"},
    {"Function": {"path_id": 0, "line": 1, "name": "<toplevel>"}},
    {"Call": {"function_id": 0, "args": []}},
    {"Type": {"kind": 30, "lang_type": "None", "specific_info": {"kind": "None"}}},
    {"Step": {"path_id": 0, "line": 1}},
    # a string value that looks like an event: quotes inside it are escaped, so not counted
    {"Value": {"variable_id": 0, "value": {"kind": "String", "text": '{"Step": 1}', "type_id": 1}}},
    {"Event": {"kind": 0, "metadata": '{"stream":"stdout"}', "content": '{"Call":2}\n'}},
    {"Step": {"path_id": 0, "line": 2}},
    {"Return": {"return_value": {"kind": "Int", "i": 0, "type_id": 2}}},
]


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(EVENTS, separators=(",", ":")),  # compact, as the Rust recorder writes
        "[\n" + ",\n".join(json.dumps(e) for e in EVENTS) + "\n]",  # one event per line
    ],
)
def test_count_events(tmp_path: Path, text: str) -> None:
    trace = tmp_path / "trace.json"
    trace.write_text(text, encoding="utf-8")
    counts = count_events(trace)
    assert sum(counts.values()) == len(EVENTS)
    assert counts["Step"] == 2
    assert counts["Value"] == 1
    assert counts["Call"] == 1


def test_trace_facts(tmp_path: Path) -> None:
    (tmp_path / "trace.json").write_text(json.dumps(EVENTS), encoding="utf-8")
    (tmp_path / "trace_paths.json").write_text('["/tmp/p.py"]', encoding="utf-8")
    total = sum(p.stat().st_size for p in tmp_path.iterdir())
    assert trace_facts(tmp_path) == {"bytes": float(total), "events": 9.0, "steps": 2.0}


def test_empty_and_missing(tmp_path: Path) -> None:
    (tmp_path / "trace.json").write_bytes(b"")
    assert sum(count_events(tmp_path / "trace.json").values()) == 0
    with pytest.raises(FileNotFoundError):
        trace_facts(tmp_path / "nothing")
