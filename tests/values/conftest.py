"""Shared fixtures for the value-encoder tests: a recording type table and a record normaliser.

``norm(record)`` replaces every ``type_id`` by the declared ``lang_type`` and checks on the way that
the record has exactly the fields of its kind and that its type was declared with the right kind,
so every test also checks the trace schema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from recorder.values import EncodeLimits, ValueEncoder

# record kind -> (fields besides kind/type_id, the type kind its type_id must have)
SCHEMA: dict[str, tuple[frozenset[str], int]] = {
    "Int": (frozenset({"i"}), 7),
    "Float": (frozenset({"f"}), 8),
    "String": (frozenset({"text"}), 9),
    "Bool": (frozenset({"b"}), 12),
    "Raw": (frozenset({"r"}), 16),
    "Error": (frozenset({"msg"}), 24),
    "Tuple": (frozenset({"elements"}), 27),
    "Sequence": (frozenset({"elements", "is_slice"}), 0),
    "None": (frozenset(), 30),
    "Struct": (frozenset({"field_values"}), 6),
}
FIELD_TYPES: dict[str, type] = {"i": int, "f": float, "text": str, "b": bool, "r": str, "msg": str}


class FakeTypes:
    """A TypeTable like the writer's: a new id per (kind, lang_type) key, id 0 is None."""

    def __init__(self) -> None:
        self.ids: dict[tuple[int, str], int] = {(30, "None"): 0}
        self.by_id: dict[int, tuple[int, str]] = {0: (30, "None")}
        self.calls: list[tuple[int, str]] = []
        self.fields: dict[int, tuple[str, ...]] = {}  # struct type id -> its field names

    def type_id(self, kind: int, lang_type: str) -> int:
        self.calls.append((kind, lang_type))
        if (kind, lang_type) not in self.ids:
            self.ids[(kind, lang_type)] = len(self.ids)
            self.by_id[len(self.by_id)] = (kind, lang_type)
        return self.ids[(kind, lang_type)]

    def struct_type_id(self, lang_type: str, fields: list[tuple[str, int]]) -> int:
        names = tuple(name for name, _ in fields)
        key = (6, lang_type + "(" + ",".join(names) + ")")
        self.calls.append(key)
        if key not in self.ids:
            self.ids[key] = len(self.ids)
            self.by_id[len(self.by_id)] = (6, lang_type)
            self.fields[self.ids[key]] = names
        return self.ids[key]


def normalise(record: Any, types: FakeTypes) -> Any:
    """``record`` with ``type_id`` replaced by ``type`` (the lang_type), schema-checked."""
    assert type(record) is dict, record
    kind = record["kind"]
    fields, type_kind = SCHEMA[kind]
    assert set(record) == fields | {"kind", "type_id"}, record
    declared_kind, lang_type = types.by_id[record["type_id"]]
    assert declared_kind == type_kind, (record, declared_kind)
    out: dict[str, Any] = {"kind": kind, "type": lang_type}
    for field in fields:
        value = record[field]
        if field == "elements":
            assert type(value) is list
            out[field] = [normalise(element, types) for element in value]
        elif field == "field_values":
            names = types.fields[record["type_id"]]
            assert type(value) is list and len(value) == len(names), record
            pairs = zip(names, value, strict=True)
            out["fields"] = {name: normalise(v, types) for name, v in pairs}
        elif field == "is_slice":
            assert value is False
            out[field] = value
        else:
            assert type(value) is FIELD_TYPES[field], record
            out[field] = value
    return out


class SchemaTools:
    """The helpers above, for tests (hypothesis) that need a fresh table per example."""

    FakeTypes = FakeTypes
    normalise = staticmethod(normalise)


@pytest.fixture(scope="session")
def schema() -> type[SchemaTools]:
    return SchemaTools


@pytest.fixture
def types() -> FakeTypes:
    return FakeTypes()


#: The limits the encoder tests are written against (wider than the recording defaults, which
#: are chosen from measurements of real programs: see recorder.values.limits).
TEST_LIMITS = EncodeLimits(max_depth=4, max_elements=64, max_text=1000, max_nodes=512)


@pytest.fixture
def make_encoder(types: FakeTypes) -> Callable[..., ValueEncoder]:
    def make(limits: EncodeLimits | None = None, **kwargs: Any) -> ValueEncoder:
        return ValueEncoder(types, limits or TEST_LIMITS, **kwargs)

    return make


@pytest.fixture
def norm(types: FakeTypes) -> Callable[[object], Any]:
    """Normalise a record produced with the ``types`` fixture's table."""
    return lambda record: normalise(record, types)


@pytest.fixture
def encode(make_encoder: Callable[..., ValueEncoder], types: FakeTypes) -> Callable[..., Any]:
    """Encode with the test limits and return the normalised record."""
    encoder = make_encoder()

    def run(value: object) -> Any:
        return normalise(encoder.encode(value), types)

    return run
