"""Property tests: for arbitrary nested values (cycles and hostile objects included) the encoder
never raises, its output is strict JSON in the trace schema, and it respects every limit; with
generous limits, what it encodes decodes back to an equal value (nothing is lost or approximated).
"""

from __future__ import annotations

import ast
import json
import math
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recorder.values import MARKER_SLACK, EncodeLimits, ValueEncoder


class ReprRaises:
    def __repr__(self) -> str:
        raise ValueError("boom")


class GetattrRaises:
    def __getattr__(self, name: str) -> object:
        raise RuntimeError(name)


class LongRepr:
    def __repr__(self) -> str:
        return "r" * 3000


# Classes, instantiated by map: hypothesis reprs the elements of sampled_from.
HOSTILE = st.sampled_from([ReprRaises, GetattrRaises, LongRepr, object]).map(lambda cls: cls())

HASHABLE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63, max_value=10**900) | st.integers(max_value=-(2**63) - 1),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.binary(max_size=30),
)
LEAVES = st.one_of(HASHABLE, st.floats(), st.text(), HOSTILE)


def containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=10),
        st.lists(children, max_size=10).map(tuple),
        st.dictionaries(HASHABLE, children, max_size=8),
        st.frozensets(HASHABLE, max_size=8),
        st.sets(HASHABLE, max_size=8),
    )


VALUES = st.recursive(LEAVES, containers, max_leaves=60)
LIMITS = st.builds(
    EncodeLimits,
    max_depth=st.integers(0, 5),
    max_elements=st.integers(1, 8),
    max_text=st.integers(1, 60),
    max_nodes=st.integers(1, 80),
)


def add_cycles(value: Any, every: int) -> Any:
    """Make ``value`` cyclic: every ``every``-th nested list/dict gets a reference to the root."""
    seen = 0
    stack = [value]
    while stack:
        node = stack.pop()
        if type(node) is list:
            stack.extend(node)
        elif type(node) is dict:
            stack.extend(node.values())
        else:
            continue
        seen += 1
        if seen % every == 0:
            if type(node) is list:
                node.append(value)
            else:
                node["cycle"] = value
    return value


CYCLIC = st.builds(add_cycles, VALUES, st.integers(1, 3))


def is_more_marker(record: dict[str, Any]) -> bool:
    return record["type"] == "Truncated" and str(record["r"]).endswith(" more>")


def check_limits(record: dict[str, Any], limits: EncodeLimits) -> None:
    """Every limit of ``limits`` holds in the normalised ``record``."""
    nodes = 0
    stack: list[tuple[dict[str, Any], int]] = [(record, 0)]
    while stack:
        rec, depth = stack.pop()
        if not is_more_marker(rec):
            nodes += 1
        for field in ("text", "r", "msg"):
            if field in rec:
                assert len(rec[field]) <= limits.max_text + MARKER_SLACK, rec
        if "elements" not in rec:
            continue
        assert depth < limits.max_depth, rec  # containers at max_depth are summarised
        elements = rec["elements"]
        assert len(elements) <= limits.max_elements + 1, rec
        assert all(is_more_marker(e) for e in elements[limits.max_elements:]), rec
        for element in elements:
            if rec["type"] == "Dict" and element["kind"] == "Tuple":
                nodes += 1  # the (key, value) pair: a record, but not a nesting level
                assert len(element["elements"]) == 2
                stack.extend((child, depth + 1) for child in element["elements"])
            else:
                stack.append((element, depth + 1))
    assert nodes <= limits.max_nodes + 2, (nodes, limits)


def encode_checked(
    schema: Any, value: object, limits: EncodeLimits, redact: bool = True
) -> dict[str, Any]:
    """Encode with a fresh type table; check JSON, UTF-8, the schema and the limits."""
    types = schema.FakeTypes()
    record = ValueEncoder(types, limits, redact_secrets=redact).encode(value)
    text = json.dumps(record, allow_nan=False, ensure_ascii=False)
    text.encode("utf-8")  # no lone surrogates: the writer can emit it as UTF-8
    normalised: dict[str, Any] = schema.normalise(record, types)
    check_limits(normalised, limits)
    return normalised


@given(VALUES, LIMITS)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_value_encodes_within_limits(
    schema: Any, value: object, limits: EncodeLimits
) -> None:
    encode_checked(schema, value, limits)


@given(CYCLIC, LIMITS | st.just(EncodeLimits()))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_cyclic_values_terminate_within_limits(
    schema: Any, value: object, limits: EncodeLimits
) -> None:
    encode_checked(schema, value, limits)


# -- exactness: with limits nothing reaches, encode then decode gives the value back ------------

GENEROUS = EncodeLimits(max_depth=50, max_elements=10**6, max_text=10**6, max_nodes=10**6)
EXACT_TEXT = st.text(st.characters(codec="utf-8"))  # no lone surrogates: those are escaped
EXACT_HASHABLE = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=2**63, max_value=10**2000),
    st.floats(allow_nan=False), EXACT_TEXT, st.binary(),
)
EXACT_VALUES = st.recursive(
    st.one_of(EXACT_HASHABLE, st.floats()),
    lambda children: st.one_of(
        st.lists(children, max_size=6),
        st.lists(children, max_size=6).map(tuple),
        st.dictionaries(EXACT_HASHABLE, children, max_size=6),
        st.sets(EXACT_HASHABLE, max_size=6),
        st.frozensets(EXACT_HASHABLE, max_size=6),
    ),
    max_leaves=40,
)

DECODERS: dict[str, Callable[[str], object]] = {
    "BigInt": int, "SpecialFloat": float, "Bytes": ast.literal_eval,
}


def decode(record: dict[str, Any]) -> object:
    kind, lang_type = record["kind"], record["type"]
    if kind == "Raw":
        return DECODERS[lang_type](record["r"])
    if kind in {"Int", "Float", "String", "Bool"}:
        return record[{"Int": "i", "Float": "f", "String": "text", "Bool": "b"}[kind]]
    if kind == "None":
        return None
    items = [decode(element) for element in record["elements"]]
    if lang_type == "Dict":
        return dict(items)  # type: ignore[arg-type]
    return {"List": list, "Tuple": tuple, "Set": set, "FrozenSet": frozenset}[lang_type](items)


def same(a: object, b: object) -> bool:
    """Equal with exact types, NaN equal to NaN and -0.0 distinct from 0.0."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a):
            return math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return same(list(a.items()), list(b.items()))
    return a == b


@given(EXACT_VALUES)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_values_within_limits_round_trip_exactly(schema: Any, value: object) -> None:
    record = encode_checked(schema, value, GENEROUS, redact=False)
    assert same(decode(record), value)


@given(st.dictionaries(st.sampled_from(["password", "api_key", "x", "sessionId"]), st.text()))
def test_no_value_under_a_secret_key_survives(schema: Any, value: dict[str, str]) -> None:
    record = encode_checked(schema, value, GENEROUS)
    for pair in record["elements"]:
        key, item = pair["elements"]
        if key["text"] != "x":
            assert item == {"kind": "Error", "type": "Error", "msg": "<redacted>"}
