"""Program objects in a value: how the encoder records what is not an exact builtin type.

Mixed into :class:`recorder.values.encoder.ValueEncoder`. In the default ``safe`` mode nothing
here runs program code (the rules are :mod:`recorder.values.structural`'s):

* an ``enum.Enum`` member is ``Raw`` ``"module.Class.MEMBER"`` (its ``_name_`` field);
* a subclass of a builtin type is read with the base type's C methods and recorded like the
  base (``Int``, ``String``, ``Sequence``, ``Tuple``) under the subclass's name
  (``collections.OrderedDict``);
* an object of a Python class is a ``Struct`` of its ``__dict__`` and ``__slots__`` fields, under
  the depth, element and node budgets of containers, with cycles marked and secret-looking field
  names redacted; a C object without readable fields is a fixed ``Raw`` summary.

``--value-repr repr`` records such objects by ``repr()`` instead (``Raw``, type ``Object``).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from typing import TYPE_CHECKING, Any

from recorder.errors import ErrorCode, RecorderError, bug
from recorder.values.records import (
    I64_MAX,
    I64_MIN,
    KIND_FLOAT,
    KIND_INT,
    KIND_RAW,
    KIND_SEQ,
    KIND_STRING,
    KIND_TUPLE,
    REDACTED,
    Record,
    TypeTable,
    Walk,
    sortable,
    type_name,
)
from recorder.values.structural import Shape, safe_summary
from recorder.values.text import clip_bytes, clip_text, int_text

__all__ = ["ObjectEncoding"]

_SHAPE_CACHE = 4096


def _nothing(key: int) -> Shape | None:
    return None


class ObjectEncoding:
    """The program-object half of the encoder (see the module docstring)."""

    value_repr: bool
    _types: TypeTable
    _redact: bool
    attr_action: Callable[[str], str]
    _max_depth: int
    _max_elements: int
    _max_text: int
    _struct_tids: dict[tuple[str, tuple[str, ...]], int]
    _shapes: dict[int, Shape]  # id(class) -> its shape; the shape keeps the class alive

    if TYPE_CHECKING:  # provided by ValueEncoder
        def _raw(self, text: str, lang_type: str) -> Record: ...
        def _str(self, value: str) -> Record: ...
        def _error(self, msg: str) -> Record: ...
        def _type(self, kind: int, lang_type: str) -> int: ...
        def _failure(self, where: str, exc: Exception, walk: Walk) -> Record: ...
        def _enc(self, value: object, depth: int, walk: Walk) -> Record: ...
        def _elements(
            self, items: Any, total: int, depth: int, walk: Walk) -> list[Record]: ...
        def _dict_record(
            self, items: list[tuple[object, object]], total: int, lang_type: str, depth: int,
            walk: Walk) -> Record: ...

    def _other(self, value: object, depth: int, walk: Walk) -> Record:
        cls = type(value)
        if cls is bytes or cls is bytearray:
            return self._raw(clip_bytes(value, self._max_text), "Bytes")  # type: ignore[arg-type]
        cached = self._shapes.get(id(cls))
        if cached is None:
            if len(self._shapes) >= _SHAPE_CACHE:
                self._shapes.clear()  # bounded: programs that make classes without end exist
            cached = self._shapes[id(cls)] = Shape(cls)
        shape = cached
        name = shape.name
        if self.value_repr:
            # A repr shows fields (a dataclass's does): an object with a field that the trace
            # filter redacts or drops is recorded structurally instead, so the field stays hidden.
            found = shape.fields(value) if shape.kind == "struct" else []
            if not any(self.attr_action(field) != "allow" for field, _ in found):
                return self._by_repr(value, walk)
            return self._struct(value, name, found, depth, walk)
        if shape.kind == "struct":
            return self._struct(value, name, shape.fields(value), depth, walk)
        if shape.kind == "builtin" and shape.base is not None:
            return self._builtin_subclass(value, shape.base, name, depth, walk)
        if shape.kind == "enum":
            member = dict(shape.fields(value)).get("_name_")
            text = f"{name}.{member}" if type(member) is str else f"<{name} member>"
            return self._raw(text, name)
        return self._raw(clip_text(safe_summary(value), self._max_text), name)

    def known_shape(self, value: object) -> Shape | None:
        """The cached shape of ``value``'s class, for the fast text paths; None to use encode.

        None in the ``repr`` mode and for a class not seen yet (its first value goes through
        :meth:`encode`, which caches its shape). :mod:`recorder.tracing.valuejson` builds the same
        ``Struct`` (fields) and ``Raw`` summary (:func:`safe_summary`) text without records.
        """
        if self.value_repr:
            return None
        return self._shapes.get(id(type(value)))

    def shape_lookup(self) -> Callable[[int], Shape | None]:
        """:meth:`known_shape` as one C call: the lookup by ``id(type(value))`` (for hot paths).

        In the ``repr`` mode it finds nothing, as :meth:`known_shape`.
        """
        return _nothing if self.value_repr else self._shapes.get

    def struct_type(self, name: str, names: list[str], type_ids: list[int]) -> int:
        """The type id of a ``Struct`` of class ``name`` with these fields (declared once)."""
        return self._struct_type(name, names, type_ids)

    def raw_type(self, lang_type: str) -> int:
        """The type id of a ``Raw`` record of ``lang_type`` (declared once)."""
        return self._type(KIND_RAW, lang_type)

    def _by_repr(self, value: object, walk: Walk) -> Record:
        """The opt-in ``--value-repr repr`` mode: ``repr()`` runs the program's ``__repr__``."""
        if issubclass(type(value), str):
            # A str subclass (StrEnum, markup types) is still text; str.__str__ copies it in C
            # without calling an overridden __str__/__getitem__.
            return self._str(str.__str__(value))
        try:
            text = repr(value)
        except Exception as exc:  # noqa: REC005 - the program's exception becomes an Error record
            return self._failure("repr", exc, walk)
        if type(text) is not str:  # a str subclass from __repr__: copy it before slicing
            text = str.__str__(text)
        return self._raw(clip_text(text, self._max_text), "Object")

    # -- program objects, read with the builtin types' own C methods -----------------------------

    def _builtin_subclass(
        self, value: Any, base: type, name: str, depth: int, walk: Walk,
    ) -> Record:
        if base is str:
            record = self._str(str.__str__(value))
            return {**record, "type_id": self._type(KIND_STRING, name)}
        if base is int:
            number = int.__pos__(value)  # an exact int, whatever the subclass overrides
            if I64_MIN <= number <= I64_MAX:
                return {"kind": "Int", "i": number, "type_id": self._type(KIND_INT, name)}
            return self._raw(int_text(number, self._max_text), name)
        if base is float:
            number_f = float.__pos__(value)
            if number_f - number_f == 0.0:
                return {"kind": "Float", "f": number_f, "type_id": self._type(KIND_FLOAT, name)}
            return self._raw(float.__repr__(number_f), name)
        if base is complex:
            return self._raw(complex.__repr__(value), name)
        if base is bytes or base is bytearray:
            head = base.__getitem__(value, slice(0, self._max_text + 1))
            return self._raw(clip_bytes(bytes(head), self._max_text), name)
        return self._in_walk(value, name, depth, walk,
                             lambda: self._subclass_container(value, base, name, depth, walk))

    def _subclass_container(
        self, value: Any, base: Any, name: str, depth: int, walk: Walk,
    ) -> Record:
        limit = self._max_elements
        total = base.__len__(value)
        if base is dict:
            items = list(islice(dict.items(value), limit))
            return self._dict_record(items, total, name, depth + 1, walk)
        if base is list or base is tuple:
            head = base.__getitem__(value, slice(0, limit))
            elements = self._elements(head, total, depth + 1, walk)
            if base is tuple:
                return {"kind": "Tuple", "elements": elements,
                        "type_id": self._type(KIND_TUPLE, name)}
            return {"kind": "Sequence", "elements": elements, "is_slice": False,
                    "type_id": self._type(KIND_SEQ, name)}
        head = list(islice(base.__iter__(value), limit))  # set / frozenset
        if len(head) == total and sortable(head):
            head.sort()
        elements = self._elements(head, total, depth + 1, walk)
        return {"kind": "Sequence", "elements": elements, "is_slice": False,
                "type_id": self._type(KIND_SEQ, name)}

    def _in_walk(
        self, value: object, name: str, depth: int, walk: Walk, build: Callable[[], Record],
    ) -> Record:
        """``build()`` under the depth limit and the cycle check (as builtin containers are)."""
        if depth >= self._max_depth:
            return self._raw(f"<… {name}>", "Truncated")
        ident = id(value)
        if ident in walk.active:
            return self._raw(f"<cycle: {name}>", "Cycle")
        walk.active.add(ident)
        try:
            return build()
        finally:
            walk.active.discard(ident)

    def _struct(
        self, value: object, name: str, found: list[tuple[str, object]], depth: int, walk: Walk,
    ) -> Record:
        def build() -> Record:
            names: list[str] = []
            values: list[Record] = []
            seen = 0  # fields looked at; dropped ones are absent, not "more"
            for field_name, field in found[: self._max_elements]:
                if walk.budget <= 0:
                    break
                seen += 1
                action = self.attr_action(field_name)
                if action == "drop":
                    continue
                names.append(field_name)
                if action == "redact":
                    walk.budget -= 1
                    values.append(self._error(REDACTED))
                else:
                    values.append(self._enc(field, depth + 1, walk))
            if seen < len(found):
                names.append("…")
                values.append(self._raw(f"<… {len(found) - seen} more>", "Truncated"))
            tid = self._struct_type(name, names, [record["type_id"] for record in values])
            return {"kind": "Struct", "field_values": values, "type_id": tid}

        return self._in_walk(value, name, depth, walk, build)

    def _struct_type(self, name: str, names: list[str], type_ids: list[int]) -> int:
        key = (name, tuple(names))
        tid = self._struct_tids.get(key)
        if tid is None:
            try:
                tid = self._types.struct_type_id(name, list(zip(names, type_ids, strict=True)))
            except RecorderError:
                raise
            except Exception as exc:
                raise bug(ErrorCode.VALUE_ENCODING_FAILED,
                          "the type table failed to declare a struct type", lang_type=name,
                          error=type_name(type(exc))) from exc
            self._struct_tids[key] = tid
        return tid
