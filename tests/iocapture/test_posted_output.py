"""Output read from fds 1/2 on another thread, as the trace writer takes it in (``post``)."""

from __future__ import annotations

import json

import pytest

from recorder.trace_check import check_events
from recorder.trace_writer import TraceWriter
from tests.recording.test_trace_writer import Sink

ZERO = '{"kind":"Int","i":0,"type_id":1}'

# (what happens, in order) -> the Event records, as (kind, content, attributed)
CASES = [
    ("one read", [("post", 0, "raw\n")], [(0, "raw\n", False)]),
    ("reads of one stream merge", [("post", 0, "ra"), ("post", 0, "w\n")],
     [(0, "raw\n", False)]),
    ("streams stay apart", [("post", 0, "o"), ("post", 2, "e"), ("post", 0, "o")],
     [(0, "o", False), (2, "e", False), (0, "o", False)]),
    ("never merged into a proxied write",
     [("io", 0, "proxied "), ("post", 0, "raw")],
     [(0, "proxied ", True), (0, "raw", False)]),
    # Bounded Events: merging must not re-encode an ever-growing Event (quadratic).
    ("posted output is cut at 64 KiB", [("post", 0, "a" * 40000)] * 3,
     [(0, "a" * 80000, False), (0, "a" * 40000, False)]),
    ("proxied writes merge up to 4 KiB", [("io", 0, "b" * 3000)] * 3,
     [(0, "b" * 6000, True), (0, "b" * 3000, True)]),
    ("a proxied write after posted output is its own Event",
     [("post", 0, "raw"), ("boundary", 0, ""), ("io", 0, "proxied")],
     [(0, "raw", False), (0, "proxied", True)]),
]


@pytest.mark.parametrize("steps, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_posted_output(steps: list[tuple[str, int, str]],
                       expected: list[tuple[int, str, bool]]) -> None:
    sink = Sink()
    writer = TraceWriter(sink)
    writer.begin("/abs/prog.py")
    writer.type_id(7, "Int")  # type 1: the exit value's
    for what, kind, text in steps:
        if what == "post":
            writer.post(kind, "stdout" if kind == 0 else "stderr", text)
        elif what == "io":
            writer.io(kind, "stdout", text, 0, (0, 1))
        else:
            writer.boundary()  # a call/return boundary takes posted output in
    writer.close(ZERO)
    events = json.loads(sink.data)
    assert check_events(events, exit_code=0) == []
    found = []
    for event in (e["Event"] for e in events if "Event" in e):
        meta = json.loads(event["metadata"])
        attributed = meta["thread"] is not None
        if not attributed:
            assert meta["path_id"] is meta["line"] is meta["frame_id"] is None
            assert "mirror" in meta["flags"]
        found.append((event["kind"], event["content"], attributed))
    assert found == expected
