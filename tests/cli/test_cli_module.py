"""``-m MODULE``: the module runs as under ``python -m MODULE``, and its status is the run's status.

Each case runs ``python -m MODULE ARGS`` and ``python -m recorder -m MODULE ARGS`` in the same
directory and compares stdout, stderr and the exit status; the modules print what ``-m`` decides
(``__name__``, ``__spec__``, ``sys.argv[0]``, ``sys.path[0]``, pickling as ``__main__.X``,
``multiprocessing`` with ``spawn``). pytest's own exit statuses pass through.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SEMANTICS = """\
import os, pickle, sys

class Point:
    def __init__(self, x):
        self.x = x

def main():
    print(__name__, __spec__.name, __spec__.parent == (__package__ or ""), __package__)
    print(os.path.relpath(sys.argv[0]), sys.argv[1:], sys.path[0] == os.getcwd())
    copy = pickle.loads(pickle.dumps(Point(3)))
    print(type(copy).__module__, type(copy).__qualname__, copy.x)

main()
"""

SPAWN = """\
import multiprocessing

def square(n):
    return n * n

if __name__ == "__main__":
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        print(pool.map(square, [1, 2, 3]))
"""

PYTEST_FILES = {
    "passing": "def test_ok():\n    assert 1 + 1 == 2\n",
    "failing": "def test_bad():\n    assert 1 + 1 == 3\n",
}


def _both(tmp_path: Path, make_env, args: list[str]) -> tuple[subprocess.CompletedProcess[bytes],
                                                             subprocess.CompletedProcess[bytes]]:
    env = make_env()
    plain = subprocess.run([sys.executable, *args], cwd=tmp_path, env=env, capture_output=True,
                           timeout=120)
    traced = subprocess.run([sys.executable, "-m", "recorder", "--trace-dir", "out", *args],
                            cwd=tmp_path, env=env, capture_output=True, timeout=120)
    return plain, traced


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.mark.parametrize(("files", "args"), [
    ({"semantics.py": SEMANTICS}, ["-m", "semantics", "a", "--trace-dir", "b"]),
    ({"tool/__init__.py": "", "tool/__main__.py": SEMANTICS}, ["-m", "tool", "x"]),
    ({"tool/__init__.py": "", "tool/cmd.py": SEMANTICS}, ["-m", "tool.cmd"]),
    ({"spawner.py": SPAWN}, ["-m", "spawner"]),
], ids=["module", "package-main", "submodule", "multiprocessing-spawn"])
def test_module_runs_as_python_m_runs_it(tmp_path: Path, make_env, files: dict[str, str],
                                         args: list[str]) -> None:
    _write(tmp_path, files)
    plain, traced = _both(tmp_path, make_env, args)
    assert plain.returncode == 0, plain.stderr
    assert (traced.stdout, traced.stderr, traced.returncode) == (
        plain.stdout, plain.stderr, plain.returncode)
    assert b"__main__" in plain.stdout or plain.stdout == b"[1, 4, 9]\n"
    meta = json.loads((tmp_path / "out" / "trace_metadata.json").read_text(encoding="utf-8"))
    assert meta["module"] is not None and meta["program"].endswith(".py")


@pytest.mark.parametrize(("files", "expected"), [
    ({"test_a.py": PYTEST_FILES["passing"]}, 0),
    ({"test_a.py": PYTEST_FILES["failing"]}, 1),
    ({"test_a.py": PYTEST_FILES["passing"], "conftest.py": "import no_such_module_xyz\n"}, 4),
    ({"notests.txt": ""}, 5),
], ids=["ok", "failed", "usage", "no-tests"])
def test_pytest_exit_statuses_pass_through(tmp_path: Path, make_env, files: dict[str, str],
                                           expected: int) -> None:
    _write(tmp_path, files)
    # The statuses are pytest's documented ones; the plain run is not repeated here (time).
    traced = subprocess.run([sys.executable, "-m", "recorder", "--trace-dir", "out", "-m",
                             "pytest", "-q", "-p", "no:cacheprovider"], cwd=tmp_path,
                            env=make_env(), capture_output=True, timeout=120)
    assert traced.returncode == expected, traced.stderr
    meta = json.loads((tmp_path / "out" / "trace_metadata.json").read_text(encoding="utf-8"))
    assert meta["process_exit_status"]["code"] == expected
    assert meta["module"] == "pytest.__main__"


def test_uncaught_exception_in_a_module_is_20(tmp_path: Path, make_env) -> None:
    _write(tmp_path, {"boom.py": "raise ValueError('no')\n"})
    plain, traced = _both(tmp_path, make_env, ["-m", "boom"])
    assert (plain.returncode, traced.returncode) == (1, 20)
    assert traced.stderr == plain.stderr and b"ValueError: no" in traced.stderr


def test_the_fault_injection_runner_runs_modules_too(tmp_path: Path, make_env) -> None:
    _write(tmp_path, {"semantics.py": SEMANTICS})
    done = subprocess.run([sys.executable, "-m", "fault_injection", "exec", "--trace-dir", "out",
                           "-m", "semantics"], cwd=tmp_path, env=make_env(), capture_output=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"__main__ semantics")
    assert (tmp_path / "out" / "trace.json").is_file()
