"""Values as JSON text, fast: the bridge between the value encoder and the trace writer.

Every visible variable is encoded at every line step, so this is the hottest code of the recorder.
The common values are formatted straight to JSON text here, producing exactly the text of the
record :class:`recorder.values.encoder.ValueEncoder` would produce (tests compare both):

* scalars: exact ``None``/``bool``/``int`` in i64 range/finite ``float``/short ASCII ``str``;
* plain data: exact ``list``/``tuple``/``dict`` holding only exact scalars and such containers,
  that fit the limits untruncated (depth, width, node budget) and have no secret-looking keys.

Texts are kept where they cannot go stale: per exact ``int``/``str`` (``cache``), the head of a
dict entry per exact ``str``/``int`` key, and the text of a *flat* list or tuple (exact scalar
elements only) by ``id``, with its elements: it is used again only when the container at that
address holds the very same element objects (compared by identity, in C), so a list changed in
place is encoded again. Only the elements are kept (immutable scalars), never the container.
The text of a program object whose fields are all plain scalars, all allowed, is kept the same
way (its field names and values, and the ``attr_action`` it was made under).

The container path runs no user code at all (it looks only at exact builtin types), so when it
meets anything else it gives up *before* any ``repr`` ran and the value goes, whole, through the
encoder (limits, cycles, redaction, ``repr`` containment) and one C-accelerated ``json``
serialisation of the record dict: nothing in the program is ever called twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import chain
from operator import is_
from typing import Any

from recorder.events import NONE_VALUE
from recorder.trace_writer import TraceWriter
from recorder.values.encoder import ValueEncoder
from recorder.values.limits import EncodeLimits
from recorder.values.records import (
    DROPPED,
    I64_MAX,
    I64_MIN,
    KIND_BOOL,
    KIND_FLOAT,
    KIND_INT,
    KIND_SEQ,
    KIND_STRING,
    KIND_TUPLE,
    REDACTED,
)
from recorder.values.redaction import is_secret_name
from recorder.values.structural import Shape, safe_summary
from recorder.values.text import clip_text

__all__ = ["ValueJson"]

_CACHE_SIZE = 4096
# Texts kept per thread (see docs/threads.md for the memory): flat containers, objects (each up
# to _KEPT_SIZE, texts up to _KEPT_TEXT characters) and dict entry heads.
_KEPT_SIZE = 64
_KEPT_TEXT = 1024
_HEADS_SIZE = 512
_escape = json.encoder.encode_basestring


def _record_dumps() -> Callable[[object], str]:
    """``json.dumps`` for the encoder's records, compact, non-ASCII kept, without checks.

    The records hold only JSON-ready data (NaN and infinities are ``Raw`` text), so circularity
    and NaN checks are not needed. ``JSONEncoder.encode`` builds its C encoder again on every
    call, which costs more than serialising a small record; here it is built once.
    """
    c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
    if c_make_encoder is None:  # an interpreter without the _json accelerator
        return json.JSONEncoder(
            ensure_ascii=False, separators=(",", ":"), check_circular=False, allow_nan=False
        ).encode
    encode = c_make_encoder(None, None, _escape, None, ":", ",", False, False, False)
    return lambda record: "".join(encode(record, 0))


_dumps = _record_dumps()


class ValueJson:
    """Encodes values to ValueRecord JSON text (which names are redacted: the trace filter)."""

    def __init__(
        self, writer: TraceWriter, limits: EncodeLimits | None = None, redact_secrets: bool = True,
        value_repr: bool = False,
    ) -> None:
        self.limits = limits or EncodeLimits()
        self.encoder = ValueEncoder(writer, self.limits, redact_secrets, value_repr=value_repr)
        self._writer = writer
        self._shape_of = self.encoder.shape_lookup()
        self._redact = redact_secrets
        self._max_text = self.limits.max_text
        self._t_int = self._t_bool = self._t_float = self._t_str = -1
        self._redacted: str | None = None
        self._dropped: str | None = None
        self._max_depth = self.limits.max_depth
        self._max_elements = self.limits.max_elements
        self._max_nodes = self.limits.max_nodes
        self._t_error = -1  # known once the redacted marker was built (see redacted)
        self._t_tuple = -1
        # The ends of list and dict texts, with their type ids ("" until declared).
        self._list_tail = self._dict_tail = self._tuple_tail = ""
        #: The text of a dict entry up to its value, per exact str/int key (see _pair_head).
        self._pair_heads: dict[object, str] = {}
        #: The text of flat lists and tuples (exact scalar elements only) by ``id``, with their
        #: type and elements: the same elements (by identity) give the same text again.
        self._flat: dict[int, tuple[type, tuple[object, ...], str]] = {}
        #: The same for objects whose fields are all plain scalars and all allowed, by ``id``:
        #: (shape, attr_action, names and field values, text).
        self._structs: dict[int, tuple[Shape, Callable[[str], str], tuple[object, ...], str]] = {}
        #: Object field names that ``_allowed_by`` (the encoder's attr_action) allows.
        self._allowed_by: Callable[[str], str] | None = None
        self._allowed: set[str] = set()
        self._budget = 0  # records the container path may still produce for the current value
        #: JSON of recently seen exact ``int``/``str`` values (immutable, so safe to reuse). Only
        #: exact ints and strs are stored, and an int never equals a str, so one dict serves both.
        self.cache: dict[object, str] = {}

    def _remember(self, value: object, record: str) -> None:
        cache = self.cache
        if len(cache) >= _CACHE_SIZE:
            cache.clear()  # bounded memory: values vary without end in some programs
        cache[value] = record

    @property
    def redacted(self) -> str:
        """The record of a value the trace filter redacts."""
        text = self._redacted
        if text is None:
            record = self.encoder.marker(REDACTED)
            self._t_error = record["type_id"]
            text = self._redacted = _dumps(record)
        return text

    @property
    def dropped(self) -> str:
        """The record of a return value the trace filter drops (the ``Return`` stays)."""
        text = self._dropped
        if text is None:
            text = self._dropped = _dumps(self.encoder.marker(DROPPED))
        return text

    def value(self, value: Any) -> str:
        """The record of ``value``; never raises for a value (only for an output failure)."""
        cls = type(value)
        if cls is int:
            if I64_MIN <= value <= I64_MAX:
                record = self.cache.get(value)
                if record is None:
                    tid = self._t_int
                    if tid < 0:
                        tid = self._t_int = self._writer.type_id(KIND_INT, "Int")
                    record = f'{{"kind":"Int","i":{int.__repr__(value)},"type_id":{tid}}}'
                    self._remember(value, record)
                return record
        elif cls is str:
            if len(value) <= self._max_text and value.isascii():
                record = self.cache.get(value)
                if record is None:
                    tid = self._t_str
                    if tid < 0:
                        tid = self._t_str = self._writer.type_id(KIND_STRING, "String")
                    record = f'{{"kind":"String","text":{_escape(value)},"type_id":{tid}}}'
                    self._remember(value, record)
                return record
        elif value is None:
            return NONE_VALUE
        elif cls is bool:
            tid = self._t_bool
            if tid < 0:
                tid = self._t_bool = self._writer.type_id(KIND_BOOL, "Bool")
            return f'{{"kind":"Bool","b":{"true" if value else "false"},"type_id":{tid}}}'
        elif cls is float and value - value == 0.0:
            tid = self._t_float
            if tid < 0:
                tid = self._t_float = self._writer.type_id(KIND_FLOAT, "Float")
            return f'{{"kind":"Float","f":{float.__repr__(value)},"type_id":{tid}}}'
        elif cls is list or cls is tuple or cls is dict:
            if self._max_depth > 0:  # else the encoder's truncation marker
                # The encoder stops expanding once a value has produced max_nodes records.
                # Staying below that total means it would never have cut anything: same texts.
                self._budget = self._max_nodes - 1
                try:
                    text = self._dict(value, 0) if cls is dict else self._sequence(value, 0)
                except RecursionError:
                    text = None  # at the interpreter's stack limit: the encoder copes with it
                if text is not None:
                    return text
        else:
            text = self._plain_object(value)
            if text is not None:
                return text
        return _dumps(self.encoder.encode(value))

    # -- plain data: exact containers of exact scalars, without the encoder -----------------------

    # The walks below handle their elements inline (a call per element would cost as much as the
    # element itself): exact ``str``/``int`` from the cache, containers one level deeper.

    def _sequence(self, value: Any, depth: int) -> str | None:
        """A list or tuple at ``depth`` (below the depth limit) as text, or None."""
        cls = type(value)
        # A list is copied first (in C) so that another thread cannot change it under the walk;
        # the limits are checked on that copy.
        items = value[:] if cls is list else value
        count = len(items)
        if count > self._max_elements:
            return None
        self._budget -= count
        if self._budget <= 0:
            return None
        key = id(value)
        seen = self._flat.get(key)
        if seen is not None and seen[0] is cls and len(seen[1]) == count and all(
                map(is_, items, seen[1])):
            return seen[2]
        parts: list[str] = []
        append = parts.append
        cached = self.cache.get
        inner = depth + 1
        text: str | None
        flat = True  # only scalar elements, so far
        for item in items:
            kind = type(item)
            if kind is str or kind is int:
                append(cached(item) or self.value(item))
                continue
            if kind is list or kind is tuple:
                flat = False
                text = self._sequence(item, inner) if inner < self._max_depth else None
            elif kind is dict:
                flat = False
                text = self._dict(item, inner) if inner < self._max_depth else None
            elif item is None:
                text = NONE_VALUE
            elif kind is bool or kind is float:
                text = self.value(item)
            else:
                return None  # anything else may run user code (repr): the encoder's job
            if text is None:
                return None
            append(text)
        # Type ids are declared in the encoder's order (elements first): identical traces.
        if cls is list:
            tail = self._list_tail
            if not tail:
                tid = self._writer.type_id(KIND_SEQ, "List")
                tail = self._list_tail = f'],"is_slice":false,"type_id":{tid}}}'
            text = f'{{"kind":"Sequence","elements":[{",".join(parts)}{tail}'
        else:
            self._tuple_tid()
            text = f'{{"kind":"Tuple","elements":[{",".join(parts)}{self._tuple_tail}'
        if flat and len(text) <= _KEPT_TEXT:
            memo = self._flat
            if len(memo) >= _KEPT_SIZE:
                memo.clear()
            # The elements are kept (immutable scalars, no finalisers), not the container: a
            # list that dies is not kept alive, and another one at the same address with the
            # very same elements has the very same text.
            memo[key] = (cls, items if cls is tuple else tuple(items), text)
        return text

    def _dict(self, value: Any, depth: int) -> str | None:
        """A dict at ``depth`` (below the depth limit) as text, or None."""
        items = list(value.items())  # one C call: a consistent snapshot, no user code
        count = len(items)
        if count > self._max_elements:
            return None
        self._budget -= 3 * count  # per entry: the pair, its key and its value
        if self._budget <= 0:
            return None
        self._tuple_tid()  # declared before the entries, as the encoder does
        pair_tail = self._tuple_tail
        heads = self._pair_heads
        cached = self.cache.get
        inner = depth + 1
        parts: list[str] = []
        append = parts.append
        text: str | None
        for key, item in items:
            kind = type(key)
            head = heads.get(key) if kind is str or kind is int else None
            if head is None:
                head = self._pair_head(key, depth)
            if not head:
                return None  # a redacted entry, or a key the encoder must write
            kind = type(item)
            if kind is str or kind is int:
                text = cached(item) or self.value(item)
            elif kind is list or kind is tuple:
                text = self._sequence(item, inner) if inner < self._max_depth else None
            elif kind is dict:
                text = self._dict(item, inner) if inner < self._max_depth else None
            elif item is None:
                text = NONE_VALUE
            elif kind is bool or kind is float:
                text = self.value(item)
            else:
                return None
            if text is None:
                return None
            append(f"{head}{text}{pair_tail}")
        tail = self._dict_tail
        if not tail:
            tid = self._writer.type_id(KIND_SEQ, "Dict")
            tail = self._dict_tail = f'],"is_slice":false,"type_id":{tid}}}'
        return f'{{"kind":"Sequence","elements":[{",".join(parts)}{tail}'

    def _pair_head(self, key: Any, depth: int) -> str:
        """``{"kind":"Tuple","elements":[KEY,`` of a dict entry; "" when the encoder must write it.

        Kept per exact ``str``/``int`` key (their text never changes): a secret-looking key is
        remembered as "" too. Any other key is looked at once per entry and not kept.
        """
        kind = type(key)
        if kind is str and self._redact and is_secret_name(key):
            head = ""  # a redacted entry: the encoder writes it
        elif kind is str or kind is int:
            head = f'{{"kind":"Tuple","elements":[{self.cache.get(key) or self.value(key)},'
        else:
            text = None
            if kind is list or kind is tuple:
                text = self._sequence(key, depth + 1) if depth + 1 < self._max_depth else None
            elif key is None:
                text = NONE_VALUE
            elif kind is bool or kind is float:
                text = self.value(key)
            return f'{{"kind":"Tuple","elements":[{text},' if text is not None else ""
        heads = self._pair_heads
        if len(heads) >= _HEADS_SIZE:
            heads.clear()
        heads[key] = head
        return head

    # -- plain structs: program objects whose fields are all exact scalars -----------------------

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
        fields = shape.fields(value)
        seen = self._structs.get(id(value))
        if (seen is not None and seen[0] is shape and seen[1] is self.encoder.attr_action
                and len(seen[2]) == 2 * len(fields)
                and all(map(is_, chain.from_iterable(fields), seen[2]))):
            return seen[3]  # the same names and field objects (all plain scalars) as then
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
        return f'{{"kind":"Raw","r":{_escape(text)},"type_id":{self.encoder.raw_type(name)}}}'

    def _struct_text(self, value: object, shape: Shape, fields: list[tuple[str, object]]) -> str:
        attr_action = self.encoder.attr_action
        if attr_action is not self._allowed_by:
            # The action of a name never changes for one attr_action (a trace filter's scope, or
            # the built-in rule), and "allow" is not counted: a name found allowed needs no call.
            self._allowed_by = attr_action
            self._allowed = set()
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
                if len(allowed) >= _CACHE_SIZE:
                    allowed.clear()
                allowed.add(field_name)
            names.append(field_name)
            cls = type(field)
            parts.append((cached(field) if cls is int or cls is str else None) or self.value(field))
            type_ids.append(self._scalar_tid(field))
        tid = self.encoder.struct_type(shape.name, names, type_ids)
        text = f'{{"kind":"Struct","field_values":[{",".join(parts)}],"type_id":{tid}}}'
        if not counted and len(text) <= _KEPT_TEXT:
            memo = self._structs
            if len(memo) >= _KEPT_SIZE:
                memo.clear()
            # As for flat lists: the names and field values are kept, not the object.
            memo[id(value)] = (shape, attr_action, tuple(chain.from_iterable(fields)), text)
        return text

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

    def _tuple_tid(self) -> int:
        tid = self._t_tuple
        if tid < 0:
            tid = self._t_tuple = self._writer.type_id(KIND_TUPLE, "Tuple")
            self._tuple_tail = f'],"type_id":{tid}}}'
        return tid
