"""Programs run the ways people run them, recorded on each backend of this interpreter.

Each case is a command line (``-m`` of a module and of a package, ``--activation-path``, module
names from file paths) run plainly and recorded: stdout and stderr are byte for byte the plain
run's, the exit status is Python's, the trace passes the structural checks, and it equals the
reviewed golden trace of this Python version (``RECORDER_UPDATE_GOLDENS=1`` rewrites the goldens
from the first backend; review the diff before keeping it). The same helpers as
``test_recorded_examples.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from recording_support import EXAMPLES, UPDATE_GOLDENS, env_for, golden_path, normalise

from recorder.trace_check import check_trace_dir
from recorder.tracing import available_backends

# name -> (the plain command's arguments after the interpreter, the recorder's options)
CASES: dict[str, tuple[list[str], list[str]]] = {
    "m_module": (["-m", "modules"], []),
    "m_package": (["-m", "runnable", "ab", "c"], []),
    "activation": (["activation.py"], ["--activation-path", "lib/stages.py"]),
    "module_names_from_path": (["modules.py"], ["--no-module-name-from-globals"]),
    "module_names_from_globals": (["modules.py"], ["--module-name-from-globals"]),
}


def _run(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, *args], cwd=EXAMPLES, env=env_for(sys.executable),
                          capture_output=True, timeout=300)


def _functions(trace: Path) -> list[str]:
    events = json.loads((trace / "trace.json").read_text(encoding="utf-8"))
    return [e["Function"]["name"] for e in events if "Function" in e]


@pytest.mark.parametrize("backend", available_backends())
@pytest.mark.parametrize("name", sorted(CASES))
def test_invocation_recorded(name: str, backend: str, tmp_path: Path) -> None:
    plain_args, options = CASES[name]
    trace = tmp_path / "trace"
    plain = _run(plain_args)
    recorded = _run(["-m", "recorder", "--backend", backend, "--trace-dir", str(trace),
                     *options, *plain_args])

    assert recorded.stdout == plain.stdout
    assert recorded.stderr == plain.stderr
    assert recorded.returncode == plain.returncode
    assert check_trace_dir(trace) == []

    golden = golden_path(f"invocation_{name}")
    lines = normalise(trace)
    if UPDATE_GOLDENS and backend == available_backends()[0]:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if not golden.exists():
        pytest.fail(f"no golden for Python {sys.version_info[0]}.{sys.version_info[1]}: {golden} "
                    "(RECORDER_UPDATE_GOLDENS=1 writes it; review it before committing)")
    assert lines == golden.read_text(encoding="utf-8").splitlines()


def test_m_records_the_module_name_and_file(tmp_path: Path) -> None:
    trace = tmp_path / "trace"
    done = _run(["-m", "recorder", "--trace-dir", str(trace), "-m", "runnable", "x"])
    assert done.returncode == 0, done.stderr
    meta = json.loads((trace / "trace_metadata.json").read_text(encoding="utf-8"))
    assert meta["module"] == "runnable.__main__"
    assert meta["program"] == str(EXAMPLES / "runnable" / "__main__.py")
    assert meta["args"] == ["x"]
    assert _functions(trace)[:2] == ["<toplevel>", "<__main__>"]


def test_activation_starts_at_the_file_and_stops_when_its_frame_returns(tmp_path: Path) -> None:
    trace = tmp_path / "trace"
    done = _run(["-m", "recorder", "--trace-dir", str(trace),
                 "--activation-path", "lib/stages.py", "activation.py"])
    assert done.returncode == 0, done.stderr
    paths = json.loads((trace / "trace_paths.json").read_text(encoding="utf-8"))
    assert paths[0] == str(EXAMPLES / "lib" / "stages.py")  # the start path
    names = _functions(trace)
    assert "before" not in names  # ran before activation
    assert names[1] == "<lib.stages>" and "double" in names
    events = json.loads((trace / "trace.json").read_text(encoding="utf-8"))
    calls = [e for e in events if "Call" in e]
    # <toplevel>, the stages module body, double() three times from the list comprehension
    # (a frame of its own on 3.11): the later stages.double(21) call is not recorded.
    assert len(calls) == (6 if sys.version_info < (3, 12) else 5)
    # Before activation no frame was followed: nothing was seen and then ignored.
    meta = json.loads((trace / "trace_metadata.json").read_text(encoding="utf-8"))
    assert "untracked_frame" not in meta["events_dropped"]


def test_module_names_follow_the_setting(tmp_path: Path) -> None:
    names = {}
    for flag in ("--module-name-from-globals", "--no-module-name-from-globals"):
        trace = tmp_path / flag
        assert _run(["-m", "recorder", "--trace-dir", str(trace), flag,
                     "modules.py"]).returncode == 0
        names[flag] = [n for n in _functions(trace) if n.startswith("<") and n != "<toplevel>"]
    assert names["--module-name-from-globals"] == ["<__main__>", "<lib.geometry>"]
    assert names["--no-module-name-from-globals"] == ["<modules>", "<lib.geometry>"]
