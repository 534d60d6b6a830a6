"""The sys.monitoring backend claims the debugger tool id politely and frees it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from recording_support import DirLayer, finished

from recorder.errors import ErrorCode, UsageError
from recorder.metrics import InMemoryMetrics
from recorder.preflight import preflight
from recorder.recording import Recording
from recorder.trace_check import check_events
from recorder.tracing import available_backends
from recorder.tracing.filters import CodeFilter

pytestmark = pytest.mark.skipif(sys.version_info < (3, 12), reason="sys.monitoring is 3.12+")


def recording(tmp_path: Path) -> Recording:
    return Recording(DirLayer(tmp_path / "trace"), program=str(tmp_path / "prog.py"),
                     backend="monitoring", filters=CodeFilter(),
                     on_failure=lambda exc, point: None)


def test_a_held_tool_id_is_a_conflict_naming_the_holder(tmp_path: Path) -> None:
    monitoring: Any = sys.monitoring
    monitoring.use_tool_id(monitoring.DEBUGGER_ID, "some-debugger")
    try:
        rec = recording(tmp_path)
        stdout = sys.stdout
        with pytest.raises(UsageError) as raised:
            rec.start()
        assert raised.value.code is ErrorCode.TRACER_INSTALL_CONFLICT
        assert "some-debugger" in str(raised.value)
        assert sys.stdout is stdout  # nothing left half-installed
    finally:
        monitoring.free_tool_id(monitoring.DEBUGGER_ID)


def test_the_tool_id_is_freed_on_detach(tmp_path: Path) -> None:
    monitoring: Any = sys.monitoring
    rec = recording(tmp_path)
    rec.start()
    assert monitoring.get_tool(monitoring.DEBUGGER_ID) == "codetracer-recorder"
    rec.detach()
    assert monitoring.get_tool(monitoring.DEBUGGER_ID) is None
    assert monitoring.get_events(monitoring.DEBUGGER_ID) == 0


def test_backend_resolution() -> None:
    assert available_backends() == ["monitoring", "settrace"]
    assert preflight(backend="auto") == "monitoring"
    with pytest.raises(UsageError) as raised:
        preflight(backend="ptrace")
    assert raised.value.code is ErrorCode.INVALID_ARGUMENT


THREAD_PROGRAM = """\
import threading

def work(n):
    return sum(range(n))

worker = threading.Thread(target=work, args=(5,))
worker.start()
worker.join()
work(3)
"""


def test_other_threads_are_dropped_and_counted_with_threads_main(tmp_path: Path) -> None:
    script = tmp_path / "threads.py"
    script.write_text(THREAD_PROGRAM)
    metrics = InMemoryMetrics()
    rec = Recording(DirLayer(tmp_path / "trace"), program=str(script),
                    backend="monitoring", filters=CodeFilter(), metrics=metrics,
                    on_failure=lambda exc, point: None, threads="main")
    rec.start()
    try:
        exec(compile(THREAD_PROGRAM, str(script), "exec"), {"__name__": "__main__"})
    finally:
        rec.detach()
    dropped = metrics.snapshot()["dropped_events"]
    assert isinstance(dropped, dict) and dropped.get("other_thread", 0) >= 1
    rec.finish(finished(0, None))
    metadata = json.loads((tmp_path / "trace" / "trace_metadata.json").read_text())
    assert metadata["events_dropped"]["other_thread"] >= 1
    events = json.loads((tmp_path / "trace" / "trace.json").read_text())
    calls = [e for e in events if "Call" in e]
    assert len(calls) == 3  # toplevel, <__main__>, work(3): not the worker thread's work(5)


def test_other_threads_are_recorded_by_default(tmp_path: Path) -> None:
    script = tmp_path / "threads.py"
    script.write_text(THREAD_PROGRAM)
    rec = Recording(DirLayer(tmp_path / "trace"), program=str(script),
                    backend="monitoring", filters=CodeFilter(),
                    on_failure=lambda exc, point: None)
    rec.start()
    try:
        exec(compile(THREAD_PROGRAM, str(script), "exec"), {"__name__": "__main__"})
    finally:
        rec.detach()
    rec.finish(finished(0, None))
    metadata = json.loads((tmp_path / "trace" / "trace_metadata.json").read_text())
    assert "other_thread" not in metadata["events_dropped"]
    assert [t["number"] for t in metadata["threads"]["recorded"]] == [1, 2]
    events = json.loads((tmp_path / "trace" / "trace.json").read_text())
    assert len([e for e in events if "Call" in e]) == 4  # and the worker thread's work(5)
    assert check_events(events, exit_code=0) == []
