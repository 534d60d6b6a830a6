"""Threads workload: the ``calls`` workload in several threads at once.

Usage: ``python threads.py SCALE THREADS``: THREADS threads each run the calls workload at SCALE;
THREADS 0 runs the work of 4 threads (4 x SCALE) in the main thread alone: the single-threaded
comparison, with the same number of events.
"""

import sys
import threading


def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def main(scale: int) -> int:
    total = 0
    for _ in range(scale):
        total += fib(15)
    return total


def in_threads(scale: int, count: int) -> int:
    results = [0] * count

    def worker(index: int) -> None:
        results[index] = main(scale)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(results)


if __name__ == "__main__":
    scale, count = int(sys.argv[1]), int(sys.argv[2])
    total = in_threads(scale, count) if count else main(scale * 4)
    sys.stdout.write(f"{total}\n")
