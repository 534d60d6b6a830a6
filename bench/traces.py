"""Measuring a trace directory: total size on disk and the number of events in ``trace.json``.

Traces of long runs are hundreds of megabytes, so events are counted by scanning the file
(memory-mapped) instead of parsing it. The scan is exact for compact JSON traces: every event is an
object whose single key is a capitalised event name (``{"Step": ...}``), while every nested object
has lower-case keys (``{"kind": ...}``), and a ``"`` inside a JSON string is always escaped, so
``{"Step"`` cannot appear inside a string value.
"""

from __future__ import annotations

import mmap
import re
from collections import Counter
from pathlib import Path

_EVENT = re.compile(rb'\{\s*"([A-Z][A-Za-z]*)"\s*:')


def directory_size(path: Path) -> int:
    """Total size in bytes of the regular files under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def count_events(trace_json: Path) -> Counter[str]:
    """Count the events of ``trace_json`` by event name."""
    counts: Counter[str] = Counter()
    if trace_json.stat().st_size == 0:
        return counts
    with open(trace_json, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        for match in _EVENT.finditer(mm):
            counts[match.group(1).decode("ascii")] += 1
    return counts


def find_trace(trace_dir: Path) -> Path:
    """The ``trace.json`` inside ``trace_dir``; raises ``FileNotFoundError`` when there is none."""
    candidate = trace_dir / "trace.json"
    if not candidate.is_file():
        raise FileNotFoundError(f"no trace.json in {trace_dir}")
    return candidate


def trace_facts(trace_dir: Path) -> dict[str, float]:
    """``bytes``, ``events`` and ``steps`` of the trace written to ``trace_dir``."""
    counts = count_events(find_trace(trace_dir))
    return {
        "bytes": float(directory_size(trace_dir)),
        "events": float(sum(counts.values())),
        "steps": float(counts.get("Step", 0)),
    }
