"""Counters for the recorder's error pathways (ADR 0004, principle 9).

``RecorderMetrics`` is the sink protocol: dropped events by reason, detaches by reason and code,
contained callback failures by code. The default sink counts in memory (it is cheap: counters
change only on error paths and for dropped events); ``NoopMetrics`` is for embedders that want
nothing. ``snapshot()`` is what the recorder writes into ``trace_metadata.json``.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Protocol, runtime_checkable


@runtime_checkable
class RecorderMetrics(Protocol):
    """Where the recorder reports what went wrong and what it left out."""

    def dropped_event(self, reason: str, count: int = 1) -> None:
        """``count`` events were not recorded, for ``reason``."""

    def detached(self, reason: str, code: str | None = None) -> None:
        """Tracing was detached for ``reason`` (with the error code that caused it, if any)."""

    def contained_failure(self, code: str, point: str) -> None:
        """A failure inside the recorder at ``point`` was contained (not leaked to the program)."""

    def snapshot(self) -> dict[str, object]:
        """The counters as JSON-ready data."""
        ...


class NoopMetrics:
    """Counts nothing."""

    def dropped_event(self, reason: str, count: int = 1) -> None:
        pass

    def detached(self, reason: str, code: str | None = None) -> None:
        pass

    def contained_failure(self, code: str, point: str) -> None:
        pass

    def snapshot(self) -> dict[str, object]:
        return {}


class InMemoryMetrics:
    """Thread-safe counters kept in memory."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._dropped: Counter[str] = Counter()
        self._detaches: Counter[str] = Counter()
        self._failures: Counter[str] = Counter()

    def dropped_event(self, reason: str, count: int = 1) -> None:
        with self._lock:
            self._dropped[reason] += count

    def detached(self, reason: str, code: str | None = None) -> None:
        with self._lock:
            self._detaches[f"{reason}:{code}" if code else reason] += 1

    def contained_failure(self, code: str, point: str) -> None:
        with self._lock:
            self._failures[f"{code}@{point}"] += 1

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            return {
                "dropped_events": dict(sorted(self._dropped.items())),
                "detaches": dict(sorted(self._detaches.items())),
                "contained_failures": dict(sorted(self._failures.items())),
            }


_metrics: RecorderMetrics = InMemoryMetrics()


def get_metrics() -> RecorderMetrics:
    """The process's metrics sink."""
    return _metrics


def set_metrics(sink: RecorderMetrics) -> RecorderMetrics:
    """Replace the sink; returns the previous one."""
    global _metrics
    previous, _metrics = _metrics, sink
    return previous
