"""Declarative table: value in -> expected (normalised) ValueRecord out, at the default limits.

Records are compared after ``norm``: ``type_id`` is replaced by the declared ``lang_type`` and the
schema of every record is checked (see conftest).
"""

from __future__ import annotations

import collections
import enum
import math
from collections.abc import Callable
from typing import Any

import pytest

from recorder.values import EncodeLimits


def I(i: int) -> dict[str, Any]:  # noqa: E743 - short builders keep the table readable
    return {"kind": "Int", "type": "Int", "i": i}


def F(f: float) -> dict[str, Any]:
    return {"kind": "Float", "type": "Float", "f": f}


def S(text: str) -> dict[str, Any]:
    return {"kind": "String", "type": "String", "text": text}


def B(b: bool) -> dict[str, Any]:
    return {"kind": "Bool", "type": "Bool", "b": b}


NONE = {"kind": "None", "type": "None"}


def RAW(r: str, lang_type: str = "Object") -> dict[str, Any]:
    return {"kind": "Raw", "type": lang_type, "r": r}


def ERR(msg: str) -> dict[str, Any]:
    return {"kind": "Error", "type": "Error", "msg": msg}


def SEQ(lang_type: str, *elements: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "Sequence", "type": lang_type, "elements": list(elements), "is_slice": False}


def LIST(*elements: dict[str, Any]) -> dict[str, Any]:
    return SEQ("List", *elements)


def TUP(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "Tuple", "type": "Tuple", "elements": list(elements)}


def DICT(*pairs: tuple[dict[str, Any], dict[str, Any]]) -> dict[str, Any]:
    return SEQ("Dict", *(TUP(k, v) for k, v in pairs))


def STRUCT(lang_type: str, **fields: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "Struct", "type": lang_type, "fields": fields}


M = __name__  # classes defined here are named "<this module>.Class" in the trace


def MORE(n: int) -> dict[str, Any]:
    return RAW(f"<… {n} more>", "Truncated")


class Colour(enum.IntEnum):
    RED = 1


class Mode(enum.StrEnum):
    FAST = "fast"


class Name(str):
    pass


class MyList(list[int]):
    pass


Point = collections.namedtuple("Point", "x y")
ORDERED = collections.OrderedDict(a=1)


class Plain:
    def __repr__(self) -> str:
        return "Plain()"


class Pair:
    def __init__(self) -> None:
        self.left, self.right = 1, "r"


class Slotted:
    __slots__ = ("a", "b", "unset")

    def __init__(self) -> None:
        self.a, self.b = 1.5, None


def nested(levels: int) -> list[Any]:
    """``levels`` lists, each the only element of the one before."""
    value: list[Any] = []
    for _ in range(levels - 1):
        value = [value]
    return value


CASES: list[tuple[str, object, dict[str, Any]]] = [
    ("none", None, NONE),
    ("true", True, B(True)),
    ("false", False, B(False)),
    ("zero", 0, I(0)),
    ("negative", -17, I(-17)),
    ("i64 max", 2**63 - 1, I(2**63 - 1)),
    ("i64 min", -(2**63), I(-(2**63))),
    ("i64 max + 1", 2**63, RAW("9223372036854775808", "BigInt")),
    ("i64 min - 1", -(2**63) - 1, RAW("-9223372036854775809", "BigInt")),
    ("float", 1.5, F(1.5)),
    ("float max", 1.7976931348623157e308, F(1.7976931348623157e308)),
    ("float subnormal", 5e-324, F(5e-324)),
    ("float 0.1", 0.1, F(0.1)),
    ("nan", math.nan, RAW("nan", "SpecialFloat")),
    ("inf", math.inf, RAW("inf", "SpecialFloat")),
    ("-inf", -math.inf, RAW("-inf", "SpecialFloat")),
    ("empty str", "", S("")),
    ("unicode", "héllo ✓ 𝄞", S("héllo ✓ 𝄞")),
    ("str at limit", "x" * 1000, S("x" * 1000)),
    ("str over limit", "x" * 1001, S("x" * 1000 + "… <+1 chars>")),
    ("lone surrogate", "a\ud800b", S("a\\ud800b")),
    ("str subclass", Name("bob"), {**S("bob"), "type": f"{M}.Name"}),
    ("StrEnum", Mode.FAST, RAW(f"{M}.Mode.FAST", f"{M}.Mode")),
    ("IntEnum", Colour.RED, RAW(f"{M}.Colour.RED", f"{M}.Colour")),
    ("bytes", b"ab\x00", RAW("b'ab\\x00'", "Bytes")),
    ("bytearray", bytearray(b"z"), RAW("bytearray(b'z')", "Bytes")),
    ("bytes over limit", b"a" * 1001, RAW("b'" + "a" * 998 + "… <1001 bytes>", "Bytes")),
    ("complex", 1 + 2j, RAW("(1+2j)", "complex")),
    ("object without fields", Plain(), STRUCT(f"{M}.Plain")),
    ("object", Pair(), STRUCT(f"{M}.Pair", left=I(1), right=S("r"))),
    ("slots, unset skipped", Slotted(), STRUCT(f"{M}.Slotted", a=F(1.5), b=NONE)),
    ("C object", iter([]), RAW("<list_iterator object at 0xADDR>", "list_iterator")),
    ("empty list", [], LIST()),
    ("list", [1, "a", None], LIST(I(1), S("a"), NONE)),
    ("bool in list stays bool", [True, 1], LIST(B(True), I(1))),
    ("tuple", (1, (2.5,)), TUP(I(1), TUP(F(2.5)))),
    ("empty tuple", (), TUP()),
    ("dict", {"a": 1, 2: [None]}, DICT((S("a"), I(1)), (I(2), LIST(NONE)))),
    ("empty dict", {}, SEQ("Dict")),
    ("set sorted", {3, 1, 2}, SEQ("Set", I(1), I(2), I(3))),
    ("set of str sorted", {"b", "c", "a"}, SEQ("Set", S("a"), S("b"), S("c"))),
    ("frozenset", frozenset({2.5, 1}), SEQ("FrozenSet", I(1), F(2.5))),
    ("list over element limit", list(range(66)), LIST(*(I(i) for i in range(64)), MORE(2))),
    ("dict over element limit", dict.fromkeys(range(65), 0),
     SEQ("Dict", *(TUP(I(i), I(0)) for i in range(64)), MORE(1))),
    ("depth 4 expanded", nested(4), LIST(LIST(LIST(LIST())))),
    ("depth 5 summarised", nested(5), LIST(LIST(LIST(LIST(RAW("<… list of 0>", "Truncated")))))),
    ("dict at depth limit", [[[[{"k": 1}]]]],
     LIST(LIST(LIST(LIST(RAW("<… dict of 1>", "Truncated")))))),
    ("list subclass", MyList([1, 2]), SEQ(f"{M}.MyList", I(1), I(2))),
    ("namedtuple", Point(1, 2), {**TUP(I(1), I(2)), "type": f"{M}.Point"}),
    ("OrderedDict", ORDERED, SEQ("collections.OrderedDict", TUP(S("a"), I(1)))),
    ("secret dict key", {"password": "hunter2", "user": "bob"},
     DICT((S("password"), ERR("<redacted>")), (S("user"), S("bob")))),
    ("secret key nested", [{"api_key": 1}], LIST(DICT((S("api_key"), ERR("<redacted>"))))),
]


@pytest.mark.parametrize(("value", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_encodes_as_table_says(
    encode: Callable[[object], Any], value: object, expected: dict[str, Any]
) -> None:
    assert _addresses(encode(value)) == expected


def _addresses(record: Any) -> Any:
    import re

    return json_map(record, lambda text: re.sub(r"0x[0-9a-f]+", "0xADDR", text))


def json_map(value: Any, change: Callable[[str], str]) -> Any:
    if isinstance(value, dict):
        return {k: json_map(v, change) for k, v in value.items()}
    if isinstance(value, list):
        return [json_map(v, change) for v in value]
    return change(value) if isinstance(value, str) else value


#: ``--value-repr repr``: the program's ``__repr__`` runs (the old behaviour, opt-in).
REPR_CASES: list[tuple[str, object, dict[str, Any]]] = [
    ("str subclass", Name("bob"), S("bob")),
    ("IntEnum", Colour.RED, RAW("<Colour.RED: 1>")),
    ("object", Plain(), RAW("Plain()")),
    ("list subclass", MyList([1, 2]), RAW("[1, 2]")),
    ("namedtuple", Point(1, 2), RAW("Point(x=1, y=2)")),
]


@pytest.mark.parametrize(("value", "expected"), [c[1:] for c in REPR_CASES],
                         ids=[c[0] for c in REPR_CASES])
def test_repr_mode_encodes_as_table_says(
    make_encoder: Callable[..., Any], schema: Any, types: Any, value: object,
    expected: dict[str, Any],
) -> None:
    assert schema.normalise(make_encoder(value_repr=True).encode(value), types) == expected


def test_negative_zero_keeps_its_sign(make_encoder: Callable[..., Any]) -> None:
    record = make_encoder().encode(-0.0)
    assert record["kind"] == "Float"
    assert math.copysign(1.0, record["f"]) == -1.0


def test_floats_round_trip_exactly_through_json(make_encoder: Callable[..., Any]) -> None:
    import json

    encoder = make_encoder()
    for value in (0.1, 1 / 3, 2.0**-1074, 1e300 * 1.7, -2.5e-10):
        record = json.loads(json.dumps(encoder.encode(value), allow_nan=False))
        assert record["f"] == value


def test_type_ids_are_declared_once_per_key(make_encoder: Callable[..., Any], types: Any) -> None:
    encoder = make_encoder()
    for _ in range(3):
        encoder.encode([1, 2, {"a": (1.5, True)}])
    assert len(types.calls) == len(set(types.calls))


def test_none_never_declares_a_type(make_encoder: Callable[..., Any], types: Any) -> None:
    assert make_encoder().encode(None) == {"kind": "None", "type_id": 0}
    assert types.calls == []


def test_redaction_can_be_switched_off(make_encoder: Callable[..., Any], types: Any) -> None:
    encoder = make_encoder(redact_secrets=False)
    assert encoder.encode_variable("password", "x")["kind"] == "String"
    pair = encoder.encode({"token": 1})["elements"][0]
    assert pair["elements"][1]["kind"] == "Int"


def test_secret_variable_is_redacted(make_encoder: Callable[..., Any], types: Any) -> None:
    encoder = make_encoder()
    record = encoder.encode_variable("db_password", "hunter2")
    assert record["kind"] == "Error"
    assert record["msg"] == "<redacted>"
    assert "hunter2" not in repr(record)
    assert encoder.failures == 0  # a redaction is not a capture failure


def test_custom_limits_apply(
    make_encoder: Callable[..., Any], norm: Callable[[object], Any]
) -> None:
    encoder = make_encoder(EncodeLimits(max_depth=1, max_elements=2, max_text=3, max_nodes=100))
    assert norm(encoder.encode(["abcdef", [1], 3])) == LIST(
        S("abc… <+3 chars>"), RAW("<… list of 1>", "Truncated"), MORE(1)
    )


def test_depth_zero_summarises_the_value_itself(
    make_encoder: Callable[..., Any], norm: Callable[[object], Any]
) -> None:
    encoder = make_encoder(EncodeLimits(max_depth=0))
    assert norm(encoder.encode({1: 2})) == RAW("<… dict of 1>", "Truncated")
    assert norm(encoder.encode(5)) == I(5)


def test_node_budget_cuts_wide_and_deep_values(
    make_encoder: Callable[..., Any], norm: Callable[[object], Any]
) -> None:
    encoder = make_encoder(EncodeLimits(max_nodes=5))
    # top list (1) + inner list (2) + 1, 2, 3 (5): then the budget is spent
    expected = LIST(LIST(I(1), I(2), I(3), MORE(1)), MORE(1))
    assert norm(encoder.encode([[1, 2, 3, 4], [5]])) == expected
