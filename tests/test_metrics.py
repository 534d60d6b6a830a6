"""Metrics sinks: the in-memory counters, the no-op default for embedders, the snapshot shape."""

from __future__ import annotations

import json
import threading

from recorder.metrics import InMemoryMetrics, NoopMetrics, RecorderMetrics, get_metrics, set_metrics


def test_in_memory_counts_each_pathway() -> None:
    m = InMemoryMetrics()
    m.dropped_event("other-thread", 3)
    m.dropped_event("other-thread")
    m.detached("policy-disable", "ERR_DISK_FULL")
    m.detached("stop")
    m.contained_failure("ERR_CALLBACK_FAILED", "line")
    snap = m.snapshot()
    assert snap == {
        "dropped_events": {"other-thread": 4},
        "detaches": {"policy-disable:ERR_DISK_FULL": 1, "stop": 1},
        "contained_failures": {"ERR_CALLBACK_FAILED@line": 1},
    }
    assert json.loads(json.dumps(snap)) == snap


def test_counters_are_thread_safe() -> None:
    m = InMemoryMetrics()

    def work() -> None:
        for _ in range(2000):
            m.dropped_event("x")

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert m.snapshot()["dropped_events"] == {"x": 8000}


def test_noop_and_protocol() -> None:
    noop = NoopMetrics()
    noop.dropped_event("x")
    assert noop.snapshot() == {}
    assert isinstance(noop, RecorderMetrics) and isinstance(InMemoryMetrics(), RecorderMetrics)


def test_set_metrics_returns_previous() -> None:
    mine = InMemoryMetrics()
    previous = set_metrics(mine)
    try:
        assert get_metrics() is mine
    finally:
        set_metrics(previous)
