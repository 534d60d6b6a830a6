"""Memory per recorded thread is bounded (the README's figure, with a margin for interpreters).

Runs :mod:`bench.helpers.thread_memory`'s measurement (``tracemalloc``, the recorder's own
allocations only) for 10 and 50 threads waiting 10 frames deep, each in a fresh interpreter;
the difference divided by 40 is what one more recorded thread costs. The README says about
12 KiB; a recorder that kept, say, a per-thread copy of the event buffer or of the code cache
would cost far more than the bound.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PER_THREAD_BOUND = 48 * 1024  # bytes: four times the README's figure


def _allocated(count: int, depth: int, trace_dir: Path, backend: str) -> int:
    done = subprocess.run(
        [sys.executable, "-m", "bench.helpers.thread_memory", str(count), str(depth),
         str(trace_dir), backend],
        capture_output=True, text=True, timeout=300, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


@pytest.mark.parametrize("backend", ["settrace", "monitoring"])
def test_one_more_recorded_thread_costs_a_bounded_amount(tmp_path: Path, backend: str) -> None:
    if backend == "monitoring" and sys.version_info < (3, 12):
        pytest.skip("sys.monitoring is 3.12+")
    few = _allocated(10, 10, tmp_path / "few", backend)
    many = _allocated(50, 10, tmp_path / "many", backend)
    per_thread = (many - few) / 40
    assert 0 < per_thread < PER_THREAD_BOUND, per_thread
