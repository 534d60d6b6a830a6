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
Program objects (a ``Raw`` summary, or a ``Struct`` of plain scalars, kept the same way) are
written by the :class:`~recorder.tracing.structjson.StructJson` half of the class.

The container path runs no user code at all (it looks only at exact builtin types), so when it
meets anything else it gives up *before* any ``repr`` ran and the value goes, whole, through the
encoder (limits, cycles, redaction, ``repr`` containment) and one C-accelerated ``json``
serialisation of the record dict: nothing in the program is ever called twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from operator import is_
from typing import Any

from recorder.events import NONE_VALUE
from recorder.trace_writer import TraceWriter
from recorder.tracing.structjson import CACHE_SIZE, KEPT_SIZE, KEPT_TEXT, StructJson, escape
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
from recorder.values.structural import Shape

__all__ = ["ValueJson"]

_HEADS_SIZE = 512  # dict entry heads kept per thread


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
    encode = c_make_encoder(None, None, escape, None, ":", ",", False, False, False)
    return lambda record: "".join(encode(record, 0))


_dumps = _record_dumps()


class ValueJson(StructJson):
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
        #: Struct type ids by (class name, field names): the encoder's, asked once per layout.
        self._struct_tids: dict[tuple[str, tuple[str, ...]], int] = {}
        self._budget = 0  # records the container path may still produce for the current value
        #: JSON of recently seen exact ``int``/``str`` values (immutable, so safe to reuse). Only
        #: exact ints and strs are stored, and an int never equals a str, so one dict serves both.
        self.cache: dict[object, str] = {}

    def _remember(self, value: object, record: str) -> None:
        cache = self.cache
        if len(cache) >= CACHE_SIZE:
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
                    record = f'{{"kind":"String","text":{escape(value)},"type_id":{tid}}}'
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
        cached = self.cache.get
        inner = depth + 1
        text: str | None
        flat = True  # only scalar elements, so far
        for item in items:
            kind = type(item)
            if kind is str or kind is int:
                parts.append(cached(item) or self.value(item))
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
            parts.append(text)
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
        if flat and len(text) <= KEPT_TEXT:
            memo = self._flat
            if len(memo) >= KEPT_SIZE:
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
            parts.append(f"{head}{text}{pair_tail}")
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

    def _tuple_tid(self) -> int:
        tid = self._t_tuple
        if tid < 0:
            tid = self._t_tuple = self._writer.type_id(KIND_TUPLE, "Tuple")
            self._tuple_tail = f'],"type_id":{tid}}}'
        return tid
