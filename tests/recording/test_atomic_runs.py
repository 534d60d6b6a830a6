"""The writer's atomic runs hold no instruction at which CPython can switch threads.

Shared mode appends without a lock on the way of the thread that appended last, and the hot
entries check ``shared`` and append without one (``recorder.trace_threads``). That is correct only
because the GIL cannot be handed over inside those runs of instructions: CPython switches threads
(and, from 3.12 on, collects garbage) only at calls, function entries and backward jumps, and on
3.11 the collector may also run when a container is allocated. The runs are marked in the source
between ``# -- atomic`` and ``# -- end atomic``; this test reads the bytecode the running
interpreter compiled for each marked run and finds any instruction that breaks the rule, so a
``len()`` or a ``list.append`` added to one fails here rather than as a rare, silent reordering of
events under load. The checker is shown to catch each kind of breach on deliberately broken code.
"""

from __future__ import annotations

import dis
import importlib
import inspect
import io
import tokenize
import types
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

START, END = "# -- atomic", "# -- end atomic"

#: The runs the shared mode depends on: module -> the functions that must hold one.
REQUIRED = {
    "recorder.trace_writer": {"emit_batch": 1, "call": 1, "ret": 1, "flush": 2},
    "recorder.trace_threads": {"start_sharing": 1, "_append": 1, "_put": 1},
}

#: Opcodes at which the GIL may be handed over (calls, backward jumps, iteration, context
#: managers) or, on 3.11, the collector may run (a new container).
_FORBIDDEN_PREFIXES = ("CALL", "PRECALL")
_FORBIDDEN = {
    "BUILD_LIST", "BUILD_TUPLE", "BUILD_MAP", "BUILD_SET", "BUILD_CONST_KEY_MAP", "LIST_APPEND",
    "LIST_EXTEND", "SET_ADD", "MAP_ADD", "GET_ITER", "FOR_ITER", "BEFORE_WITH", "YIELD_VALUE",
    "SEND", "MAKE_FUNCTION", "IMPORT_NAME", "LOAD_BUILD_CLASS",
}


@dataclass(frozen=True)
class Run:
    function: str
    first: int  # line numbers of the marked run, markers excluded
    last: int


def marked_runs(source: str) -> list[tuple[int, int]]:
    """(first, last) line of each run between the markers in ``source``."""
    runs: list[tuple[int, int]] = []
    opened: int | None = None
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        line = token.start[0]
        if token.string.startswith(END):
            assert opened is not None, f"line {line}: an end marker without a start"
            runs.append((opened + 1, line - 1))
            opened = None
        elif token.string.startswith(START):
            assert opened is None, f"line {line}: a run opened inside another"
            opened = line
    assert opened is None, f"line {opened}: a run that never ends"
    return runs


def _code_objects(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)


def breaches(
    source: str, filename: str, classes: tuple[type, ...],
) -> tuple[list[Run], list[str]]:
    """The marked runs of ``source`` and every instruction in them that breaks the rule."""
    module_code = compile(source, filename, "exec")
    runs: list[Run] = []
    found: list[str] = []
    for first, last in marked_runs(source):
        inside = [
            (code, instruction)
            for code in _code_objects(module_code)
            for instruction in dis.get_instructions(code)
            if instruction.positions is not None and instruction.positions.lineno is not None
            and first <= instruction.positions.lineno <= last
        ]
        assert inside, f"{filename}:{first}: a marked run with no instructions"
        owners = {code.co_name for code, _ in inside}
        assert len(owners) == 1, f"{filename}:{first}: a run spans functions {owners}"
        runs.append(Run(owners.pop(), first, last))
        for _, instruction in inside:
            where = f"{filename}:{instruction.positions.lineno}"  # type: ignore[union-attr]
            name = instruction.opname
            if name.startswith(_FORBIDDEN_PREFIXES) or "BACKWARD" in name or name in _FORBIDDEN:
                found.append(f"{where}: {name} {instruction.argrepr}".rstrip())
            elif name in ("LOAD_ATTR", "STORE_ATTR") and _is_property(classes, instruction.argval):
                found.append(f"{where}: {name} {instruction.argval} (a property runs code)")
    return runs, found


def _is_property(classes: tuple[type, ...], name: object) -> bool:
    return isinstance(name, str) and any(
        isinstance(inspect.getattr_static(cls, name, None), property) for cls in classes)


def _module_classes(module: types.ModuleType) -> tuple[type, ...]:
    from recorder.trace_writer import ThreadSlot, TraceWriter

    own = tuple(v for v in vars(module).values() if isinstance(v, type))
    return (*own, TraceWriter, ThreadSlot)


@pytest.mark.parametrize("module_name", sorted(REQUIRED))
def test_the_writers_atomic_runs_hold_no_switch_point(module_name: str) -> None:
    module = importlib.import_module(module_name)
    source = inspect.getsource(module)
    runs, found = breaches(source, module_name, _module_classes(module))
    assert found == []
    held: dict[str, int] = {}
    for run in runs:
        held[run.function] = held.get(run.function, 0) + 1
    assert held == REQUIRED[module_name]


# The checker on deliberately broken runs: each must be caught.

_BROKEN = {
    "a builtin call": """
        def append(self, unit):
            # -- atomic
            if not self.shared:
                self._buf += unit
                self.count = len(self._buf)
            # -- end atomic
    """,
    "a method call": """
        def append(self, event):
            # -- atomic
            if not self.shared:
                self._buf.append(event)
            # -- end atomic
    """,
    "a loop": """
        def append(self, unit):
            # -- atomic
            if not self.shared:
                for event in unit:
                    self._buf += event
            # -- end atomic
    """,
    "a container built inside": """
        def append(self, event):
            # -- atomic
            if not self.shared:
                self._buf += [event]
            # -- end atomic
    """,
    "a property read": """
        class Writer:
            @property
            def shared(self):
                return False

            def append(self, unit):
                # -- atomic
                if not self.shared:
                    self._buf += unit
                # -- end atomic
    """,
}


@pytest.mark.parametrize("breach", sorted(_BROKEN))
def test_the_checker_catches(breach: str) -> None:
    source = inspect.cleandoc(_BROKEN[breach]) + "\n"
    namespace: dict[str, object] = {}
    exec(compile(source, "<broken>", "exec"), namespace)
    classes = tuple(v for v in namespace.values() if isinstance(v, type))
    runs, found = breaches(source, "<broken>", classes)
    assert [run.function for run in runs] == ["append"]
    assert found, f"{breach} was not caught"


def test_the_checker_accepts_a_clean_run() -> None:
    source = inspect.cleandoc("""
        def append(self, unit, size):
            one = [unit]
            # -- atomic
            if not self.shared:
                self._buf += one
                self._size += size
                return self._size - 1
            # -- end atomic
            return -1
    """) + "\n"
    runs, found = breaches(source, "<clean>", ())
    assert len(runs) == 1 and found == []
