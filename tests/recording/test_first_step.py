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
#: A program whose settrace hook rebinds ``x`` in ``f`` at line LINE (as a debugger's "!x = 99").
SETTRACE_HOOK = """
import sys

def f(x):
BODY

def tracer(frame, event, arg):
    if frame.f_code.co_name != "f":
        return None
    if event == "line" and frame.f_lineno == LINE:
        frame.f_locals["x"] = 99
        if sys.version_info < (3, 13):
            import ctypes
            ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))
    return tracer

sys.settrace(tracer)
print(f(1))
sys.settrace(None)
"""
HOOKS = {
    "settrace": SETTRACE_HOOK.replace("BODY", "    y = x + 1\n    return y").replace("LINE", "4"),
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


# ------------------------------------------------------------------ every Step (args_only)

#: Functions whose later Steps may or may not reuse the arguments, and a program calling them.
EVERY_PROGRAM = '''
import sys


def pure(a, b):
    if a > b:
        return a - b
    return b - a


def rebinds(x):
    if x:
        x = x + 1
    return x


def deletes(a, b):
    if a:
        del a
    return b


def mutates(items):
    items.append(len(items))
    return len(items)


def nested(n):
    if n > 0:
        nested(n - 1)
    return n


def loops(n):
    total = 0
    for i in range(n):
        total += i
    return total


def shout(s, b):
    if s:
        return s.upper() + b.decode()
    return s


def poke():
    # Rebinds its caller's variable through f_locals: PEP 667 makes this write through (3.13).
    sys._getframe(1).f_locals["v"] = 99


def victim(v):
    poke()
    return v


print(pure(5, 2), pure(1, 4), rebinds(3), deletes(1, 2), mutates([7]), nested(3), loops(4),
      pure(2.5, 1.0), pure(True, None is None), shout("hey", b"!"), victim(1))
'''

#: Which functions may reuse the arguments at every Step (before 3.13: see _LOCALS_PRIVATE).
EVERY_EXPECTED = {
    "pure": True, "rebinds": False, "deletes": False, "mutates": True, "nested": True,
    "loops": False, "shout": True, "victim": True,
}

LOG_EVERY = """
    import json, os
    from recorder.tracing import frames
    declare = frames.FrameRecorder._declare
    def logged(self, frame, info):
        found = declare(self, frame, info)
        with open(os.environ["DECISIONS"], "a") as out:
            out.write(json.dumps([info.code.co_name, info.args_only]) + "\\n")
        return found
    frames.FrameRecorder._declare = logged
"""
EVERY_OFF = """
    from recorder.tracing import frames
    frames._LOCALS_PRIVATE = False
"""
#: 3.13's f_locals writes through: what the recorder would get wrong if it reused there too.
EVERY_ON = """
    from recorder.tracing import frames
    frames._LOCALS_PRIVATE = True
"""
#: Broken variants: each drops one condition of the reuse.
EVERY_BROKEN = {
    "ignores stores": EVERY_ON + "    frames.writes_locals = lambda code: False\n",
    "ignores mutable arguments": EVERY_ON + """
    class Everything(frozenset):
        def __contains__(self, item):
            return True
    frames._SCALARS = Everything()
""",
}


@pytest.fixture
def every_program(tmp_path: Path) -> Path:
    path = tmp_path / "every.py"
    path.write_text(EVERY_PROGRAM, encoding="utf-8")
    return path


def test_every_step_reuse_is_decided_per_function(
    every_program: Path, run: tuple[Any, Any], tmp_path: Path,
) -> None:
    _record(run, tmp_path, "logged", LOG_EVERY, "every.py")
    lines = (tmp_path / "decisions.jsonl").read_text(encoding="utf-8").splitlines()
    decided = dict(json.loads(line) for line in lines)
    private = sys.version_info < (3, 13)
    assert {name: decided[name] for name in EVERY_EXPECTED} == {
        name: reuse and private for name, reuse in EVERY_EXPECTED.items()}


@pytest.mark.parametrize("variant", ["real", *sorted(EVERY_BROKEN)])
def test_every_step_records_what_f_locals_holds(
    variant: str, every_program: Path, run: tuple[Any, Any], tmp_path: Path,
) -> None:
    reference = _record(run, tmp_path, "off", EVERY_OFF, "every.py")
    recorded = _record(run, tmp_path, "on", EVERY_BROKEN.get(variant, ""), "every.py")
    assert (recorded == reference) == (variant == "real")


def test_from_3_13_a_callee_may_rebind_its_callers_variables(
    every_program: Path, run: tuple[Any, Any], tmp_path: Path,
) -> None:
    """Why every-Step reuse stops at 3.13: ``victim``'s later Step would show ``v`` stale."""
    reference = _record(run, tmp_path, "off", EVERY_OFF, "every.py")
    forced = _record(run, tmp_path, "on", EVERY_ON, "every.py")
    assert any('"i": 99' in line for line in reference) == (sys.version_info >= (3, 13))
    assert (forced == reference) == (sys.version_info < (3, 13))


#: The hook at the second Step of a function that binds no variable (args_only).
LATER_HOOK = SETTRACE_HOOK.replace(
    "BODY", "    if x:\n        return x + 1\n    return 0").replace("LINE", "5")


@pytest.mark.parametrize("variant", ["real", "broken"])
def test_a_hook_that_changes_an_argument_at_a_later_step_is_seen(
    variant: str, run: tuple[Any, Any], tmp_path: Path,
) -> None:
    if sys.version_info < (3, 12):
        pytest.skip("on 3.11 the recorder is the settrace hook")
    (tmp_path / "hook.py").write_text(LATER_HOOK.lstrip(), encoding="utf-8")
    reference = _record(run, tmp_path, "off", EVERY_OFF + REUSE_OFF, "hook.py")
    assert any('"i": 99' in line for line in reference)  # the hook did change x
    prelude = EVERY_ON + ("" if variant == "real" else IGNORE_HOOK.format(hook="trace"))
    recorded = _record(run, tmp_path, "on", prelude, "hook.py")
    assert (recorded == reference) == (variant == "real")
