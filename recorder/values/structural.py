"""Reading a program's objects without running any of the program's code.

The encoder looks at values through this module only. Everything here goes through C-level
operations of the *base* types, never through what a class of the program may override:

* a class's name, module and method resolution order come from ``type``'s own descriptors, and
  its namespace from ``type.__dict__['__dict__']`` (a read-only mapping proxy);
* an instance's fields are its ``__dict__`` (found as the ``getset_descriptor`` CPython installs,
  never a ``__dict__`` property of the class) and its ``__slots__`` (the ``member_descriptor`` of
  each slot): no property, no descriptor of the program, no ``__getattr__`` or
  ``__getattribute__`` override is ever evaluated;
* the builtin base of a subclass (a ``dict`` subclass, an ``IntEnum``, a ``str`` subclass) is
  read with that base's own methods (``dict.items``, ``list.__getitem__``, ``int.__repr__``).

``repr``, ``str``, ``__iter__``, ``__len__``, ``__bool__``, ``__eq__`` and ``__hash__`` of a
program object are never called; identity is ``id()``. The one exception is the opt-in
``--value-repr repr`` mode of the encoder, which calls ``repr()`` as older recorders do.
"""

from __future__ import annotations

import types
from typing import Any

__all__ = [
    "BUILTIN_BASES",
    "Shape",
    "builtin_base",
    "class_name",
    "is_enum_member",
    "is_program_type",
    "safe_summary",
]

_TYPE_DICT = type.__dict__["__dict__"]
_TYPE_MRO = type.__dict__["__mro__"]
_TYPE_NAME = type.__dict__["__qualname__"]
_TYPE_MODULE = type.__dict__["__module__"]
_GETSET = types.GetSetDescriptorType
_MEMBER = types.MemberDescriptorType
_HEAPTYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: a class defined in Python (or by type())

#: The builtin types whose subclasses are read with the base type's own C methods.
BUILTIN_BASES: tuple[type, ...] = (
    bool, int, float, complex, str, bytes, bytearray, list, tuple, dict, set, frozenset)


def _mro(cls: type) -> tuple[type, ...]:
    try:
        mro = _TYPE_MRO.__get__(cls)
    except Exception:  # noqa: REC005 - an unusual metaclass: fall back to the class alone
        return (cls,)
    return mro if type(mro) is tuple else (cls,)


def _namespace(cls: type) -> Any:
    try:
        return _TYPE_DICT.__get__(cls)
    except Exception:  # noqa: REC005 - no namespace to read: no fields from it
        return {}


def class_name(cls: type) -> str:
    """``module.QualName`` of ``cls`` (``QualName`` for builtins), without calling its code."""
    try:
        name = _TYPE_NAME.__get__(cls)
        module = _TYPE_MODULE.__get__(cls)
    except Exception:  # noqa: REC005 - a name for display only
        return "?"
    if type(name) is not str:
        return "?"
    if type(module) is not str or module == "builtins":
        return name
    return f"{module}.{name}"


def builtin_base(cls: type) -> type | None:
    """The first builtin type of :data:`BUILTIN_BASES` in ``cls``'s MRO, or None."""
    for klass in _mro(cls):
        for base in BUILTIN_BASES:
            if klass is base:  # identity: ``in`` would call a metaclass's __eq__
                return base
    return None


def is_enum_member(cls: type) -> bool:
    """True for members of an ``enum.Enum`` class (found by name in the MRO: no import, no hook)."""
    return any(class_name(klass) == "enum.Enum" for klass in _mro(cls))


class Shape:
    """What the encoder needs to know about one class (the encoder caches one per class).

    ``kind`` is ``"enum"``, ``"builtin"`` (a subclass of ``base``), ``"struct"`` (readable
    fields: the ``__dict__`` descriptor and/or slot descriptors) or ``"summary"``.
    """

    __slots__ = ("base", "dict_descriptor", "kind", "name", "owner", "slots")

    def __init__(self, cls: type) -> None:
        self.owner = cls  # keeps the class alive while cached by id()
        self.name = class_name(cls)
        self.base = builtin_base(cls)
        self.dict_descriptor: Any = None
        self.slots: list[tuple[str, Any]] = []
        if self.base is None or is_enum_member(cls):
            self._find_storage(cls)
        if is_enum_member(cls):
            self.kind = "enum"
        elif self.base is not None:
            self.kind = "builtin"
        else:
            has_fields = self.dict_descriptor is not None or bool(self.slots)
            self.kind = "struct" if has_fields and is_program_type(cls) else "summary"

    def _find_storage(self, cls: type) -> None:
        seen: set[str] = set()
        for klass in _mro(cls):
            namespace = _namespace(klass)
            try:
                entries = (list(namespace.items())
                           if type(namespace) is types.MappingProxyType else [])
            except Exception:  # noqa: REC005 - an unreadable namespace contributes nothing
                entries = []
            for name, descriptor in entries:
                if type(name) is not str or name in seen:
                    continue
                kind = type(descriptor)
                if kind is _GETSET and name == "__dict__":
                    seen.add(name)
                    self.dict_descriptor = descriptor
                elif kind is _MEMBER and not name.startswith("__"):
                    seen.add(name)
                    self.slots.append((name, descriptor))

    def namespace(self, value: object) -> Any:
        """``value``'s instance ``__dict__`` as CPython's descriptor gives it; None without one."""
        descriptor = self.dict_descriptor
        if descriptor is None:
            return None
        try:
            return descriptor.__get__(value, type(value))
        except Exception:  # noqa: REC005 - no instance dict: no fields from it
            return None

    def fields(self, value: object) -> list[tuple[str, object]]:
        """``value``'s ``__dict__`` entries, then its set slots (no program code runs)."""
        return self.fields_from(value, self.namespace(value))

    def fields_from(self, value: object, namespace: Any) -> list[tuple[str, object]]:
        """:meth:`fields` with ``value``'s :meth:`namespace` already read (not read again)."""
        # The dict read with dict's own method, whether exact or a subclass (its methods never run).
        found: list[tuple[str, object]] = (
            [item for item in dict.items(namespace) if type(item[0]) is str]
            if issubclass(type(namespace), dict) else [])
        for name, descriptor in self.slots:
            try:
                found.append((name, descriptor.__get__(value, type(value))))
            except AttributeError:
                continue  # an unset slot: nothing to show
        return found


def safe_summary(value: object) -> str:
    """A fixed text for an object without readable fields (and for functions, classes, ...).

    Formats follow CPython's own ``repr`` where that runs no program code (functions, classes,
    generators, modules); anything else is ``<module.Type object at 0x...>``.
    """
    cls = type(value)
    address = f"0x{id(value):x}"
    if cls is types.FunctionType or cls is types.BuiltinFunctionType:
        name = value.__qualname__  # type: ignore[attr-defined]  # C getset of the exact type
        prefix = "function" if cls is types.FunctionType else "built-in function"
        return f"<{prefix} {name} at {address}>" if prefix == "function" else f"<{prefix} {name}>"
    if cls is types.MethodType:
        func = value.__func__  # type: ignore[attr-defined]
        if type(func) is types.FunctionType:
            return f"<bound method {func.__qualname__}>"
        return "<bound method>"
    if issubclass(cls, type):  # not isinstance(): that may read a faked __class__
        return f"<class '{class_name(value)}'>"  # type: ignore[arg-type]
    if cls is types.ModuleType:
        name = value.__dict__.get("__name__")  # the module's dict
        return f"<module {name!r}>" if type(name) is str else "<module>"
    for kind, gen_type in _GENERATORS:
        if cls is gen_type:
            return f"<{kind} object {value.__qualname__} at {address}>"  # type: ignore[attr-defined]
    return f"<{class_name(cls)} object at {address}>"


_GENERATORS = (("generator", types.GeneratorType), ("coroutine", types.CoroutineType),
               ("async_generator", types.AsyncGeneratorType))


def is_program_type(cls: type) -> bool:
    """True for classes defined in Python (heap types), whose methods may be program code."""
    try:
        flags = type.__dict__["__flags__"].__get__(cls)
    except Exception:  # noqa: REC005 - assume the worst
        return True
    return bool(flags & _HEAPTYPE) if type(flags) is int else True
