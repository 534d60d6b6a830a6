"""Record classes like ``@dataclass``, without importing :mod:`dataclasses` at start-up.

``import dataclasses`` loads ``inspect``, ``ast``, ``dis`` and ``tokenize`` (about 10 ms of the
recorder's start-up on 3.12), and each ``@dataclass`` compiles six methods from source (about
0.5 ms a class; the recorder has two dozen). :func:`struct` keeps what the recorder's records
use of it, with the same semantics: the ``__init__`` (one compiled function, so the interpreter
itself checks the arguments), ``__repr__``, ``__eq__`` (same class, fields compared in order),
``__hash__`` (frozen records hash their compared fields; mutable ones are unhashable), frozen
records refusing assignment with ``AttributeError``, ``__post_init__``, ``slots=True``, and
:func:`field` with ``default``, ``default_factory``, ``compare`` and ``repr``. :func:`replace`
and :func:`as_dict` stand in for ``dataclasses.replace`` and ``dataclasses.asdict`` (shallow:
the records hold flat values). Type checkers see dataclasses (``typing.dataclass_transform``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform

__all__ = ["as_dict", "field", "field_names", "replace", "struct"]

T = TypeVar("T")
_MISSING: Any = object()
# The marker default of a field with a factory: the generated __init__ calls the factory.
_FACTORY: Any = object()


class _Field:
    __slots__ = ("compare", "default", "factory", "repr")

    def __init__(
        self, default: object, factory: Callable[[], object] | None, compare: bool, repr: bool,
    ) -> None:
        self.default, self.factory, self.compare, self.repr = default, factory, compare, repr


def field(
    *, default: Any = _MISSING, default_factory: Callable[[], Any] | None = None,
    compare: bool = True, repr: bool = True,
) -> Any:
    """A field's options, as ``dataclasses.field`` takes them."""
    return _Field(default, default_factory, compare, repr)


@dataclass_transform(field_specifiers=(field,))
def struct(*, frozen: bool = False, slots: bool = False) -> Callable[[type[T]], type[T]]:
    """The class decorator: ``@struct()`` as ``@dataclass``, ``@struct(frozen=True)``, ..."""

    def build(cls: type[T]) -> type[T]:
        return _build(cls, frozen, slots)

    return build


def field_names(obj: object) -> tuple[str, ...]:
    """The fields of a record (or record class), in declaration order."""
    owner = obj if isinstance(obj, type) else type(obj)
    names: tuple[str, ...] = owner.__dict__["__struct_fields__"]
    return names


def replace(obj: T, **changes: Any) -> T:
    """A copy of the record ``obj`` with ``changes`` (as ``dataclasses.replace``)."""
    values = {name: getattr(obj, name) for name in field_names(obj)}
    values.update(changes)
    return type(obj)(**values)


def as_dict(obj: object) -> dict[str, Any]:
    """The record's fields as a dict (shallow: the recorder's records hold flat values)."""
    return {name: getattr(obj, name) for name in field_names(obj)}


def _build(cls: type[T], frozen: bool, slots: bool) -> type[T]:
    body = cls.__dict__
    names = tuple(name for name, note in body.get("__annotations__", {}).items()
                  if not str(note).startswith(("ClassVar", "typing.ClassVar")))
    specs: dict[str, _Field] = {}
    for name in names:
        value = body.get(name, _MISSING)
        spec = value if isinstance(value, _Field) else _Field(value, None, True, True)
        specs[name] = spec
        if isinstance(value, _Field):
            if spec.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, spec.default)
    if slots:
        cls = _slotted(cls, names)
    namespace: dict[str, Any] = {"_set": object.__setattr__}
    params, lines = [], []
    for name in names:
        spec = specs[name]
        if spec.factory is not None:
            namespace[f"_d_{name}"], namespace[f"_f_{name}"] = _FACTORY, spec.factory
            params.append(f"{name}=_d_{name}")
            value = f"_f_{name}() if {name} is _d_{name} else {name}"
        else:
            if spec.default is not _MISSING:
                namespace[f"_d_{name}"] = spec.default
                params.append(f"{name}=_d_{name}")
            else:
                params.append(name)
            value = name
        lines.append(f"_set(self, {name!r}, {value})" if frozen else f"self.{name} = {value}")
    if hasattr(cls, "__post_init__"):
        lines.append("self.__post_init__()")
    source = f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(lines or ["pass"])
    exec(source, namespace)  # our own field names only, as dataclasses does
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    compared = tuple(name for name in names if specs[name].compare)
    shown = tuple(name for name in names if specs[name].repr)
    methods: dict[str, Any] = {
        "__struct_fields__": names, "__init__": init, "__repr__": _repr(shown),
        "__eq__": _eq(compared),
    }
    if frozen:
        methods.update(__setattr__=_Frozen.__setattr__, __delattr__=_Frozen.__delattr__)
    if "__hash__" not in body:
        methods["__hash__"] = _hash(compared) if frozen else None
    for name, value in methods.items():
        if name not in body or name == "__struct_fields__":
            setattr(cls, name, value)
    return cls


def _slotted(cls: type[T], names: tuple[str, ...]) -> type[T]:
    # Slots cannot be added to an existing class: make it again, as dataclasses does.
    body = {key: value for key, value in cls.__dict__.items()
            if key not in names and key not in ("__dict__", "__weakref__")}
    body["__slots__"] = names
    body["__qualname__"] = cls.__qualname__
    made: type[T] = type(cls.__name__, cls.__bases__, body)
    return made


def _repr(shown: tuple[str, ...]) -> Callable[[object], str]:
    def __repr__(self: object) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{type(self).__qualname__}({inner})"

    return __repr__


def _eq(compared: tuple[str, ...]) -> Callable[[object, object], bool]:
    def __eq__(self: object, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        # Tuples, as dataclasses compares: identical values are equal (NaN included).
        mine = tuple(getattr(self, name) for name in compared)
        return mine == tuple(getattr(other, name) for name in compared)

    return __eq__


def _hash(compared: tuple[str, ...]) -> Callable[[object], int]:
    def __hash__(self: object) -> int:
        return hash(tuple(getattr(self, name) for name in compared))

    return __hash__


class _Frozen:
    """Where frozen records take their ``__setattr__`` and ``__delattr__`` from."""

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")
