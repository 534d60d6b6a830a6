"""Which threads the registry records: the free-threaded case (the others run in subprocesses)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from recorder.trace_writer import TraceWriter
from recorder.tracing import threads
from recorder.tracing.filters import CodeFilter
from recorder.tracing.frames import FrameRecorder
from recorder.tracing.valuejson import ValueJson


class NullSink:
    def write(self, data: bytes) -> None:
        pass

    def close(self) -> None:
        pass


def _lane_of_a_new_thread(registry: threads.ThreadRegistry) -> Any:
    found: list[Any] = []
    worker = threading.Thread(target=lambda: found.append(registry.lane()))
    worker.start()
    worker.join()
    return found[0]


@pytest.mark.parametrize("gil", [True, False], ids=["with the GIL", "free-threaded"])
def test_other_threads_are_recorded_only_under_the_gil(
    gil: bool, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(threads, "_gil_enabled", lambda: gil)
    writer = TraceWriter(NullSink())
    writer.begin("/p.py")
    main = FrameRecorder(writer, ValueJson(writer), CodeFilter())
    registry = threads.ThreadRegistry(main, lambda: ValueJson(writer))
    lane = _lane_of_a_new_thread(registry)
    assert (lane is not None) == gil
    assert writer.shared == gil  # without the GIL the writer never leaves single-thread mode
    assert registry.dropped == ({} if gil else {"free_threaded": 1})
