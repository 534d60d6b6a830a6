"""What recording one more thread costs in memory: the README's per-thread figure.

Usage: ``PYTHONPATH=. python -m bench.helpers.thread_memory [BACKEND]``. For N threads each
waiting at the bottom of a recursion DEPTH frames deep, it measures (``tracemalloc``) the memory
allocated by the recorder's own files since tracing started, and prints it per thread for
N in (10, 50) and DEPTH in (10, 100); the differences between the rows give the cost of a thread
and of an open frame (the shared 64 KiB event buffer is in every row, so it cancels out).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
import tracemalloc

import recorder


def _measure(count: int, depth: int, trace_dir: str, backend: str) -> int:
    arrived = threading.Barrier(count + 1)
    release = threading.Event()

    def deep(n: int) -> int:
        if n:
            return deep(n - 1)
        arrived.wait()
        release.wait()
        return 0

    tracemalloc.start()
    with recorder.trace(trace_dir, backend=backend):
        base = tracemalloc.take_snapshot()
        threads = [threading.Thread(target=deep, args=(depth,)) for _ in range(count)]
        for thread in threads:
            thread.start()
        arrived.wait()
        snapshot = tracemalloc.take_snapshot()
        release.set()
        for thread in threads:
            thread.join()
    stats = snapshot.compare_to(base, "filename")
    return sum(s.size_diff for s in stats if "/recorder/" in s.traceback[0].filename)


def main() -> int:
    if len(sys.argv) > 3:  # one measurement, in a fresh interpreter
        count, depth = int(sys.argv[1]), int(sys.argv[2])
        sys.stdout.write(f"{_measure(count, depth, sys.argv[3], sys.argv[4])}\n")
        return 0
    backend = sys.argv[1] if len(sys.argv) > 1 else "auto"
    rows: dict[tuple[int, int], int] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for depth in (10, 100):
            for count in (10, 50):
                done = subprocess.run(
                    [sys.executable, "-m", "bench.helpers.thread_memory", str(count), str(depth),
                     f"{scratch}/t{count}-{depth}", backend],
                    capture_output=True, text=True, check=True, timeout=300)
                rows[count, depth] = int(done.stdout)
                sys.stdout.write(f"{count} threads, depth {depth}: {rows[count, depth]} bytes\n")
    per_thread = (rows[50, 10] - rows[10, 10]) / 40
    per_frame = ((rows[50, 100] - rows[10, 100]) / 40 - per_thread) / 90
    sys.stdout.write(f"per recorded thread: {per_thread / 1024:.1f} KiB; "
                     f"per open frame: {per_frame:.0f} bytes\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
