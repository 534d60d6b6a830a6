"""The fast JSON paths (scalars, plain-data containers) produce exactly the encoder's text."""

from __future__ import annotations

import enum
import json
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from recording_support import MemorySink

from recorder.trace_writer import TraceWriter
from recorder.tracing import valuejson
from recorder.tracing.valuejson import ValueJson
from recorder.values.encoder import ValueEncoder
from recorder.values.limits import EncodeLimits
from recorder.values.records import DROPPED, REDACTED
from recorder.values.structural import Shape

LIMITS = EncodeLimits(max_depth=4, max_elements=64, max_text=50, max_nodes=512)
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
scalars = (
    st.none() | st.booleans() | st.integers() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=80)
    | st.text(alphabet=st.characters(max_codepoint=127), max_size=80)
    | st.lists(st.integers(), max_size=3)
)


@given(scalars)
def test_fast_path_equals_the_encoder(value: object) -> None:
    writer = TraceWriter(MemorySink())
    writer.type_id(30, "None")
    fast = ValueJson(writer, LIMITS)
    reference = ValueEncoder(writer, LIMITS)
    assert json.loads(fast.value(value)) == reference.encode(value)


@given(st.sampled_from(["password", "api_key", "sessionId"]), scalars)
def test_the_redacted_record_is_the_encoders(name: str, value: object) -> None:
    # Which names are redacted is the trace filter's decision (tests/filters); the record is one.
    writer = TraceWriter(MemorySink())
    writer.type_id(30, "None")
    fast = ValueJson(writer, LIMITS)
    reference = ValueEncoder(writer, LIMITS)
    assert json.loads(fast.redacted) == reference.encode_variable(name, value)


def test_dict_key_redaction_can_be_switched_off() -> None:
    writer = TraceWriter(MemorySink())
    writer.type_id(30, "None")
    values = ValueJson(writer, LIMITS, redact_secrets=False)
    assert "redacted" not in values.value({"password": 7})
    # Also where the encoder writes the value (an element the fast path leaves to it).
    assert "redacted" not in values.value({"password": 7, "other": Shy()})
    assert "redacted" in ValueJson(writer, LIMITS).value({"password": 7, "other": Shy()})


def test_the_markers_are_the_encoders() -> None:
    fast_writer, fast, reference_writer, reference = _pair(LIMITS)
    assert fast.dropped == _dumps(reference.marker(DROPPED))
    assert fast.dropped is fast.dropped  # built once
    assert fast.redacted == _dumps(reference.marker(REDACTED))
    fast_writer.flush()
    reference_writer.flush()
    assert fast_writer._sink.data == reference_writer._sink.data  # type: ignore[attr-defined]


class Shy:
    """An object whose repr counts its calls: the encoder may run it once per value, no more."""

    calls = 0

    def __repr__(self) -> str:
        Shy.calls += 1
        return "Shy()"


keys = st.integers(-5, 5) | st.sampled_from(["a", "name", "password", "apiKey", "é", "x" * 60])
plain = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=6)
    | st.lists(inner, max_size=6).map(tuple)
    | st.dictionaries(keys, inner, max_size=5),
    max_leaves=40,
)
tight = st.builds(
    EncodeLimits,
    max_depth=st.integers(0, 4),
    max_elements=st.integers(1, 6),
    max_text=st.just(50),
    max_nodes=st.integers(1, 40),
)


def _pair(limits: EncodeLimits) -> tuple[TraceWriter, ValueJson, TraceWriter, ValueEncoder]:
    fast_writer, reference_writer = TraceWriter(MemorySink()), TraceWriter(MemorySink())
    return fast_writer, ValueJson(fast_writer, limits), reference_writer, ValueEncoder(
        reference_writer, limits
    )


def _pair_knowing_records() -> tuple[TraceWriter, ValueJson, TraceWriter, ValueEncoder]:
    """A pair that has seen a field-less ``Record``: the class's shape is known to both."""
    fast_writer, fast, reference_writer, reference = _pair(LIMITS)
    assert fast.value(Record()) == _dumps(reference.encode(Record()))
    return fast_writer, fast, reference_writer, reference


@given(plain, tight | st.just(LIMITS))
def test_plain_data_text_equals_the_encoders(value: object, limits: EncodeLimits) -> None:
    fast_writer, fast, reference_writer, reference = _pair(limits)
    assert fast.value(value) == _dumps(reference.encode(value))
    # Same types declared in the same order, so whole traces are identical, not just values.
    fast_writer.flush()
    reference_writer.flush()
    assert fast_writer._sink.data == reference_writer._sink.data  # type: ignore[attr-defined]


def test_plain_data_cut_by_a_limit_goes_to_the_encoder() -> None:
    limits = EncodeLimits(max_depth=2, max_elements=3, max_nodes=8)
    cyclic: list[object] = [1]
    cyclic.append(cyclic)
    for value in ([1, 2, 3, 4], [[[1]]], [list(range(3))] * 3, cyclic, {"token": 1},
                  {"k": [[1]]}, {"k": {"j": {"i": 1}}}, [{"k": [1]}], {((1,),): 1},
                  {"a": [1, 2, 3, 4]}, {"k": {"j": {}}}, [[{}]], {"k": [[]]}, [{(1,): 1}]):
        _, fast, _, reference = _pair(limits)
        text = fast.value(value)
        assert text == _dumps(reference.encode(value))
        assert any(mark in text for mark in ("<…", "<cycle", "<redacted>")), text


def test_other_elements_are_repred_once_per_value_in_repr_mode() -> None:
    writer = TraceWriter(MemorySink())
    fast = ValueJson(writer, LIMITS, value_repr=True)
    reference = ValueEncoder(TraceWriter(MemorySink()), LIMITS, value_repr=True)
    value = [1, {"k": (2, Shy())}, "s"]
    Shy.calls = 0
    text = fast.value(value)
    assert Shy.calls == 1
    assert text == _dumps(reference.encode(value))


def test_other_elements_are_never_repred_in_safe_mode() -> None:
    _, fast, _, reference = _pair(LIMITS)
    value = [1, {"k": (2, Shy())}, "s"]
    Shy.calls = 0
    text = fast.value(value)
    assert Shy.calls == 0
    assert text == _dumps(reference.encode(value))


class NoEncoder:
    """Stands in for the encoder where the fast path must do the whole job."""

    limits = LIMITS

    def encode(self, value: object) -> object:
        raise AssertionError(f"the encoder was asked for {value!r}")


def test_plain_data_within_the_limits_never_reaches_the_encoder() -> None:
    _, fast, _, _ = _pair(LIMITS)
    fast.encoder = NoEncoder()  # type: ignore[assignment]
    value = [1, "a", None, True, 1.5, (2, ()), {"k": [3], 4: {}, "n": None, False: 1.5},
             {((1,),): 2, (): None}, [[[]]]]
    assert json.loads(fast.value(value))["kind"] == "Sequence"


class Text(str):
    """A str subclass: not the plain text the fast path writes itself."""


@pytest.mark.parametrize("key", [frozenset({1}), Shy(), 2**70, "é" * 60, Text("password")],
                         ids=["frozenset", "program object", "big int", "long text",
                              "secret-looking str subclass"])
def test_a_key_the_fast_path_does_not_write_goes_to_the_encoder(key: object) -> None:
    fast_writer, fast, reference_writer, reference = _pair(LIMITS)
    value = {key: 1, "after": [key]}
    assert fast.value(value) == _dumps(reference.encode(value))
    fast_writer.flush()
    reference_writer.flush()
    assert fast_writer._sink.data == reference_writer._sink.data  # type: ignore[attr-defined]


def test_a_value_deeper_than_the_stack_goes_to_the_encoder() -> None:
    _, fast, _, reference = _pair(
        EncodeLimits(max_depth=10**6, max_elements=10, max_text=50, max_nodes=10**7))
    value: list[object] = []
    inner = value
    for _ in range(sys.getrecursionlimit() * 2):
        inner.append([])
        inner = inner[0]  # type: ignore[assignment]
    expected = _dumps(reference.encode(value))
    assert json.loads(expected)["kind"]  # (the encoder's record of the failure)
    assert fast.value(value) == expected


def test_scalars_seen_before_come_from_the_cache() -> None:
    _, fast, _, _ = _pair(LIMITS)
    first = {number: fast.value(number) for number in (7, "seven")}
    assert fast.cache == first  # each kept under the value itself
    fast.cache = {7: "<int 7 from the cache>", "seven": "<str from the cache>"}
    assert fast.value(7) == "<int 7 from the cache>"
    assert fast.value("seven") == "<str from the cache>"
    assert fast.value([7, "seven"]).count("from the cache") == 2
    assert fast.value({7: "seven"}).count("from the cache") == 2


# -- plain structs: program objects whose fields are all scalars --------------------------------

field_names = st.sampled_from(["x", "y", "name", "password", "apiKey", "token", "_private", "é"])
struct_fields = st.dictionaries(field_names, scalars | st.builds(Shy), max_size=7)
actions = st.dictionaries(field_names, st.sampled_from(["allow", "redact", "drop"]), max_size=4)


class Record:
    """A program object whose fields come from the test."""


class Slotted:
    __slots__ = ("a", "b")


class CountingActions:
    """A trace filter's ``attr`` actions, counting non-allowed answers as the filter does."""

    def __init__(self, chosen: dict[str, str]) -> None:
        self.chosen = chosen
        self.counted: list[tuple[str, str]] = []

    def __call__(self, name: str) -> str:
        action = self.chosen.get(name, "allow")
        if action != "allow":
            self.counted.append((name, action))
        return action


@given(struct_fields, actions, tight | st.just(LIMITS), st.booleans())
@example({"x": 2**64}, {}, LIMITS, False)  # a scalar the fast path leaves to the encoder
@example({"x": "long" * 20}, {}, LIMITS, False)
@example({"x": "é"}, {}, LIMITS, False)
@example({"x": float("nan"), "y": float("-inf")}, {}, LIMITS, False)
def test_plain_struct_text_equals_the_encoders(
    fields: dict[str, object], chosen: dict[str, str], limits: EncodeLimits, filtered: bool,
) -> None:
    fast_writer, fast, reference_writer, reference = _pair(limits)
    fast_actions, reference_actions = CountingActions(chosen), CountingActions(chosen)
    if filtered:  # else: the encoders' own secret-name redaction
        fast.encoder.attr_action = fast_actions
        reference.attr_action = reference_actions
    # The first object of a class goes through the encoder (which learns the class's shape); the
    # next ones may take the fast path. The first has no fields, so that the struct type of the
    # others (one per field-name list, with the field types of its first object) is the fast
    # path's to declare.
    first, second, third = Record(), Record(), Record()
    second.__dict__.update(fields)
    third.__dict__.update(reversed(fields.items()))
    for value in (first, second, third):
        assert fast.value(value) == _dumps(reference.encode(value))
    fast_writer.flush()
    reference_writer.flush()
    assert fast_writer._sink.data == reference_writer._sink.data  # type: ignore[attr-defined]
    assert fast_actions.counted == reference_actions.counted


@given(st.lists(st.tuples(struct_fields, st.integers(0, 2)), min_size=2, max_size=8),
       st.lists(actions, min_size=3, max_size=3))
@example([({"x": 1}, 0), ({"x": "s"}, 0), ({"x": 2}, 1)], [{}, {}, {}])  # a layout seen again
@example([({"x": 1}, 0), ({"x": 1}, 1)], [{}, {"x": "redact"}, {}])  # then a field not allowed
@example([({"x": 1, "y": 2}, 1), ({"x": 1, "y": 2}, 0)], [{}, {"y": "drop"}, {}])
def test_struct_layouts_seen_again_give_the_encoders_text_and_counts(
    objects: list[tuple[dict[str, object], int]], chosen: list[dict[str, str]],
) -> None:
    # Objects of one class with changing fields under changing attr actions: a field-name layout
    # seen before reuses its type id, a name not yet allowed under the current action is asked.
    fast_writer, fast, reference_writer, reference = _pair_knowing_records()
    fast_actions = [CountingActions(choice) for choice in chosen]
    reference_actions = [CountingActions(choice) for choice in chosen]
    for fields, which in objects:
        fast.encoder.attr_action = fast_actions[which]
        reference.attr_action = reference_actions[which]
        target = Record()
        target.__dict__.update(fields)
        assert fast.value(target) == _dumps(reference.encode(target))
    fast_writer.flush()
    reference_writer.flush()
    assert fast_writer._sink.data == reference_writer._sink.data  # type: ignore[attr-defined]
    assert [a.counted for a in fast_actions] == [a.counted for a in reference_actions]


def test_plain_structs_after_the_first_never_reach_the_encoder() -> None:
    _, fast, _, reference = _pair(LIMITS)
    first, second = Slotted(), Slotted()
    first.a, second.a, second.b = 1, 2, "two"
    assert fast.value(first) == _dumps(reference.encode(first))
    encoder = fast.encoder
    fast.encoder = NoEncoder()  # type: ignore[assignment]
    fast.encoder.known_shape = encoder.known_shape  # type: ignore[attr-defined]
    fast.encoder.struct_type = encoder.struct_type  # type: ignore[attr-defined]
    fast.encoder.attr_action = encoder.attr_action  # type: ignore[attr-defined]
    assert fast.value(second) == _dumps(reference.encode(second))


def test_struct_fields_equal_to_cached_ints_keep_their_own_type() -> None:
    fast_writer, fast, reference_writer, reference = _pair(LIMITS)
    for number in (1, 0):  # cached: True == 1, 1.0 == 1 and False == 0 must not find them
        assert fast.value(number) == _dumps(reference.encode(number))
    fast.value(Record())  # the shape is known from now on
    reference.encode(Record())
    # The first object asks for its field names; the second has the same layout, known by then.
    for _ in range(2):
        target = Record()
        target.a, target.b, target.c, target.d = 1, True, 1.0, False  # type: ignore[attr-defined]
        assert fast.value(target) == _dumps(reference.encode(target))
    fast_writer.flush()
    reference_writer.flush()
    assert fast_writer._sink.data == reference_writer._sink.data  # type: ignore[attr-defined]


def test_struct_field_types_are_declared_from_a_cache_another_thread_filled() -> None:
    # Threads share one writer and one scalar cache, not the type ids each has seen.
    fast_writer, other_thread, reference_writer, reference = _pair(LIMITS)
    for scalar in (5, "s"):
        assert other_thread.value(scalar) == _dumps(reference.encode(scalar))
    this_thread = ValueJson(fast_writer, LIMITS)
    this_thread.cache = other_thread.cache
    for values in (other_thread, this_thread):
        values.value(Record())  # the shape is known from now on
        reference.encode(Record())
    target = Record()
    target.n, target.s = 5, "s"  # type: ignore[attr-defined]
    assert this_thread.value(target) == _dumps(reference.encode(target))
    fast_writer.flush()
    reference_writer.flush()
    assert fast_writer._sink.data == reference_writer._sink.data  # type: ignore[attr-defined]


def _generator() -> Iterator[int]:
    yield 1


class Color(enum.Enum):
    RED = 1


class Count(int):
    pass


@pytest.mark.parametrize("make", [
    _generator, lambda: iter([1]), lambda: _generator, object, lambda: len, lambda: "".join,
    lambda: range(3).__iter__(), lambda: threading.Lock(),
    # other kinds of program objects, which stay the encoder's
    lambda: Color.RED, lambda: Count(5), lambda: b"bytes", lambda: {1, 2},
], ids=["generator", "list-iterator", "function", "object", "builtin", "method", "range-iterator",
        "lock", "enum", "int-subclass", "bytes", "set"])
def test_objects_without_fields_are_the_encoders_summary(make: Callable[[], object]) -> None:
    limits = EncodeLimits(max_text=24)  # some summaries are clipped
    fast_writer, fast, reference_writer, reference = _pair(limits)
    first, second = make(), make()
    for value in (first, second):  # the second may take the fast path (the shape is known)
        assert fast.value(value) == _dumps(reference.encode(value))
    fast_writer.flush()
    reference_writer.flush()
    assert fast_writer._sink.data == reference_writer._sink.data  # type: ignore[attr-defined]


# -- texts kept between values: never stale -------------------------------------------------------

def _mutations() -> list[tuple[str, Callable[[list[object]], None]]]:
    def assign(index: int, item: object) -> Callable[[list[object]], None]:
        return lambda target: target.__setitem__(index, item)

    return [
        ("unchanged", lambda target: None),
        ("equal, not identical", assign(0, int("1000001"))),
        ("str element replaced", assign(1, "b")),
        ("appended", lambda target: target.append(2.5)),
        ("bool for the int it equals", assign(0, True)),
        ("float for the int it equals", assign(0, 1.0)),
        ("nested list", assign(0, [1])),
        ("program object", assign(0, Shy())),
        ("scalars again", assign(0, None)),
        ("cleared", lambda target: target.clear()),
    ]


def test_a_list_changed_in_place_is_encoded_again() -> None:
    fast_writer, fast, reference_writer, reference = _pair(LIMITS)
    target: list[object] = [1000001, "a", (1, "t")]
    container: dict[object, object] = {"k": target, 1: (2, 3)}
    for name, mutate in _mutations():
        mutate(target)
        for value in (target, container, [target, target], tuple(target)):
            assert fast.value(value) == _dumps(reference.encode(value)), name
    fast_writer.flush()
    reference_writer.flush()
    assert fast_writer._sink.data == reference_writer._sink.data  # type: ignore[attr-defined]


@given(st.lists(st.lists(st.sampled_from([0, 1, 1.0, True, None, "a", "b", 2**70]), max_size=4)),
       tight | st.just(LIMITS))
def test_lists_at_the_same_address_get_their_own_text(
    contents: list[list[object]], limits: EncodeLimits,
) -> None:
    # One list object refilled with each content in turn, then kept at two depths (the budget
    # left at the second place differs): the text must follow the content and the place.
    _, fast, _, reference = _pair(limits)
    target: list[object] = []
    for content in contents:
        target[:] = content
        for value in (target, [target], {"k": target, "j": [target]}):
            assert fast.value(value) == _dumps(reference.encode(value))


@pytest.mark.parametrize("keys", [
    [True, 1, 1.0, "1"], ["password", "name", "password"], [("a", 1), ("a", 1)], ["x" * 60, "é"],
], ids=["equal keys of other types", "secret key again", "tuple keys", "clipped keys"])
def test_dict_entries_kept_per_key_follow_the_key_type(keys: list[object]) -> None:
    fast_writer, fast, reference_writer, reference = _pair(LIMITS)
    for index, key in enumerate(keys):
        value = {key: index, "other": [key]}
        assert fast.value(value) == _dumps(reference.encode(value)), key
    fast_writer.flush()
    reference_writer.flush()
    assert fast_writer._sink.data == reference_writer._sink.data  # type: ignore[attr-defined]


def _reversed_fields(target: Record) -> None:
    fields = list(target.__dict__.items())
    target.__dict__.clear()
    target.__dict__.update(reversed(fields))


def _object_changes() -> list[tuple[str, Callable[[Record], None]]]:
    def assign(name: str, item: object) -> Callable[[Record], None]:
        return lambda target: setattr(target, name, item)

    return [
        ("unchanged", lambda target: None),
        ("equal, not identical", assign("x", int("1000001"))),
        ("bool for the int it equals", assign("x", True)),
        ("field added", assign("token", "t")),
        ("field removed", lambda target: delattr(target, "token")),
        ("program object", assign("y", Shy())),
        ("a list", assign("y", [1])),
        ("that list changed in place", lambda target: target.y.append(2)),  # type: ignore[attr-defined]
        ("scalar again", assign("y", 2.5)),
        ("fields reordered", _reversed_fields),
        ("a field renamed, the same value", _renamed_field),
        ("a key that is not a str", lambda target: target.__dict__.__setitem__(1, "n")),
        ("that key removed", lambda target: target.__dict__.pop(1)),
        ("the same entries in a dict subclass", _dict_subclass),
        ("the same entries in a dict again", lambda target: setattr(
            target, "__dict__", dict(target.__dict__))),
        ("a slot set last (where there is one)", _set_last_slot),
        ("that slot unset", _unset_last_slot),
    ]


def _set_last_slot(target: Record) -> None:
    if isinstance(target, WithSlot):
        target.t = "last"


def _unset_last_slot(target: Record) -> None:
    if isinstance(target, WithSlot):
        del target.t


def _renamed_field(target: Record) -> None:
    # The last field, so that the values stay in the same order: only the names differ.
    fields = list(target.__dict__.items())
    target.__dict__.clear()
    target.__dict__.update([*fields[:-1], (f"{fields[-1][0]}_renamed", fields[-1][1])])


class Namespace(dict[str, object]):
    """A ``__dict__`` that is not exactly a dict: its own methods are program code, never run."""

    calls = 0

    def items(self) -> Any:
        Namespace.calls += 1
        return super().items()

    def __len__(self) -> int:
        Namespace.calls += 1
        return super().__len__()


def _dict_subclass(target: Record) -> None:
    target.__dict__ = Namespace(target.__dict__)


class WithSlot:
    """Fields from a ``__dict__`` and then from slots."""

    __slots__ = ("__dict__", "s", "t")


@pytest.mark.parametrize("storage", [Record, WithSlot], ids=["__dict__", "__dict__ and a slot"])
@pytest.mark.parametrize("chosen", [{}, {"token": "redact"}, {"x": "drop"}],
                         ids=["all allowed", "redacted field", "dropped field"])
def test_an_object_changed_in_place_is_encoded_again(
    chosen: dict[str, str], storage: type[Record],
) -> None:
    fast_writer, fast, reference_writer, reference = _pair(LIMITS)
    fast_actions, reference_actions = CountingActions(chosen), CountingActions(chosen)
    fast.value(storage())  # the shape is known from now on
    reference.encode(storage())
    # Under the built-in rule, then under a trace filter's actions, then switching at each value:
    # a change is seen right after the text was kept for the same action, and after another one.
    for pattern in ((False,), (True,), (False, True)):
        target = storage()
        target.x, target.y = 1000001, "a"  # type: ignore[attr-defined]
        if storage is WithSlot:
            target.s = "slot"  # type: ignore[attr-defined]
        for name, change in _object_changes():
            change(target)
            for filtered in (*pattern, *pattern):
                fast.encoder.attr_action = fast_actions if filtered else fast.encoder._secret_attr
                reference.attr_action = reference_actions if filtered else reference._secret_attr
                assert fast.value(target) == _dumps(reference.encode(target)), name
    fast_writer.flush()
    reference_writer.flush()
    assert fast_writer._sink.data == reference_writer._sink.data  # type: ignore[attr-defined]
    assert fast_actions.counted == reference_actions.counted
    assert Namespace.calls == 0


# -- the fast path's own reach: values at the very limits, and kept texts used again ------------

EXACT = EncodeLimits(max_depth=2, max_elements=3, max_text=5, max_nodes=12)


@pytest.mark.parametrize("value", [
    -(2**63), 2**63 - 1, "abcde", [1, 2, 3], ("a", "b", "c"), [[1, 2, 3], [4, 5, 6], [7]],
    {"k": [1, 2, 3]}, [[1, 2], {"a": 1, "b": 2}], {1: (2,), "b": 4, None: 5.5}, {(1, 2): True},
], ids=["i64 min", "i64 max", "max_text", "max_elements", "tuple", "max_nodes - 1 records",
        "dict at max_depth", "dict inside", "keys of three types", "tuple key"])
def test_values_at_the_limits_never_reach_the_encoder(value: object) -> None:
    fast_writer, fast, reference_writer, reference = _pair(EXACT)
    expected = _dumps(reference.encode(value))
    fast.encoder = NoEncoder()  # type: ignore[assignment]
    assert fast.value(value) == expected
    assert fast.value(value) == expected  # the second time from the kept texts, if any
    fast_writer.flush()
    reference_writer.flush()
    assert fast_writer._sink.data == reference_writer._sink.data  # type: ignore[attr-defined]


@pytest.mark.parametrize("value", [[1, "a"], ("a",), {"k": 1}], ids=["list", "tuple", "dict"])
def test_flat_containers_at_depth_limit_one_never_reach_the_encoder(value: object) -> None:
    _, fast, _, reference = _pair(EncodeLimits(max_depth=1))
    expected = _dumps(reference.encode(value))
    fast.encoder = NoEncoder()  # type: ignore[assignment]
    assert fast.value(value) == expected


class CountingCache(dict[object, str]):
    """The cache of scalar texts, counting the lookups of the container walks."""

    lookups = 0

    def get(self, key: object, default: str | None = None) -> str | None:  # type: ignore[override]
        CountingCache.lookups += 1
        return super().get(key, default)


# (a dict's entries are walked again, with the scalar values among them, but not its containers)
@pytest.mark.parametrize(("make", "lookups"), [
    (lambda: [1, "a", 2.5, None, True], 0), (lambda: (1, "a"), 0),
    (lambda: [[1, "a"], (2, "b")], 0), (lambda: {"k": (1, 2), 3: "x", 4: [5, 6]}, 1),
], ids=["flat list", "flat tuple", "flat elements", "dict of flat values"])
def test_an_unchanged_container_is_not_walked_again(
    make: Callable[[], object], lookups: int,
) -> None:
    _, fast, _, reference = _pair(LIMITS)
    fast.cache = CountingCache()
    value = make()
    assert fast.value(value) == _dumps(reference.encode(value))
    CountingCache.lookups = 0
    assert fast.value(value) == _dumps(reference.encode(value))
    assert CountingCache.lookups == lookups


@pytest.mark.parametrize("storage", [Record, WithSlot], ids=["__dict__", "__dict__ and a slot"])
def test_an_unchanged_object_is_not_read_again(
    storage: type[Record], monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, fast, _, reference = _pair(LIMITS)
    fast_actions, reference_actions = CountingActions({}), CountingActions({})
    asked: list[str] = []
    fast.encoder.attr_action = lambda name: asked.append(name) or fast_actions(name)
    reference.attr_action = reference_actions
    fast.cache = CountingCache()
    target = storage()
    target.x, target.y = 1, "a"  # type: ignore[attr-defined]
    fast.value(storage())
    reference.encode(storage())
    for number in range(3):
        target.x = number  # type: ignore[attr-defined]  # (a changed object is read again)
        assert fast.value(target) == _dumps(reference.encode(target))
    assert asked == ["x", "y"]  # each allowed name asked once, then known
    expected = _dumps(reference.encode(target))
    CountingCache.lookups = 0
    listed: list[object] = []
    fields_from = Shape.fields_from
    monkeypatch.setattr(Shape, "fields_from", lambda shape, value, namespace: listed.append(
        value) or fields_from(shape, value, namespace))
    assert fast.value(target) == expected
    assert CountingCache.lookups == 0
    # An object with only a __dict__ is compared with its kept text without a field list.
    assert listed == ([] if storage is Record else [target])


def test_an_object_is_kept_from_the_text_that_asked_for_its_field_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, fast, _, reference = _pair_knowing_records()
    target = Record()
    target.x, target.y = 1, "a"  # type: ignore[attr-defined]
    expected = _dumps(reference.encode(target))
    assert fast.value(target) == expected  # its names are new: asked, and the text kept
    monkeypatch.setattr(fast.encoder, "encode", NoEncoder().encode)
    fast.cache = CountingCache(fast.cache)
    CountingCache.lookups = 0
    assert fast.value(target) == expected
    assert CountingCache.lookups == 0


def test_a_known_field_layout_does_not_ask_the_encoder_for_its_type_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast_writer, fast, reference_writer, reference = _pair_knowing_records()
    asked: list[tuple[str, list[str]]] = []
    struct_type = fast.encoder.struct_type
    monkeypatch.setattr(fast.encoder, "struct_type", lambda name, names, type_ids: asked.append(
        (name, names)) or struct_type(name, names, type_ids))
    # The names are asked with the first layout; the second is new, its names known already.
    for fields in ({"x": 0, "y": "a"}, {"x": 1, "y": "b"}, {"y": 2}, {"y": 3}, {"y": "c"}):
        target = Record()
        target.__dict__.update(fields)
        assert fast.value(target) == _dumps(reference.encode(target))
    assert [names for _, names in asked] == [["x", "y"], ["y"]]
    fast_writer.flush()
    reference_writer.flush()
    assert fast_writer._sink.data == reference_writer._sink.data  # type: ignore[attr-defined]


def test_a_list_whose_inner_containers_change_in_place_is_encoded_again() -> None:
    _, fast, _, reference = _pair(LIMITS)
    inner_list: list[object] = [1]
    inner_dict: dict[object, object] = {"k": 1}
    outer = [inner_list, inner_dict]
    for step in range(3):
        inner_list.append(step)
        inner_dict[step] = "v"
        assert fast.value(outer) == _dumps(reference.encode(outer)), step


# -- the records' own serialiser --------------------------------------------------------------

@pytest.mark.parametrize("accelerated", [True, False], ids=["_json", "pure Python"])
def test_records_are_written_as_compact_json_in_order_with_text_kept(
    accelerated: bool, monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not accelerated:  # an interpreter without the _json accelerator
        monkeypatch.setattr(json.encoder, "c_make_encoder", None)
    dumps = valuejson._record_dumps()
    record = {"kind": "String", "text": 'é\u2028"\\\n\x00', "type_id": 3,
              "b": [1, -2.5, None, True, False, {"z": [], "a": {}}], "a": ""}
    assert dumps(record) == json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    for unwritable in ({"f": float("nan")}, {"f": float("inf")}, {(1,): "a key JSON cannot hold"}):
        with pytest.raises((ValueError, TypeError)):
            dumps(unwritable)
