"""A thread already running when tracing starts (``recorder.trace()``), against its golden.

With ``sys.monitoring`` and with ``threading.settrace_all_threads`` (3.12+) the thread is recorded
from its next function call on; the frame it was running is not (its events are dropped, as for
the main thread). On 3.11 ``threading.settrace`` only reaches threads started later: the thread
is not recorded at all. Compared per thread (:func:`recording_support.deinterleave`).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from recording_support import UPDATE_GOLDENS, env_for, golden_path, normalise

from recorder.trace_check import check_trace_dir
from recorder.tracing import available_backends

PROGRAM = Path(__file__).resolve().parent / "programs" / "thread_prestart.py"


@pytest.mark.parametrize("backend", available_backends())
def test_a_thread_started_before_tracing(backend: str, tmp_path: Path) -> None:
    trace = tmp_path / "trace"
    done = subprocess.run([sys.executable, str(PROGRAM), str(trace), backend],
                          cwd=tmp_path, env=env_for(sys.executable), capture_output=True,
                          timeout=120)
    assert (done.returncode, done.stdout) == (0, b"finished\n"), done.stderr
    assert check_trace_dir(trace) == []
    lines = [line.replace(str(PROGRAM.parent), "<PROGRAMS>") for line in normalise(trace)]
    golden = golden_path("thread_prestart")
    if UPDATE_GOLDENS and backend == available_backends()[0]:
        golden.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if not golden.exists():
        pytest.fail(f"no golden {golden} (RECORDER_UPDATE_GOLDENS=1 writes it)")
    assert lines == golden.read_text(encoding="utf-8").splitlines()
