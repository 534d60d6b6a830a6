"""In the default ``safe`` mode, recording a value runs none of the program's code.

An audit through ``sys.setprofile`` sees every Python-level call: encoding each hostile object
below (as a value, inside a list, as a dict value, as a dict key, nested in an object's fields)
must not call a single function defined in this file. In ``repr`` mode the documented one,
``__repr__``, runs. The end-to-end check (a traced program prints exactly what the untraced one
prints, although every protocol method has a side effect) is ``examples/hostile_side_effects.py``
in the recorded-examples test, and below for both modes.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from recorder.values import ValueEncoder

HERE = __file__
REPO = Path(__file__).resolve().parents[2]


class Noisy:
    def __repr__(self) -> str:
        return "Noisy()"

    def __str__(self) -> str:
        return "noisy"

    def __len__(self) -> int:
        return 1

    def __iter__(self) -> Iterator[int]:
        return iter(())

    def __bool__(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return 7

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(name)

    @property
    def lazy(self) -> int:
        return 1


class Watched:
    def __init__(self) -> None:
        self.inner = Noisy()

    def __getattribute__(self, name: str) -> Any:
        return object.__getattribute__(self, name)


class Slots:
    __slots__ = ("a",)

    def __init__(self) -> None:
        self.a = Noisy()


class SubList(list[Any]):
    def __len__(self) -> int:
        return 99

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __getitem__(self, index: Any) -> Any:
        return None


class SubDict(dict[Any, Any]):
    def items(self) -> Any:
        return []

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __len__(self) -> int:
        return 0


class SubStr(str):
    def __str__(self) -> str:
        return "other"

    def __getitem__(self, index: Any) -> str:
        return "x"

    def __len__(self) -> int:
        return 0


class SubInt(int):
    def __int__(self) -> int:
        return 0

    def __index__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "SubInt"


class ClassProperty:
    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return int


class DictProperty:
    @property  # type: ignore[misc]
    def __dict__(self) -> dict[str, Any]:  # type: ignore[override]
        return {"faked": 1}


HOSTILE: list[tuple[str, Callable[[], object]]] = [
    ("protocol methods", Noisy),
    ("__getattribute__", Watched),
    ("__slots__", Slots),
    ("list subclass", lambda: SubList([Noisy(), 2])),
    ("dict subclass", lambda: SubDict(k=Noisy())),
    ("str subclass", lambda: SubStr("text")),
    ("int subclass", lambda: SubInt(5)),
    ("__class__ property", ClassProperty),
    ("__dict__ property", DictProperty),
]
PROGRAM_CLASSES = frozenset({"Noisy", "Watched", "Slots", "SubList", "SubDict", "SubStr", "SubInt",
                             "ClassProperty", "DictProperty"})
SHAPES: list[tuple[str, Callable[[object], object]]] = [
    ("value", lambda v: v),
    ("in a list", lambda v: [1, v]),
    ("dict value", lambda v: {"k": v}),
    ("dict key", lambda v: {v: 1} if _hashable(v) else {1: v}),
    ("in a tuple in a set", lambda v: {(1, id(v))} and (v,)),
]


def _hashable(value: object) -> bool:
    return type(value).__hash__ is not None


@contextmanager
def program_calls() -> Iterator[list[str]]:
    """Names of the functions of this file called while the block runs (encoder calls only)."""
    seen: list[str] = []

    def profile(frame: Any, event: str, arg: Any) -> None:
        code = frame.f_code
        if event == "call" and code.co_filename == HERE and (
                code.co_qualname.split(".")[0] in PROGRAM_CLASSES):
            seen.append(code.co_name)

    sys.setprofile(profile)
    threading.setprofile(profile)
    try:
        yield seen
    finally:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]


class Types:
    def __init__(self) -> None:
        self.n = 0

    def type_id(self, kind: int, lang_type: str) -> int:
        self.n += 1
        return self.n

    def struct_type_id(self, lang_type: str, fields: list[tuple[str, int]]) -> int:
        self.n += 1
        return self.n


@pytest.mark.parametrize("make", [h[1] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
@pytest.mark.parametrize("shape", [s[1] for s in SHAPES], ids=[s[0] for s in SHAPES])
def test_safe_mode_runs_no_program_code(
    make: Callable[[], object], shape: Callable[[object], object]
) -> None:
    value = shape(make())
    encoder = ValueEncoder(Types())
    with program_calls() as seen:
        record = encoder.encode(value)
        encoder.encode_variable("field", value)
    assert seen == []
    assert record["kind"] != "Error" and encoder.failures == 0


def test_safe_mode_reads_subclasses_with_the_base_type_s_own_methods() -> None:
    encoder = ValueEncoder(Types())
    assert [e.get("i") for e in encoder.encode(SubList([1, 2]))["elements"]] == [1, 2]
    assert encoder.encode(SubStr("text"))["text"] == "text"
    assert encoder.encode(SubInt(5))["i"] == 5
    pairs = encoder.encode(SubDict(k=3))["elements"]
    assert [(p["elements"][0]["text"], p["elements"][1]["i"]) for p in pairs] == [("k", 3)]
    # Never what a __dict__ property returns (such a class has no real instance dict slot).
    record = encoder.encode(DictProperty())
    assert record["kind"] == "Raw" and "faked" not in str(record)


def test_repr_mode_runs_the_documented_repr() -> None:
    encoder = ValueEncoder(Types(), value_repr=True)
    with program_calls() as seen:
        record = encoder.encode([Noisy()])
    assert seen == ["__repr__"]
    assert record["elements"][0]["r"] == "Noisy()"


def _run(*recorder_args: str, tmp: Path) -> bytes:
    script = REPO / "examples" / "hostile_side_effects.py"
    command = [sys.executable, str(script)]
    if recorder_args:
        command = [sys.executable, "-m", "recorder", *recorder_args, "--trace-dir",
                   str(tmp / "trace"), str(script)]
    return subprocess.run(command, capture_output=True, check=True, timeout=120,
                          cwd=tmp).stdout


def test_the_traced_program_behaves_as_untraced_only_in_safe_mode(tmp_path: Path) -> None:
    untraced = _run(tmp=tmp_path)
    assert _run("--value-repr", "safe", tmp=tmp_path) == untraced
    changed = _run("--value-repr", "repr", tmp=tmp_path)
    assert changed != untraced  # repr() sorted the registry, as it breaks markdown's tables
    assert b"registry order: ['a', 'b', 'c']" in changed
    assert b"registry order: ['b', 'a', 'c']" in untraced
