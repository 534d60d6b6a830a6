"""Where a traced run's time goes, from inside the tool callbacks: a sampling profiler.

cProfile sees nothing of a recorder's callbacks (profiling is off while a ``sys.monitoring`` or
``sys.settrace`` callback runs), but the callbacks' frames are ordinary frames on the thread's
stack. A sampler thread reads the main thread's stack with :func:`sys._current_frames` every
:data:`INTERVAL` seconds and counts, per function, the samples where it is the innermost frame
("self") and those where it is anywhere on the stack ("total"). A sample is taken when the main
thread lets go of the GIL (at a call or a backward jump, every :data:`SWITCH` seconds), which is
fine-grained enough for shares of a few percent.

The sampler thread's name starts with ``codetracer-``, so the recorder never traces it (threads
the recorder owns are never recorded).

Usage: ``python -m bench.helpers.sample_profile OUT.json RECORDER-ARGS...``; runs
``python -m recorder RECORDER-ARGS...`` in this process and writes the counts to ``OUT.json``:
``{"samples": N, "self": {function: n}, "total": {function: n}, "lines": {function:line: n}}``
where a function is ``module-path:qualified name`` ("lines": the innermost frame's line).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import Counter
from types import FrameType

INTERVAL = 0.001
SWITCH = 0.00002


def _name(frame: FrameType) -> str:
    code = frame.f_code
    path = code.co_filename
    for marker in ("/recorder/", "/lib/python"):
        if marker in path:
            path = path[path.index(marker) + 1 :]
            break
    return f"{path}:{code.co_qualname}"


class Sampler:
    """Counts the main thread's innermost and on-stack functions until stopped."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.samples = 0
        self.self_counts: Counter[str] = Counter()
        self.total_counts: Counter[str] = Counter()
        self.line_counts: Counter[str] = Counter()
        self.running = True
        self.thread = threading.Thread(target=self._run, name="codetracer-sampler", daemon=True)

    def _run(self) -> None:
        while self.running:
            time.sleep(INTERVAL)
            frame = sys._current_frames().get(self.target)
            if frame is None:
                continue
            self.samples += 1
            self.self_counts[_name(frame)] += 1
            self.line_counts[f"{_name(frame)}:{frame.f_lineno}"] += 1
            seen = set()
            while frame is not None:
                seen.add(_name(frame))
                frame = frame.f_back
            self.total_counts.update(seen)

    def report(self) -> dict[str, object]:
        return {"samples": self.samples, "self": dict(self.self_counts.most_common()),
                "total": dict(self.total_counts.most_common()),
                "lines": dict(self.line_counts.most_common())}


def main(argv: list[str]) -> int:
    out, args = argv[0], argv[1:]
    from recorder.cli import main as recorder_main

    sys.setswitchinterval(SWITCH)
    sampler = Sampler(threading.get_ident())
    sampler.thread.start()
    try:
        status = recorder_main(args)
    finally:
        sampler.running = False
        sampler.thread.join()
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(sampler.report(), handle, indent=1)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
