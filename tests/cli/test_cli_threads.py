"""``--threads {all,main}``, ``CODETRACER_THREADS`` and the API's ``threads=``: which threads."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from recorder import compat
from recorder.tracing import threads

PROGRAM = """\
import threading


def work(n):
    return n + 1


thread = threading.Thread(target=work, args=(1,))
thread.start()
thread.join()
"""


def test_the_modes_are_the_same_in_both_layers() -> None:
    # recorder.compat sits below recorder.tracing, so it keeps its own copy of the names.
    assert compat.THREAD_MODES == threads.THREAD_MODES


@pytest.mark.parametrize(("args", "env", "recorded"), [
    ([], {}, 2),
    (["--threads", "main"], {}, 1),
    (["--threads", "MAIN"], {}, 1),
    ([], {"CODETRACER_THREADS": "main"}, 1),
    (["--threads", "all"], {"CODETRACER_THREADS": "main"}, 2),  # the flag wins
])
def test_threads_option_and_variable(
    args: list[str], env: dict[str, str], recorded: int, run_recorder: Any, make_env: Any,
    tmp_path: Path,
) -> None:
    (tmp_path / "prog.py").write_text(PROGRAM)
    done = run_recorder(["--trace-dir", "trace", *args, "prog.py"], env=make_env(**env))
    assert done.returncode == 0, done.stderr
    metadata = json.loads((tmp_path / "trace" / "trace_metadata.json").read_text())
    events = json.loads((tmp_path / "trace" / "trace.json").read_text())
    works = [e for e in events if "Call" in e]
    if recorded == 1:
        assert "threads" not in metadata and "min_reader_version" not in metadata
        assert not any("ThreadStart" in e for e in events)
        assert len(works) == 2  # toplevel and <module>: not the thread's work()
    else:
        assert len(metadata["threads"]["recorded"]) == 2
        assert metadata["min_reader_version"] == "runtime_tracing 0.15.0"
        assert len(works) == 3


def test_api_threads_argument(tmp_path: Path) -> None:
    import subprocess

    script = tmp_path / "api.py"
    script.write_text(
        "import sys, threading, recorder\n"
        "def work():\n    return 1\n"
        "with recorder.trace(sys.argv[1], threads=sys.argv[2]):\n"
        "    t = threading.Thread(target=work); t.start(); t.join()\n")
    for mode, expected in (("all", True), ("main", False)):
        trace = tmp_path / f"trace-{mode}"
        subprocess.run([sys.executable, str(script), str(trace), mode], check=True, timeout=120)
        metadata = json.loads((trace / "trace_metadata.json").read_text())
        assert ("threads" in metadata) is expected
