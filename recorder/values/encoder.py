"""The value encoder: any Python object -> one CodeTracer ValueRecord dict, safely and boundedly.

It runs for every visible variable at every line step, inside the traced program's process, so it
obeys three rules (the full encoding table is in :mod:`recorder.values`):

* It never raises into the program and never loops: only builtin containers of an *exact* known type
  are expanded, with C-level slicing (no user ``__len__``/``__iter__``/``__getitem__`` runs), and
  cycles, depth, width, text size and total record count are bounded.
* By default it runs none of the program's code: objects are read structurally
  (:mod:`recorder.values.structural`): subclasses of builtin types with the base type's own C
  methods, other objects as ``Struct`` records of their ``__dict__``/``__slots__`` fields (no
  property, descriptor, ``__getattr__``, ``repr``, ``__iter__``, ``__len__``, ``__eq__`` or
  ``__hash__`` of the program runs), C objects without readable fields as a fixed summary. Only
  ``value_repr=True`` (``--value-repr repr``) calls ``repr(value)`` for objects it does not know,
  as older recorders do, inside ``try``: an exception becomes an ``Error`` record naming the
  exception type; ``KeyboardInterrupt``/``SystemExit`` pass through (they belong to the program).
* It is fast for the common case: a top-level ``None``/``bool``/``int``/``float``/``str`` is
  handled inline by ``type(value) is ...`` checks (no call at all); everything else is dispatched
  by the ``id`` of its exact type (a dict lookup that cannot run user code, unlike hashing a type
  whose metaclass defines ``__hash__``); type ids are cached per encoder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice
from typing import Any

from recorder.errors import ErrorCode, RecorderError, bug
from recorder.values.limits import EncodeLimits
from recorder.values.objects import ObjectEncoding
from recorder.values.records import (
    I64_MAX,
    I64_MIN,
    KIND_BOOL,
    KIND_ERROR,
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
from recorder.values.redaction import is_secret_key, is_secret_name
from recorder.values.structural import Shape
from recorder.values.text import clip_text, int_text

__all__ = ["ValueEncoder"]


class ValueEncoder(ObjectEncoding):
    """Encodes values into ValueRecord dicts; see the module docstring for its guarantees.

    ``failures`` counts values (or elements) that could not be captured; ``on_failure``, when
    given, is called with a short reason (``"repr:ValueError"``) once per failure, after the value
    is encoded and outside any ``try``, so a failing callback reaches the caller's guard.
    Failures of ``types.type_id`` (the writer failing to declare a type) propagate as
    ``RecorderError``: a ``RecorderError`` unchanged, anything else as an ``InternalError``
    ``ERR_VALUE_ENCODING_FAILED``. They are output failures or bugs, not value failures.
    """

    def __init__(
        self,
        types: TypeTable,
        limits: EncodeLimits = EncodeLimits(),  # noqa: B008 - frozen, so sharing is safe
        redact_secrets: bool = True,
        *,
        on_failure: Callable[[str], None] | None = None,
        value_repr: bool = False,
    ) -> None:
        self.limits = limits
        self.value_repr = value_repr
        self.failures = 0
        self._types = types
        self._redact = redact_secrets
        self._on_failure = on_failure
        self._max_depth = limits.max_depth
        self._max_elements = limits.max_elements
        self._max_text = limits.max_text
        self._max_nodes = limits.max_nodes
        #: What happens to an object field called ``name`` ("allow", "redact" or "drop"): the
        #: trace filter's ``attr`` actions of the scope being recorded (the recorder sets it per
        #: frame; it counts what it redacts and drops). By default the built-in secret rule.
        self.attr_action: Callable[[str], str] = self._secret_attr
        self._tids: dict[tuple[int, str], int] = {}
        self._struct_tids: dict[tuple[str, tuple[str, ...]], int] = {}
        self._shapes: dict[int, Shape] = {}
        # Ids of the commonest types, as plain attributes for the inline fast paths.
        self._t_bool = self._t_int = self._t_float = self._t_str = -1
        self._t_error: int | None = None  # None, not -1: tested with ``is`` (see encode)
        self._scalars: dict[int, Callable[[Any], Record]] = {
            id(type(None)): self._none,
            id(bool): self._bool,
            id(int): self._int,
            id(float): self._float,
            id(str): self._str,
        }
        self._containers: dict[int, tuple[Callable[[Any, int, Walk], Record], str]] = {
            id(list): (self._list, "list"),
            id(tuple): (self._tuple, "tuple"),
            id(dict): (self._dict, "dict"),
            id(set): (self._set, "set"),
            id(frozenset): (self._frozenset, "frozenset"),
        }

    # -- public API ---------------------------------------------------------------------------

    def encode(self, value: object) -> Record:
        """The ValueRecord for ``value``; never raises (but see ``on_failure`` and ``type_id``)."""
        # Fast path for the values of almost every step, inline (a call costs as much as the rest):
        # exact builtin types, once their type id is cached; everything else goes to _encode.
        try:
            cls = type(value)
            if cls is int:
                number: int = value  # type: ignore[assignment]  # narrowed by the exact type
                if self._t_int >= 0 and I64_MIN <= number <= I64_MAX:
                    return {"kind": "Int", "i": number, "type_id": self._t_int}
            elif cls is str:
                text: str = value  # type: ignore[assignment]
                if self._t_str >= 0 and len(text) <= self._max_text and text.isascii():
                    return {"kind": "String", "text": text, "type_id": self._t_str}
            elif value is None:
                return {"kind": "None", "type_id": 0}
            elif cls is bool and self._t_bool >= 0:
                return {"kind": "Bool", "b": value, "type_id": self._t_bool}
            elif cls is float and self._t_float >= 0 and value - value == 0.0:  # type: ignore[operator]
                return {"kind": "Float", "f": value, "type_id": self._t_float}
            return self._encode(value)
        except RecursionError:
            # The program is at the interpreter's recursion limit (a tracer callback in deep
            # recursion): even ``0 <= n`` raises there, so build the record without calls or
            # comparisons (``is`` is neither).
            self.failures += 1
            tid = self._t_error
            if tid is None:
                return {"kind": "None", "type_id": 0}
            return {"kind": "Error", "msg": "<no stack left to encode>", "type_id": tid}

    def _encode(self, value: object) -> Record:
        walk: Walk | None = None
        try:
            handler = self._scalars.get(id(type(value)))
            if handler is not None:
                return handler(value)
            walk = Walk(self._max_nodes)
            record = self._enc(value, 0, walk)
            failed = walk.failed
        except RecorderError:
            raise  # the type table (the writer) failed: not a value failure, see _type
        except Exception as exc:  # noqa: REC005 - converted into an Error record, counted below
            name = type_name(type(exc))
            failed = [*(walk.failed if walk is not None else ()), f"encode:{name}"]
            record = self._error(f"<encoding failed: {name}>")
        if failed:
            self.failures += len(failed)
            if self._on_failure is not None:
                for reason in failed:
                    self._on_failure(reason)
        return record

    def _secret_attr(self, name: str) -> str:
        return "redact" if self._redact and is_secret_name(name) else "allow"

    def marker(self, msg: str) -> Record:
        """An ``Error`` record with ``msg`` (``<redacted>``, ``<dropped>``)."""
        return self._error(msg)

    def encode_variable(self, name: str, value: object) -> Record:
        """Like :meth:`encode`, but a secret-looking ``name`` gives a ``<redacted>`` Error."""
        if self._redact and type(name) is str and is_secret_name(name):
            return self._error(REDACTED)
        return self.encode(value)

    # -- records ------------------------------------------------------------------------------

    def _type(self, kind: int, lang_type: str) -> int:
        key = (kind, lang_type)
        tid = self._tids.get(key)
        if tid is None:
            try:
                tid = self._types.type_id(kind, lang_type)
            except RecorderError:
                raise  # an output failure of the writer: the policy decides, not the encoder
            except Exception as exc:
                # Only RecorderErrors leave the encoder, so a broken table is classified here.
                raise bug(
                    ErrorCode.VALUE_ENCODING_FAILED,
                    "the type table failed to declare a type",
                    kind=str(kind),
                    lang_type=lang_type,
                    error=type_name(type(exc)),
                ) from exc
            self._tids[key] = tid
        return tid

    def _error(self, msg: str) -> Record:
        tid = self._t_error
        if tid is None:
            tid = self._t_error = self._type(KIND_ERROR, "Error")
        return {"kind": "Error", "msg": msg, "type_id": tid}

    def _raw(self, text: str, lang_type: str) -> Record:
        return {"kind": "Raw", "r": text, "type_id": self._type(KIND_RAW, lang_type)}

    def _failure(self, where: str, exc: Exception, walk: Walk) -> Record:
        name = type_name(type(exc))
        walk.failed.append(f"{where}:{name}")
        return self._error(f"<{where} failed: {name}>")

    # -- scalars: exact types only, no user code ------------------------------------------------

    def _none(self, value: None) -> Record:
        return {"kind": "None", "type_id": 0}

    def _bool(self, value: bool) -> Record:
        tid = self._t_bool
        if tid < 0:
            tid = self._t_bool = self._type(KIND_BOOL, "Bool")
        return {"kind": "Bool", "b": value, "type_id": tid}

    def _int(self, value: int) -> Record:
        if I64_MIN <= value <= I64_MAX:
            tid = self._t_int
            if tid < 0:
                tid = self._t_int = self._type(KIND_INT, "Int")
            return {"kind": "Int", "i": value, "type_id": tid}
        return self._raw(int_text(value, self._max_text), "BigInt")

    def _float(self, value: float) -> Record:
        if value - value == 0.0:  # finite: inf - inf and nan - nan are nan
            tid = self._t_float
            if tid < 0:
                tid = self._t_float = self._type(KIND_FLOAT, "Float")
            return {"kind": "Float", "f": value, "type_id": tid}
        # NaN and infinities are not JSON numbers.
        text = "nan" if value != value else ("inf" if value > 0 else "-inf")
        return self._raw(text, "SpecialFloat")

    def _str(self, value: str) -> Record:
        tid = self._t_str
        if tid < 0:
            tid = self._t_str = self._type(KIND_STRING, "String")
        if len(value) > self._max_text or not value.isascii():
            value = clip_text(value, self._max_text)
        return {"kind": "String", "text": value, "type_id": tid}

    # -- the walk: containers and everything else -------------------------------------------------

    def _enc(self, value: object, depth: int, walk: Walk) -> Record:
        walk.budget -= 1
        cls = type(value)
        if cls is int:  # the commonest element, inline as in encode()
            number: int = value  # type: ignore[assignment]
            if self._t_int >= 0 and I64_MIN <= number <= I64_MAX:
                return {"kind": "Int", "i": number, "type_id": self._t_int}
        key = id(cls)
        scalar = self._scalars.get(key)
        if scalar is not None:
            return scalar(value)
        container = self._containers.get(key)
        if container is None:
            return self._other(value, depth, walk)
        handler, name = container
        if depth >= self._max_depth:
            size = len(value)  # type: ignore[arg-type]  # an exact builtin container
            return self._raw(f"<… {name} of {size}>", "Truncated")
        ident = id(value)
        if ident in walk.active:
            return self._raw(f"<cycle: {name}>", "Cycle")
        walk.active.add(ident)
        try:
            return handler(value, depth + 1, walk)
        finally:
            walk.active.discard(ident)

    def _elements(
        self, items: Iterable[object], total: int, depth: int, walk: Walk
    ) -> list[Record]:
        out: list[Record] = []
        for item in items:
            if walk.budget <= 0:
                break
            out.append(self._enc(item, depth, walk))
        if len(out) < total:
            out.append(self._raw(f"<… {total - len(out)} more>", "Truncated"))
        return out

    def _list(self, value: list[object], depth: int, walk: Walk) -> Record:
        # Slicing copies in C, so another thread mutating the list cannot disturb the walk.
        items = value[: self._max_elements]
        elements = self._elements(items, len(value), depth, walk)
        tid = self._type(KIND_SEQ, "List")
        return {"kind": "Sequence", "elements": elements, "is_slice": False, "type_id": tid}

    def _tuple(self, value: tuple[object, ...], depth: int, walk: Walk) -> Record:
        elements = self._elements(value[: self._max_elements], len(value), depth, walk)
        return {"kind": "Tuple", "elements": elements, "type_id": self._type(KIND_TUPLE, "Tuple")}

    def _set(self, value: set[object], depth: int, walk: Walk) -> Record:
        return self._set_like(value, "Set", depth, walk)

    def _frozenset(self, value: frozenset[object], depth: int, walk: Walk) -> Record:
        return self._set_like(value, "FrozenSet", depth, walk)

    def _set_like(
        self, value: set[object] | frozenset[object], lang_type: str, depth: int, walk: Walk
    ) -> Record:
        items = list(islice(value, self._max_elements))  # C-level: atomic w.r.t. other threads
        if len(items) == len(value) and sortable(items):
            # Set order of strings changes with PYTHONHASHSEED; sorted traces are reproducible.
            items.sort()  # all exact str, or all exact numbers: no user __lt__
        elements = self._elements(items, len(value), depth, walk)
        tid = self._type(KIND_SEQ, lang_type)
        return {"kind": "Sequence", "elements": elements, "is_slice": False, "type_id": tid}

    def _dict(self, value: dict[object, object], depth: int, walk: Walk) -> Record:
        items = list(islice(value.items(), self._max_elements))
        return self._dict_record(items, len(value), "Dict", depth, walk)

    def _dict_record(
        self, items: list[tuple[object, object]], total: int, lang_type: str, depth: int,
        walk: Walk,
    ) -> Record:
        pair_tid = self._type(KIND_TUPLE, "Tuple")
        out: list[Record] = []
        for key, item in items:
            if walk.budget <= 0:
                break
            walk.budget -= 1  # the pair record itself
            key_record = self._enc(key, depth, walk)
            if self._redact and is_secret_key(key):
                walk.budget -= 1
                value_record = self._error(REDACTED)
            else:
                value_record = self._enc(item, depth, walk)
            pair = [key_record, value_record]
            out.append({"kind": "Tuple", "elements": pair, "type_id": pair_tid})
        if len(out) < total:
            out.append(self._raw(f"<… {total - len(out)} more>", "Truncated"))
        tid = self._type(KIND_SEQ, lang_type)
        return {"kind": "Sequence", "elements": out, "is_slice": False, "type_id": tid}
