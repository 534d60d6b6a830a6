"""``recorder.structs`` behaves as ``dataclasses`` for every shape the recorder uses.

Each shape is declared twice, as a ``@dataclass`` and as a ``@struct``, and the same operations
must give the same results (the repr up to the decorator's class name). The last test walks the
recorder's modules: no record class inherits fields from another (``struct`` does not collect a
base class's fields, which ``dataclass`` would).
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest

import recorder
from recorder.structs import as_dict, field, field_names, replace, struct


def _shapes(deco: Callable[..., Any], fld: Callable[..., Any], frozen_deco: Callable[..., Any],
            slots_deco: Callable[..., Any]) -> dict[str, type]:
    @deco
    class Plain:
        a: int
        b: str = "b"

    @deco
    class Factory:
        items: list[int] = fld(default_factory=list)
        hidden: int = fld(default=0, repr=False, compare=False)

    @frozen_deco
    class Frozen:
        x: int
        y: tuple[int, ...] = ()

    @slots_deco
    class Slotted:
        n: int
        tag: str | None = None

    @deco
    class Posted:
        a: int
        double: int = 0

        def __post_init__(self) -> None:
            self.double = 2 * self.a

    return {"plain": Plain, "factory": Factory, "frozen": Frozen, "slotted": Slotted,
            "posted": Posted}


DATA = _shapes(dataclasses.dataclass, dataclasses.field, dataclasses.dataclass(frozen=True),
               dataclasses.dataclass(frozen=True, slots=True))
STRUCT = _shapes(struct(), field, struct(frozen=True), struct(frozen=True, slots=True))

#: (shape, positional args, keyword args) to build each record with.
CASES = [
    ("plain", (1,), {}), ("plain", (1, "x"), {}), ("plain", (), {"a": 2, "b": "y"}),
    ("factory", (), {}), ("factory", ([1, 2],), {"hidden": 5}),
    ("frozen", (3,), {}), ("frozen", (3, (1, 2)), {}),
    ("slotted", (4,), {"tag": "t"}), ("posted", (5,), {}),
]


@pytest.mark.parametrize("shape, args, kwargs", CASES)
def test_a_struct_acts_as_the_same_dataclass(shape: str, args: tuple[Any, ...],
                                             kwargs: dict[str, Any]) -> None:
    data_cls, struct_cls = DATA[shape], STRUCT[shape]
    data, made = data_cls(*args, **kwargs), struct_cls(*args, **kwargs)
    assert repr(made) == repr(data)
    assert field_names(made) == tuple(f.name for f in dataclasses.fields(data))
    assert as_dict(made) == dataclasses.asdict(data)
    assert (made == struct_cls(*args, **kwargs)) == (data == data_cls(*args, **kwargs))
    changed = {field_names(made)[0]: 7}
    assert as_dict(replace(made, **changed)) == dataclasses.asdict(dataclasses.replace(data,
                                                                                        **changed))
    hashable = data_cls.__hash__ is not None
    assert (struct_cls.__hash__ is not None) == hashable
    if hashable:
        assert hash(made) == hash(struct_cls(*args, **kwargs))
    frozen = shape in ("frozen", "slotted")
    for record in (made, data):
        with pytest.raises(AttributeError) if frozen else _nothing():
            setattr(record, field_names(made)[0], 9)
    assert hasattr(made, "__dict__") == hasattr(data, "__dict__")


def test_missing_and_unknown_arguments_fail_as_for_a_dataclass() -> None:
    for cls in (DATA["plain"], STRUCT["plain"]):
        with pytest.raises(TypeError):
            cls()
        with pytest.raises(TypeError):
            cls(1, c=2)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def test_no_record_class_of_the_recorder_inherits_fields() -> None:
    found = 0
    for module in pkgutil.walk_packages(recorder.__path__, "recorder."):
        if module.name.endswith("__main__"):
            continue
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, type) and "__struct_fields__" in value.__dict__:
                found += 1
                bases = value.__mro__[1:]
                assert not any("__struct_fields__" in vars(base) for base in bases), value
    assert found >= 10  # the walk did find the records
