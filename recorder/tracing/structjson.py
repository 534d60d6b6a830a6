"""Program objects as JSON text without the encoder's records: the object half of ValueJson.

Two kinds of object are written here: one with no readable fields is the ``Raw`` summary of its
class (a generator, an iterator, a C object), and a ``Struct`` whose fields are all plain scalars
(exact ``int`` in i64 range, finite ``float``, ``bool``, ``str``, ``None``). The text of such a
struct, all fields allowed, is kept by ``id`` with its shape, its ``attr_action`` and its field
names and values (identity, checked in C), never the object: the same address holding the same
field objects under the same action gives the same text, whatever object it is. The struct type id
of each field-name layout is kept as well: a new object of a known layout, its names known to be
allowed, asks neither the trace filter nor the encoder.

Mixed into :class:`recorder.tracing.valuejson.ValueJson`, which owns the state declared here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from itertools import chain
from operator import is_
from typing import TYPE_CHECKING, Any

from recorder.values.records import I64_MAX, I64_MIN, KIND_INT, KIND_STRING
from recorder.values.structural import Shape, safe_summary
from recorder.values.text import clip_text

if TYPE_CHECKING:
    from recorder.trace_writer import TraceWriter
    from recorder.values.encoder import ValueEncoder

__all__ = ["CACHE_SIZE", "KEPT_SIZE", "KEPT_TEXT", "StructJson", "escape"]

CACHE_SIZE = 4096  # entries of the exact int/str cache and of the allowed field names
# Texts kept per thread (see docs/threads.md for the memory): flat containers and objects, each
# up to KEPT_SIZE, texts up to KEPT_TEXT characters.
KEPT_SIZE = 64
KEPT_TEXT = 1024
escape = json.encoder.encode_basestring


class StructJson:
    """The object half of :class:`~recorder.tracing.valuejson.ValueJson` (module docstring)."""

    encoder: ValueEncoder
    cache: dict[object, str]
    _writer: TraceWriter
    _shape_of: Callable[[int], Shape | None]
    _structs: dict[int, tuple[Shape, Callable[[str], str], tuple[object, ...], str]]
    _allowed_by: Callable[[str], str] | None
    _allowed: set[str]
    _struct_tids: dict[tuple[str, tuple[str, ...]], int]
    _max_text: int
    _max_depth: int
    _max_elements: int
    _max_nodes: int
    _t_int: int
    _t_str: int
    _t_float: int
    _t_bool: int
    _t_error: int

    if TYPE_CHECKING:  # provided by ValueJson
        @property
        def redacted(self) -> str: ...

        def value(self, value: Any) -> str: ...

    def _plain_object(self, value: object) -> str | None:
        """The text of a program object read without records, or None for the encoder.

        Two kinds: an object with no readable fields is the ``Raw`` summary of its class (a
        generator, an iterator, a C object), and a ``Struct`` whose fields are all plain scalars.

        The encoder's rules, without its records: each field's action (the trace filter's, or
        the secret-name redaction) is asked once and in field order, scalar types are declared in
        that order and the struct type after them, as :meth:`ValueEncoder.encode` does. Whether
        every field is a plain scalar is checked *before* any action is asked (the actions are
        counted), and the limits must keep every field (as many fields as the encoder would keep).
        """
        shape = self._shape_of(id(type(value)))
        if shape is None:
            return None
        if shape.kind == "summary":
            return self._summary(value, shape.name)
        if shape.kind != "struct":
            return None
        namespace = shape.namespace(value)
        fields: list[tuple[str, object]] | None = None
        pairs: Iterable[tuple[object, object]]
        if type(namespace) is dict and not shape.slots:
            pairs, count = namespace.items(), len(namespace)  # the common object: compared as is
        else:
            pairs = fields = shape.fields_from(value, namespace)
            count = len(fields)
        seen = self._structs.get(id(value))
        if (seen is not None and seen[0] is shape and seen[1] is self.encoder.attr_action
                and 2 * count == len(seen[2])
                and all(map(is_, chain.from_iterable(pairs), seen[2]))):
            return seen[3]  # the same names and field objects (plain scalars) as then
        if fields is None:
            fields = shape.fields_from(value, namespace)
        if len(fields) > self._max_elements or len(fields) >= self._max_nodes:
            return None
        if self._max_depth <= 0:
            return None
        for _, field in fields:
            cls = type(field)
            if cls is int:
                if not I64_MIN <= field <= I64_MAX:  # type: ignore[operator]
                    return None  # a BigInt: not of the Int type
            elif cls is float:
                if field - field != 0.0:  # type: ignore[operator]  # NaN or infinite
                    return None
            elif field is not None and cls is not bool and cls is not str:
                return None  # (a long or non-ASCII str is clipped: still of the String type)
        try:
            return self._struct_text(value, shape, fields)
        except RecursionError:
            return None  # at the interpreter's stack limit: the encoder knows how to cope

    def _summary(self, value: object, name: str) -> str | None:
        """The ``Raw`` summary of an object without readable fields (as the encoder's)."""
        try:
            text = clip_text(safe_summary(value), self._max_text)
        except Exception:  # noqa: REC005 - the encoder records (and counts) the same failure
            return None
        return f'{{"kind":"Raw","r":{escape(text)},"type_id":{self.encoder.raw_type(name)}}}'

    def _struct_text(self, value: object, shape: Shape, fields: list[tuple[str, object]]) -> str:
        attr_action = self.encoder.attr_action
        if attr_action is not self._allowed_by:
            # The action of a name never changes for one attr_action (a trace filter's scope, or
            # the built-in rule), and "allow" is not counted: a name found allowed needs no call.
            self._allowed_by = attr_action
            self._allowed = set()
        names = tuple([name for name, _ in fields])
        if not self._allowed.issuperset(names):
            return self._struct_text_asked(value, shape, fields, attr_action)
        cached = self.cache.get
        parts: list[str] = []
        for _, field in fields:
            cls = type(field)
            parts.append((cached(field) if cls is int or cls is str else None) or self.value(field))
        # Declared after the field values, as the encoder does; known layouts skip the encoder.
        tid = self._struct_tids.get((shape.name, names))
        if tid is None:
            tid = self.encoder.struct_type(
                shape.name, list(names), [self._scalar_tid(field) for _, field in fields])
            self._known_layout(shape.name, names, tid)
        text = f'{{"kind":"Struct","field_values":[{",".join(parts)}],"type_id":{tid}}}'
        if len(text) <= KEPT_TEXT:
            self._keep(value, shape, attr_action, fields, text)
        return text

    def _struct_text_asked(
        self, value: object, shape: Shape, fields: list[tuple[str, object]],
        attr_action: Callable[[str], str],
    ) -> str:
        """:meth:`_struct_text` when some field's action is not known yet: asked in field order."""
        allowed = self._allowed
        cached = self.cache.get
        counted = False  # some field redacted or dropped: its action is asked (counted) each time
        names: list[str] = []
        parts: list[str] = []
        type_ids: list[int] = []
        for field_name, field in fields:
            if field_name not in allowed:
                action = attr_action(field_name)
                if action == "drop":
                    counted = True
                    continue
                if action != "allow":
                    counted = True
                    names.append(field_name)
                    parts.append(self.redacted)
                    type_ids.append(self._t_error)
                    continue
                if len(allowed) >= CACHE_SIZE:
                    allowed.clear()
                allowed.add(field_name)
            names.append(field_name)
            cls = type(field)
            parts.append((cached(field) if cls is int or cls is str else None) or self.value(field))
            type_ids.append(self._scalar_tid(field))
        tid = self.encoder.struct_type(shape.name, names, type_ids)
        text = f'{{"kind":"Struct","field_values":[{",".join(parts)}],"type_id":{tid}}}'
        if not counted:
            self._known_layout(shape.name, tuple(names), tid)
            if len(text) <= KEPT_TEXT:
                self._keep(value, shape, attr_action, fields, text)
        return text

    def _known_layout(self, name: str, names: tuple[str, ...], tid: int) -> None:
        layouts = self._struct_tids
        if len(layouts) >= CACHE_SIZE:
            layouts.clear()
        layouts[name, names] = tid

    def _keep(
        self, value: object, shape: Shape, attr_action: Callable[[str], str],
        fields: list[tuple[str, object]], text: str,
    ) -> None:
        memo = self._structs
        if len(memo) >= KEPT_SIZE:
            memo.clear()
        # As for flat lists: the names and field values are kept, not the object.
        memo[id(value)] = (shape, attr_action, tuple(chain.from_iterable(fields)), text)

    def _scalar_tid(self, value: object) -> int:
        """The type id of a plain scalar whose record :meth:`value` has just given.

        Looked up again when not known yet: a record from the cache that threads share does not
        set this thread's ids (the type is declared already, so nothing new is written).
        """
        cls = type(value)
        if cls is int:
            if self._t_int < 0:
                self._t_int = self._writer.type_id(KIND_INT, "Int")
            return self._t_int
        if cls is str:
            if self._t_str < 0:
                self._t_str = self._writer.type_id(KIND_STRING, "String")
            return self._t_str
        if cls is float:
            return self._t_float  # set by value(): floats are not cached
        if cls is bool:
            return self._t_bool
        return 0  # None
