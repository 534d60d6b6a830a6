"""Measure one command: wall time and its own peak RSS, written as JSON to a file.

Usage: ``python -I -S measure.py RESULT.json TIMEOUT -- PROGRAM [ARGS...]``.

Why a wrapper: on Linux a child's ``ru_maxrss`` includes the resident size of the process that
forked it (``exec`` keeps the old memory's high-water mark), so a benchmark runner that has grown
big would inflate every child's figure. This wrapper is a bare interpreter (``-I -S``, about 8 MiB,
less than any Python child's own footprint) that spawns the command and reports ``wait4`` for
that pid alone. It imports nothing from the project so it can run from any interpreter.

The command runs in its own process group; after TIMEOUT seconds the whole group is killed
(a hung tool must not hang the benchmark) and the report says so.
"""

import contextlib
import json
import os
import signal
import sys
import time


def main(argv: list[str]) -> int:
    result_path, timeout = argv[1], float(argv[2])
    command = argv[4:] if len(argv) > 4 and argv[3] == "--" else argv[3:]
    timed_out = []

    def on_alarm(signum: int, frame: object) -> None:
        timed_out.append(True)
        # The group may have ended between the alarm and the kill: nothing left to do then.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)

    report: dict[str, object]
    start = time.perf_counter()
    try:
        pid = os.posix_spawnp(command[0], command, os.environ, setpgroup=0)
    except OSError as exc:
        report = {"error": f"cannot start {command[0]}: {exc.strerror or exc}"}
    else:
        signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - start
        signal.setitimer(signal.ITIMER_REAL, 0)
        report = {
            "wall": wall,
            "maxrss_kib": usage.ru_maxrss,
            # The child's own CPU time: what a loaded machine's waiting for a core does not add.
            "cpu": usage.ru_utime + usage.ru_stime,
            "returncode": os.waitstatus_to_exitcode(status),
            "timed_out": bool(timed_out),
        }
    with open(result_path, "w", encoding="utf-8") as fh:
        json.dump(report, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
