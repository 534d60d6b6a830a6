"""Random interleavings of threads fed to the frame recorders and the writer (hypothesis).

Each example is a sequence of (thread, action) pairs: a thread's first action starts it; calls,
lines and returns follow the thread's own stack. Whatever the interleaving, the trace must pass
``trace_check`` and de-interleave into per-thread traces whose calls and returns balance, with
every thread's events in the order that thread produced them.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from recording_support import MemorySink

from recorder.trace_check import check_events
from recorder.trace_compare import deinterleave
from recorder.trace_writer import TraceWriter
from recorder.tracing.filters import CodeFilter
from recorder.tracing.frames import FrameRecorder
from recorder.tracing.threads import ThreadRegistry
from recorder.tracing.valuejson import ValueJson


def traced(x: int) -> int:  # the code object the test records
    y = x + 1
    return y


ACTIONS = st.lists(
    st.tuples(st.integers(min_value=1, max_value=5),
              st.sampled_from(["call", "line", "return", "print", "post"])),
    max_size=120,
)


def _interleave(
    steps: list[tuple[int, str]], chunk: int, sink: MemorySink,
) -> tuple[TraceWriter, FrameRecorder, ThreadRegistry, dict[int, FrameRecorder],
           dict[int, list[Any]], dict[int, list[str]]]:
    """Feed ``steps`` (lane, action) to one writer through per-lane frame recorders."""
    writer = TraceWriter(sink, chunk_size=chunk)
    writer.begin("/prog.py")

    def make_values() -> ValueJson:
        return ValueJson(writer)

    main = FrameRecorder(writer, make_values(), CodeFilter())
    registry = ThreadRegistry(main, make_values)
    info = main.info(traced.__code__)
    assert info.traced  # a test file: the built-in filter traces it
    lanes: dict[int, FrameRecorder] = {1: main}
    stacks: dict[int, list[Any]] = {1: []}
    expected: dict[int, list[str]] = {1: []}  # each lane's events, in its own order
    calls = 0  # Calls so far (the toplevel Call is ordinal 0)
    before: tuple[str, bool, int] = ("begin", False, 0)  # the last step, and the buffer before it
    for lane_no, action in steps:
        _check_buffer(writer, *before)
        done = action if action in ("post", "print") or stacks.get(lane_no) else "call"
        before = (done, writer._size >= writer._chunk_size, writer.events_written)
        if action == "post":  # fd-captured output: no thread, taken in at the next boundary
            writer.post(2, "stderr", "err")
            continue
        frames = lanes.get(lane_no)
        if frames is None:  # a new thread: what the registry does at a thread's first event
            frames = lanes[lane_no] = main.sibling(make_values())
            writer.start_sharing()
            registry.recorded.append((frames, lane_no, f"t{lane_no}"))
            stacks[lane_no], expected[lane_no] = [], []
        stack = stacks[lane_no]
        if action == "print":  # a write through the stream proxies: the lane's own Event
            writer.io(0, "stdout", "out", frames.current_frame_id, frames.current_location,
                      frames.slot)
            continue
        if action == "call" or not stack:
            frame = SimpleNamespace(f_code=traced.__code__, f_locals={"x": lane_no}, f_globals={},
                                    f_lasti=0)
            frames.enter(frame, info)
            calls += 1
            assert frames.current_frame_id == calls  # ordinals in the order of the Calls
            stack.append(frame)
            expected[lane_no].append("Call")
        elif action == "line":
            frames.line(stack[-1], info, info.line + 1)
            expected[lane_no].append("Step")
        else:
            frames.leave_return(stack.pop(), lane_no)
            expected[lane_no].append("Return")
    _check_buffer(writer, *before)
    return writer, main, registry, lanes, stacks, expected


def _check_buffer(writer: TraceWriter, action: str, was_full: bool, written: int) -> None:
    """The writer's counts agree with its buffer, and a full chunk is flushed in time.

    A ``Step`` unit or an output ``Event`` flushes the chunk it fills; a ``Call`` or ``Return``
    unit leaves it for the next unit, which flushes it before it is appended.
    """
    assert writer._size == sum(map(len, writer._buf))
    if writer.shared:  # (the event count is kept from then on)
        assert writer._total == writer.events_written + len(writer._buf)
    if action in ("line", "print"):
        assert writer._size < writer._chunk_size
    if was_full and action != "post":
        assert writer.events_written > written


@settings(max_examples=60, deadline=None)
@given(steps=ACTIONS, chunk=st.sampled_from([64, 512, 1 << 16]))
def test_any_interleaving_gives_a_valid_trace_that_deinterleaves(
    steps: list[tuple[int, str]], chunk: int,
) -> None:
    sink = MemorySink()
    writer, main, registry, lanes, stacks, expected = _interleave(steps, chunk, sink)
    writer.end_threads(registry.open_frames)
    main.close_open_frames()
    writer.close(main.values.value(0))

    events = json.loads(sink.data.decode("utf-8"))
    assert check_events(events, exit_code=0) == []
    per_thread = _kinds_per_thread(deinterleave(events))
    # Thread 1 opens with the toplevel Call and ends with the final Return around its events.
    closed_main = expected[1] + ["Return"] * len(stacks[1])
    assert per_thread[0] == ["Call", *closed_main, "Return"]
    others = sorted(
        expected[n] + ["Return"] * len(stacks[n]) + ["ThreadExit"] for n in lanes if n != 1)
    assert sorted(per_thread[1:]) == others
    for kinds in per_thread:
        assert kinds.count("Call") == kinds.count("Return")
    if writer.shared:  # (the metadata lists threads only then)
        assert _first_and_last(writer.thread_list()) == _first_and_last_in(events)


@settings(max_examples=60, deadline=None)
@given(steps=ACTIONS, chunk=st.sampled_from([64, 512, 1 << 16]))
@example(steps=[(2, "call"), (2, "print"), (2, "print"), (3, "call")], chunk=1 << 16)  # merged
@example(steps=[(1, "post"), (1, "call"), (2, "call")], chunk=512)  # fd output before sharing
def test_a_partial_trace_lists_each_threads_first_and_last_event(
    steps: list[tuple[int, str]], chunk: int,
) -> None:
    # Closed where it stands (an output failure): no ThreadExit rewrites the last indexes.
    # (Thread 1's last event is exact once it appends after sharing began; before, it is the
    # end of the buffer then, declarations included.)
    sink = MemorySink()
    writer = _interleave(steps, chunk, sink)[0]
    writer.close_partial()
    if writer.shared:
        events = json.loads(sink.data.decode("utf-8"))
        listed, found = _first_and_last(writer.thread_list()), _first_and_last_in(events)
        (first, last), (found_first, found_last) = listed.pop(1), found.pop(1)
        assert first == found_first
        # Thread 1's last event is its own last one, or the end of the buffer when the second
        # thread started, after events of nobody's only (declarations, fd-captured output).
        assert last >= found_last
        assert all(_nobodys(event) for event in events[found_last + 1:last + 1])
        assert listed == found


_DECLARATIONS = ("Path", "Function", "Type", "VariableName")


def _first_and_last(listed: list[dict[str, int]]) -> dict[int, tuple[int, int]]:
    return {row["number"]: (row["first_event"], row["last_event"]) for row in listed}


def _nobodys(event: dict[str, Any]) -> bool:
    """An id declaration or fd-captured output: an event of no thread."""
    kind = next(iter(event))
    return kind in _DECLARATIONS or (
        kind == "Event" and '"thread":null' in event[kind]["metadata"])


def _first_and_last_in(events: list[dict[str, Any]]) -> dict[int, tuple[int, int]]:
    """Each thread's first and last event index in ``events`` (the metadata's thread list).

    A thread's events are those between its ThreadStart/ThreadSwitch and the next marker, its
    ThreadExit included; id declarations belong to nobody. Thread 1 starts at index 0.
    """
    found: dict[int, tuple[int, int]] = {}
    current = 1
    for index, event in enumerate(events):
        kind = next(iter(event))
        if kind in ("ThreadStart", "ThreadSwitch"):
            current = event[kind]
            continue
        if _nobodys(event):
            continue
        first = found[current][0] if current in found else index
        found[current] = (first, index)
    found[1] = (0, found[1][1])
    return found


def _kinds_per_thread(lines: list[str]) -> list[list[str]]:
    """The Call/Step/Return/ThreadExit sequence of each de-interleaved thread."""
    threads: list[list[str]] = []
    for line in lines:
        if line.startswith("== thread"):
            threads.append([])
        elif line == "ThreadExit":
            threads[-1].append(line)
        else:
            kind = next(iter(json.loads(line)))
            if kind in ("Call", "Step", "Return"):
                threads[-1].append(kind)
    # A Call is preceded by the Step at its definition line: keep the Calls, drop those Steps.
    return [_drop_call_steps(kinds) for kinds in threads]


def _drop_call_steps(kinds: list[str]) -> list[str]:
    out: list[str] = []
    for kind in kinds:
        if kind == "Call" and out and out[-1] == "Step":
            out.pop()
        out.append(kind)
    return out
