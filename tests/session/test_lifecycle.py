"""One lifecycle for session, recording and writer: allowed moves only, loudly otherwise."""

from __future__ import annotations

import subprocess
import sys

import pytest

from recorder.errors import ErrorCode, InternalError
from recorder.lifecycle import Lifecycle, State

ALLOWED = {
    (State.NEW, State.TRACING), (State.NEW, State.STOPPED),
    (State.TRACING, State.DETACHED), (State.TRACING, State.STOPPED),
    (State.DETACHED, State.STOPPED),
}


def at(state: State) -> Lifecycle:
    life = Lifecycle("test")
    path = {State.NEW: [], State.TRACING: [State.TRACING],
            State.DETACHED: [State.TRACING, State.DETACHED], State.STOPPED: [State.STOPPED]}
    for step in path[state]:
        life.move(step)
    return life


@pytest.mark.parametrize("old", list(State))
@pytest.mark.parametrize("new", list(State))
def test_transitions(old: State, new: State) -> None:
    life = at(old)
    if old is new or (old, new) in ALLOWED:
        life.move(new)
        assert life.state is new
        return
    with pytest.raises(InternalError) as raised:
        life.move(new)
    assert raised.value.code is ErrorCode.INVARIANT_VIOLATED
    assert raised.value.context == {"owner": "test", "state": old.value, "to": new.value}
    assert raised.value.message == f"test cannot go from {old.value} to {new.value}"
    assert life.state is old


@pytest.mark.parametrize("state", list(State))
def test_require(state: State) -> None:
    life = at(state)
    for wanted in State:
        if wanted is state:
            life.require(wanted, "start")
            continue
        with pytest.raises(InternalError) as raised:
            life.require(wanted, "start")
        assert raised.value.code is ErrorCode.INVARIANT_VIOLATED
        assert raised.value.message == f"test cannot start when {state.value}"
        assert raised.value.context == {"owner": "test", "state": state.value, "to": "start"}
    assert (life.active, life.stopped) == (state is State.TRACING, state is State.STOPPED)


def test_importing_the_facade_loads_nothing_else(make_env) -> None:  # type: ignore[no-untyped-def]
    code = ("import sys, recorder.errors\n"
            "print(sorted(m for m in sys.modules if m == 'recorder' or m.startswith('recorder.')))")
    out = subprocess.run([sys.executable, "-c", code], env=make_env(), capture_output=True,
                         text=True, check=True, timeout=60).stdout
    loaded = eval(out)  # a list literal printed by the child
    assert loaded and all(m == "recorder" or m.startswith("recorder.errors") for m in loaded), out


def test_nothing_reads_the_package_face_from_below() -> None:
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "recorder"
    offenders = []
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import) and any(a.name == "recorder" for a in node.names):
                offenders.append(f"{path.name}:{node.lineno} import recorder")
            if isinstance(node, ast.ImportFrom) and node.module == "recorder" and any(
                    a.name.startswith("__") for a in node.names):
                offenders.append(f"{path.name}:{node.lineno} from recorder import dunder")
    assert offenders == []
