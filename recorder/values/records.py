"""The shapes the encoder produces: ValueRecord dicts, type kinds, the TypeTable protocol, and the
small per-call state of a walk.

A ValueRecord is a JSON object tagged by ``kind`` (see ``docs/trace-format.md``); its ``type_id``
comes from a :class:`TypeTable` keyed by ``(kind, lang_type)``, where the writer declares a
``Type`` event the first time it sees a key. Type id 0 is always ``None``.
"""

from __future__ import annotations

from typing import Any, Protocol

__all__ = [
    "DROPPED",
    "I64_MAX",
    "I64_MIN",
    "KIND_BOOL",
    "KIND_ERROR",
    "KIND_FLOAT",
    "KIND_INT",
    "KIND_NONE",
    "KIND_RAW",
    "KIND_SEQ",
    "KIND_STRING",
    "KIND_STRUCT",
    "KIND_TUPLE",
    "REDACTED",
    "Record",
    "TypeTable",
    "Walk",
    "sortable",
    "type_name",
]

Record = dict[str, Any]  # a JSON object: values are str, int, float, bool or lists of records

# Type kinds of the trace format (runtime_tracing's TypeKind).
KIND_SEQ, KIND_INT, KIND_FLOAT, KIND_STRING, KIND_BOOL = 0, 7, 8, 9, 12
KIND_RAW, KIND_ERROR, KIND_TUPLE, KIND_NONE = 16, 24, 27, 30
KIND_STRUCT = 6
#: The range an ``Int`` record holds (the trace format's i64); larger ints are ``Raw`` text.
I64_MIN, I64_MAX = -(2**63), 2**63 - 1

REDACTED = "<redacted>"
#: The ``Error`` message of a return value a trace filter drops (the Return event stays).
DROPPED = "<dropped>"


class TypeTable(Protocol):
    """Where type ids come from: the writer declares a ``Type`` event on a key's first use."""

    def type_id(self, kind: int, lang_type: str) -> int: ...

    def struct_type_id(self, lang_type: str, fields: list[tuple[str, int]]) -> int:
        """A ``Struct`` type (kind 6) with these (field name, type id) pairs, declared once."""
        ...


class Walk:
    """State of one top-level ``encode`` call (kept off the encoder so threads can share it)."""

    __slots__ = ("active", "budget", "failed")

    def __init__(self, budget: int) -> None:
        self.active: set[int] = set()  # ids of the containers on the current path: cycle check
        self.budget = budget
        self.failed: list[str] = []


def type_name(cls: type) -> str:
    """``cls.__name__`` read through ``type``'s own descriptor, or ``"?"``: never raises."""
    # A metaclass may override __name__ with anything; the name is only used in messages.
    try:
        name = type.__dict__["__name__"].__get__(cls)
    except Exception:  # noqa: REC005 - a name for a message; the fallback is the conversion
        return "?"
    return name if type(name) is str else "?"


def sortable(items: list[object]) -> bool:
    """All exact ``str``, or all exact ``int``/``float``: sorting them runs no user ``__lt__``."""
    if all(type(item) is str for item in items):
        return True
    return all(type(item) is int or type(item) is float for item in items)
