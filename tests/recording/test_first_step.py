"""The first Step of a call reuses the Call's argument Values only where they are the same.

``FrameRecorder`` skips reading ``f_locals`` at the first line of a frame whose visible
variables at that point can only be its arguments (``_first_step_is_args``). The program below
has a function of every shape that matters; it is recorded as is and with the reuse switched off
(the broken variant is the reuse switched on for every function), and the traces must be the same.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from recorder.trace_compare import normalise

PROGRAM = '''
import functools


def plain(a, b=2, *rest, key=None, **more):
    total = a + b
    return total


def closure_maker(x):
    def inner(y):
        return x + y
    return inner


def cell_arg(x):
    grab = lambda: x
    return grab()


def gen(n):
    for i in range(n):
        yield i


def secret(user, password):
    size = len(password)
    return size


class Box:
    def __init__(self, value):
        self.value = value

    def get(self, extra=0):
        return self.value + extra


@functools.lru_cache(maxsize=None)
def cached(n):
    return n * 2


def no_args():
    return 1


def one_line(v): return v * 3


plain(1, 5, 6, key="k", z=1)
closure_maker(3)(4)
cell_arg(5)
print(sum(gen(3)), secret("u", "hunter2"), Box(2).get(1), cached(4), no_args(), one_line(2))
lam = (lambda q: q + 1)(9)
'''

#: Which functions reuse their arguments (the others read f_locals at their first line).
EXPECTED = {
    "plain": True, "closure_maker": False, "inner": False, "cell_arg": False, "<lambda>": True,
    "gen": False, "secret": False, "__init__": True, "get": True, "cached": True,
    "no_args": False, "one_line": True,
}

LOG_DECISIONS = """
    import json, os
    from recorder.tracing.frames import FrameRecorder
    decide = FrameRecorder._first_step_is_args
    def logged(self, info):
        found = decide(self, info)
        with open(os.environ["DECISIONS"], "a") as out:
            out.write(json.dumps([info.code.co_name, found]) + "\\n")
        return found
    FrameRecorder._first_step_is_args = logged
"""
REUSE_OFF = """
    from recorder.tracing.frames import FrameRecorder
    FrameRecorder._first_step_is_args = lambda self, info: False
"""
#: The broken variant: every frame with arguments reuses them, closures and cells included.
REUSE_ALWAYS = """
    from recorder.tracing.frames import FrameRecorder
    FrameRecorder._first_step_is_args = lambda self, info: bool(info.args)
"""


def _record(
    run: tuple[Any, Any], tmp_path: Path, name: str, prelude: str, script: str = "prog.py",
) -> list[str]:
    run_recorder, make_env = run
    trace = tmp_path / name
    # DECISIONS: the log of LOG_DECISIONS (read only by the test that installs it).
    done = run_recorder(["--trace-dir", str(trace), script], prelude=prelude,
                        env=make_env(DECISIONS=str(tmp_path / "decisions.jsonl")))
    assert done.returncode == 0, done.stderr
    events = json.loads((trace / "trace.json").read_text(encoding="utf-8"))
    return normalise(events, str(tmp_path))


@pytest.fixture
def run(run_recorder: Any, make_env: Any) -> tuple[Any, Any]:
    return run_recorder, make_env


@pytest.fixture
def program(tmp_path: Path) -> Path:
    path = tmp_path / "prog.py"
    path.write_text(PROGRAM, encoding="utf-8")
    return path


def test_the_reuse_is_decided_per_function(
    program: Path, run: tuple[Any, Any], tmp_path: Path,
) -> None:
    _record(run, tmp_path, "logged", LOG_DECISIONS)
    lines = (tmp_path / "decisions.jsonl").read_text(encoding="utf-8").splitlines()
    decided = dict(json.loads(line) for line in lines)
    assert {name: decided[name] for name in EXPECTED} == EXPECTED


@pytest.mark.parametrize("variant", ["real", "broken"])
def test_the_first_step_records_what_f_locals_holds(
    variant: str, program: Path, run: tuple[Any, Any], tmp_path: Path,
) -> None:
    reference = _record(run, tmp_path, "off", REUSE_OFF)
    recorded = _record(run, tmp_path, "on", "" if variant == "real" else REUSE_ALWAYS)
    assert (recorded == reference) == (variant == "real")


# A hook of the program itself runs before the recorder's line callback (3.12+: its settrace and
# setprofile hooks are sys.monitoring tools with higher ids) or after the recorder's call event
# (3.11: setprofile), and may change a variable there, as a debugger's "!x = 99" does.
HOOKS = {
    "settrace": """
import sys

def f(x):
    y = x + 1
    return y

def tracer(frame, event, arg):
    if frame.f_code.co_name != "f":
        return None
    if event == "line" and frame.f_lineno == 4:
        frame.f_locals["x"] = 99
        if sys.version_info < (3, 13):
            import ctypes
            ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))
    return tracer

sys.settrace(tracer)
print(f(1))
sys.settrace(None)
""",
    "setprofile": """
import sys

def f(x):
    y = x + 1
    return y

def prof(frame, event, arg):
    if event == "call" and frame.f_code.co_name == "f":
        frame.f_locals["x"] = 99

sys.setprofile(prof)
print(f(1))
sys.setprofile(None)
""",
}
#: The broken variant: the reuse does not look for the program's hook of that kind.
IGNORE_HOOK = """
    import recorder.tracing.frames as frames
    frames._get{hook} = lambda: None
"""


@pytest.mark.parametrize("variant", ["real", "broken"])
@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_a_hook_of_the_program_that_changes_an_argument_is_seen(
    hook: str, variant: str, run: tuple[Any, Any], tmp_path: Path,
) -> None:
    if hook == "settrace" and sys.version_info < (3, 12):
        pytest.skip("on 3.11 the recorder is the settrace hook")
    if variant == "broken" and hook == "setprofile" and sys.version_info >= (3, 12):
        pytest.skip("3.12+ calls the profile hook before the recorder: the Call shows it too")
    (tmp_path / "hook.py").write_text(HOOKS[hook].lstrip(), encoding="utf-8")
    reference = _record(run, tmp_path, "off", REUSE_OFF, "hook.py")
    assert any('"i": 99' in line for line in reference)  # the hook did change x
    prelude = "" if variant == "real" else IGNORE_HOOK.format(hook=hook[3:])
    recorded = _record(run, tmp_path, "on", prelude, "hook.py")
    assert (recorded == reference) == (variant == "real")
