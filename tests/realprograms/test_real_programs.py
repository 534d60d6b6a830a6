"""Real programs nobody here wrote, run untraced and traced, from the editable and a wheel install.

* toolz 1.0.0's own tests (one file of its suite), from its unpacked sdist, with ``-m pytest`` and
  ``-W error`` (warnings are errors, as in projects with ``filterwarnings = error``): this is the
  regression test of pytest's "Module already imported so cannot be rewritten; recorder"
  warning, which only a non-editable install showed;
* pebble 5.2.3's thread tests (``test/test_concurrent_thread.py``): its thread pools and
  ``@concurrent.thread`` run pebble's own code in a dozen threads, all recorded;
* pygments' ``pygmentize`` and docutils' ``docutils`` command-line tools on small inputs.

Each asserts the same exit status, stdout identical byte for byte (pytest's ``in N.NNs`` masked),
stderr identical too, a trace that passes ``trace_check``, and at least a stated number of ``Step``
events in the package's own files (an empty or filtered-away trace fails). Only the package's
own files that the run exercises are included: its module bodies with large tables are left out
to keep each run to seconds (the whole suite is ``make bench``'s workload).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from realprograms_support import clean_env

from recorder.trace_check import check_trace_dir

SMALL_PY = 'def greet(name):\n    return f"hello {name}"\n\n\nprint(greet("world"))\n'
SMALL_RST = "Title\n=====\n\nSome *text* with a `link <https://example.org>`_.\n\n- one\n- two\n"
_DURATION = re.compile(rb" in \d+\.\d+s")


@dataclass(frozen=True)
class Program:
    """A real program: how to run it, what to include, and how much must be recorded."""

    command: list[str]  # after the interpreter; "{bin}" is the venv's scripts directory
    include: list[str]
    exclude: list[str]
    package: str  # a path fragment of the package's own files
    min_steps: int


PROGRAMS = {
    "toolz -m pytest": Program(
        ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error",
         "toolz/tests/test_dicttoolz.py"],
        ["*/toolz/*"], ["*/toolz/_signatures.py", "*/toolz/curried/*", "*/toolz/tests/*"],
        "/toolz-1.0.0/toolz/", 1000),
    "pebble -m pytest (threads)": Program(
        ["-m", "pytest", "-q", "-p", "no:cacheprovider", "test/test_concurrent_thread.py"],
        ["*/pebble/*"], ["*/test/*"], "/pebble-5.2.3/pebble/", 500),
    "pygmentize": Program(
        ["{bin}/pygmentize", "-l", "python", "-f", "html", "small.py"],
        ["*/pygments/cmdline.py", "*/pygments/util.py"], [], "/pygments/", 150),
    "docutils": Program(
        ["{bin}/docutils", "small.rst"],
        ["*/docutils/__main__.py", "*/docutils/core.py", "*/docutils/io.py"], [],
        "/docutils/", 300),
}


def _steps_in(trace: Path, fragment: str) -> int:
    paths = json.loads((trace / "trace_paths.json").read_text(encoding="utf-8"))
    events = json.loads((trace / "trace.json").read_text(encoding="utf-8"))
    return sum(1 for e in events if "Step" in e and fragment in paths[e["Step"]["path_id"]])


@pytest.mark.parametrize("install", ["editable", "wheel"])
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_real_program_recorded(name: str, install: str, request: pytest.FixtureRequest,
                               tmp_path: Path) -> None:
    program = PROGRAMS[name]
    python = sys.executable if install == "editable" else request.getfixturevalue("wheel_python")
    if name.startswith(("toolz", "pebble")):
        cwd = request.getfixturevalue(f"{name.split()[0]}_tree")
    else:
        cwd = tmp_path / "work"
        cwd.mkdir()
        (cwd / "small.py").write_text(SMALL_PY, encoding="utf-8")
        (cwd / "small.rst").write_text(SMALL_RST, encoding="utf-8")
    command = [part.replace("{bin}", str(Path(python).parent)) for part in program.command]
    env = clean_env(python, editable=install == "editable")
    trace = tmp_path / "trace"
    options = ["--trace-dir", str(trace)]
    options += [f"--include={glob}" for glob in program.include]
    options += [f"--exclude={glob}" for glob in program.exclude]

    plain = subprocess.run([python, *command], cwd=cwd, env=env, capture_output=True, timeout=300)
    traced = subprocess.run([python, "-m", "recorder", *options, *command], cwd=cwd, env=env,
                            capture_output=True, timeout=300)

    assert traced.returncode == plain.returncode == 0, traced.stderr.decode()
    assert _DURATION.sub(b" in N.NNs", traced.stdout) == _DURATION.sub(b" in N.NNs", plain.stdout)
    assert traced.stderr == plain.stderr
    assert check_trace_dir(trace) == []
    assert _steps_in(trace, program.package) >= program.min_steps
    if name.startswith("pebble"):  # the worker threads are recorded, not only the main one
        metadata = json.loads((trace / "trace_metadata.json").read_text(encoding="utf-8"))
        assert len(metadata["threads"]["recorded"]) > 4


def test_the_wheel_install_is_not_editable(wheel_python: str, tmp_path: Path) -> None:
    where = subprocess.run([wheel_python, "-c", "import recorder; print(recorder.__file__)"],
                           cwd=tmp_path, env=clean_env(wheel_python, editable=False),
                           capture_output=True, text=True, timeout=60, check=True).stdout
    assert "site-packages" in where and str(Path(__file__).resolve().parents[2]) not in where
