"""The writer's shared mode, one rule at a time (recorder.trace_threads).

The interleaving property test (test_thread_interleavings.py) drives whole threads through the
frame recorders; these cases pin the rules it cannot reach from one OS thread: a chunk is flushed
the moment it is full on both the lock-free and the switching path (after a Call or Return unit:
before the next unit, so that a failed write never separates it from its frame bookkeeping), a
thread that finds itself last once it has the lock gets no marker, the writer is exclusive while
a marker and its unit are appended, and closing the threads gives each its Returns and
ThreadExit.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from recorder import events as ev
from recorder.trace_threads import GATE
from recorder.trace_writer import ThreadSlot, TraceWriter

STEP = ev.STEP % (0, 7)


class Sink:
    def __init__(self) -> None:
        self.writes: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def close(self) -> None:
        pass


def shared_writer(chunk_size: int = 1 << 16) -> tuple[TraceWriter, Sink]:
    """A writer past its header, empty, in shared mode."""
    sink = Sink()
    writer = TraceWriter(sink, chunk_size=chunk_size)
    writer.begin("/p.py")
    writer.flush()
    writer.start_sharing()
    return writer, sink


def kinds(writer: TraceWriter) -> list[str]:
    return [next(iter(json.loads(event))) for event in writer._buf]


@pytest.mark.parametrize("same_thread", [True, False], ids=["lock-free", "switching"])
def test_a_chunk_is_flushed_the_moment_it_is_full(same_thread: bool) -> None:
    marker = ev.thread_start(2)
    slot = None if same_thread else ThreadSlot()
    exact = len(STEP) + (0 if same_thread else len(marker))  # the unit fills the chunk exactly
    writer, sink = shared_writer(chunk_size=exact)
    written = len(sink.writes)
    writer.emit_batch([STEP], len(STEP), slot)
    assert len(sink.writes) == written + 1
    assert sink.writes[-1].decode().endswith(STEP)
    assert writer._buf == [] and writer._size == 0


def test_a_call_flushes_the_full_chunk_before_it_never_itself() -> None:
    writer, sink = shared_writer(chunk_size=len(STEP))
    written = len(sink.writes)
    call = ev.call(0, "")
    other = ThreadSlot()
    assert writer.call([STEP, call], len(STEP) + len(call), other) == 1
    assert len(sink.writes) == written  # the caller's bookkeeping comes before any flush
    assert kinds(writer) == ["ThreadStart", "Step", "Call"]
    assert writer.call([STEP, call], len(STEP) + len(call), other) == 2
    assert len(sink.writes) == written + 1  # the full chunk went out before this unit
    assert writer.call([STEP, call], len(STEP) + len(call)) == 3
    assert len(sink.writes) == written + 2
    assert kinds(writer) == ["ThreadSwitch", "Step", "Call"]


@pytest.mark.parametrize("shared", [False, True], ids=["one thread", "shared"])
@pytest.mark.parametrize("unit", ["Call", "Return"])
def test_a_failed_flush_at_a_boundary_leaves_the_unit_out(
    monkeypatch: pytest.MonkeyPatch, shared: bool, unit: str,
) -> None:
    sink = Sink()
    writer = TraceWriter(sink)
    writer.begin("/p.py")
    writer._chunk_size = 1  # the header fills the chunk: the next Call or Return flushes first
    if shared:
        writer.start_sharing()
    before, calls = list(writer._buf), writer.call_count

    def refuse(data: bytes) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(sink, "write", refuse)
    with pytest.raises(OSError):
        if unit == "Call":
            writer.call([STEP, ev.call(0, "")], 1)
        else:
            writer.ret(ev.NONE_VALUE)
    assert writer._buf == before  # nothing of the unit: the frame bookkeeping did not change
    assert writer.call_count == calls


def test_a_thread_that_is_last_once_it_has_the_lock_gets_no_marker() -> None:
    # The gate was in place when it looked, and was opened to this same thread before it got the
    # lock (after an output event or the switch to shared mode).
    writer, _ = shared_writer()
    writer._append_switching(writer.main, [STEP], len(STEP), True, False)
    assert kinds(writer) == ["Step"]
    assert writer._last is writer.main


def test_the_writer_is_exclusive_while_a_marker_and_its_unit_are_appended(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    writer, _ = shared_writer()
    seen: list[Any] = []
    mark = writer._mark

    def watched(slot: ThreadSlot, previous: ThreadSlot) -> None:
        seen.append(writer._last)
        mark(slot, previous)

    monkeypatch.setattr(writer, "_mark", watched)
    other = ThreadSlot()
    writer.emit_batch([STEP], len(STEP), other)
    assert seen == [GATE]
    assert writer._last is other
    assert other.first == other.last == writer.events_written + 1


def test_switching_to_shared_mode_keeps_the_last_thread() -> None:
    sink = Sink()
    writer = TraceWriter(sink)
    writer.begin("/p.py")
    writer.emit_batch([STEP], len(STEP))
    writer.start_sharing()
    assert writer._last is writer.main
    assert writer.main.last == len(writer._buf) - 1
    writer.emit_batch([STEP], len(STEP))
    assert kinds(writer)[-2:] == ["Step", "Step"]  # no marker: thread 1 appended last


def test_a_failed_flush_puts_the_chunk_back_in_front(monkeypatch: pytest.MonkeyPatch) -> None:
    writer, sink = shared_writer()
    writer.emit_batch([STEP], len(STEP))
    before = list(writer._buf)

    def fail_after_a_late_append(data: bytes) -> None:
        writer._buf += [ev.STEP % (0, 9)]  # another thread appends while this one writes
        writer._size += len(ev.STEP % (0, 9))
        raise OSError("disk full")

    monkeypatch.setattr(sink, "write", fail_after_a_late_append)
    with pytest.raises(OSError):
        writer.flush()
    assert writer._buf == [*before, ev.STEP % (0, 9)]
    assert writer._size == sum(map(len, writer._buf))


def test_closing_the_threads_gives_each_its_returns_and_exit() -> None:
    writer, _ = shared_writer()
    second, third = ThreadSlot(), ThreadSlot()
    writer.emit_batch([STEP], len(STEP), second)
    writer.emit_batch([STEP], len(STEP), third)
    start = len(writer._buf)
    writer.end_threads(lambda: {second.number: 2})  # the third has no open frame
    assert kinds(writer)[start:] == [
        "ThreadSwitch", "Return", "Return", "ThreadExit", "ThreadSwitch", "ThreadExit",
        "ThreadSwitch"]
    assert writer._buf[-1] == ev.thread_switch(1)
    assert writer._size == sum(map(len, writer._buf))
    end = writer.events_written + len(writer._buf)
    assert (second.last, third.last) == (end - 4, end - 2)  # their ThreadExit events
    assert writer._last is writer.main


def test_closing_when_no_other_thread_appended_writes_nothing() -> None:
    # A second thread was registered (shared mode) but never appended: thread 1 is still current.
    writer, _ = shared_writer()
    writer.emit_batch([STEP], len(STEP))
    writer.end_threads(dict)
    assert kinds(writer) == ["Step"]


def test_the_open_frames_are_counted_once_the_writer_is_exclusive() -> None:
    # A thread that appended last needs no lock: counted before the gate closed, its late Call
    # would be left without a Return.
    writer, _ = shared_writer()
    second = ThreadSlot()
    writer.emit_batch([STEP], len(STEP), second)
    seen: list[ThreadSlot] = []

    def open_frames() -> dict[int, int]:
        seen.append(writer._last)
        return {second.number: 1}

    writer.end_threads(open_frames)
    assert seen == [GATE]
