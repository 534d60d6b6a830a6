"""Hostile values: each must encode to a schema-valid record without raising, hanging or running
user code the encoder does not need (``__getattr__``, ``__class__``, ``__len__``, ``__iter__``)."""

from __future__ import annotations

import json
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any, ClassVar

import pytest

from recorder.errors import ErrorCode, InternalError, RecorderError, enverr
from recorder.values import MARKER_SLACK, EncodeLimits, ValueEncoder

Encoder = Callable[..., ValueEncoder]


class ReprRaises:
    def __repr__(self) -> str:
        raise ValueError("boom")


class ReprNotStr:
    def __repr__(self) -> str:
        return 42  # type: ignore[return-value]


class Shouty(str):
    """A str subclass whose every method the encoder must not call."""

    def __len__(self) -> int:
        raise RuntimeError("len")

    def __getitem__(self, item: object) -> str:
        raise RuntimeError("getitem")

    def __str__(self) -> str:
        raise RuntimeError("str")


class ReprReturnsShouty:
    def __repr__(self) -> str:
        return Shouty("x" * 5000)


class GetattrRaises:
    def __getattr__(self, name: str) -> object:
        raise RuntimeError(f"getattr {name}")


class ClassRaises:
    @property  # type: ignore[misc]
    def __class__(self) -> type:
        raise RuntimeError("__class__")


class Spy:
    """Logs every attribute access on the instance."""

    log: ClassVar[list[str]] = []

    def __getattribute__(self, name: str) -> object:
        Spy.log.append(name)
        return object.__getattribute__(self, name)


class SpyList(list[int]):
    """A list subclass whose protocol methods log: the encoder must call none of them."""

    log: ClassVar[list[str]] = []

    def __len__(self) -> int:
        SpyList.log.append("len")
        return 0

    def __iter__(self) -> Any:
        SpyList.log.append("iter")
        return iter(())


class UnhashableMeta(type):
    def __eq__(cls, other: object) -> bool:
        raise RuntimeError("meta eq")

    def __hash__(cls) -> int:
        raise RuntimeError("meta hash")


class WeirdType(metaclass=UnhashableMeta):
    def __repr__(self) -> str:
        return "weird"


class HugeRepr:
    def __repr__(self) -> str:
        return "y" * 5_000_000


class InterruptingRepr:
    def __repr__(self) -> str:
        raise KeyboardInterrupt


def dumps(record: object) -> str:
    return json.dumps(record, allow_nan=False, ensure_ascii=False)


def test_list_containing_itself(make_encoder: Encoder) -> None:
    value: list[Any] = [1]
    value.append(value)
    record = make_encoder().encode(value)
    assert record["elements"][1]["r"] == "<cycle: list>"
    dumps(record)


def test_dict_containing_itself(make_encoder: Encoder) -> None:
    value: dict[str, Any] = {}
    value["me"] = value
    record = make_encoder().encode(value)
    assert record["elements"][0]["elements"][1]["r"] == "<cycle: dict>"


def test_mutually_recursive_containers(make_encoder: Encoder) -> None:
    a: list[Any] = []
    b: dict[str, Any] = {"a": a}
    a.append((b,))
    record = make_encoder().encode(a)
    tup = record["elements"][0]
    back = tup["elements"][0]["elements"][0]["elements"][1]
    assert back["r"] == "<cycle: list>"


def test_shared_but_acyclic_value_is_encoded_twice(make_encoder: Encoder) -> None:
    shared = [1]
    record = make_encoder().encode([shared, shared])
    assert record["elements"][0] == record["elements"][1]
    assert record["elements"][0]["kind"] == "Sequence"


def test_repr_that_raises_is_an_error_value(make_encoder: Encoder) -> None:
    reasons: list[str] = []
    encoder = make_encoder(on_failure=reasons.append, value_repr=True)
    record = encoder.encode([ReprRaises(), 1])
    assert record["elements"][0]["kind"] == "Error"
    assert record["elements"][0]["msg"] == "<repr failed: ValueError>"
    assert record["elements"][1]["i"] == 1  # the rest of the container survives
    assert encoder.failures == 1
    assert reasons == ["repr:ValueError"]


def test_repr_returning_a_non_str(make_encoder: Encoder) -> None:
    record = make_encoder(value_repr=True).encode(ReprNotStr())
    assert record["msg"] == "<repr failed: TypeError>"


def test_repr_returning_a_hostile_str_subclass(make_encoder: Encoder) -> None:
    record = make_encoder(value_repr=True).encode(ReprReturnsShouty())
    assert record["kind"] == "Raw"
    assert record["r"] == "x" * 1000 + "… <+4000 chars>"


def test_str_subclass_value_with_hostile_methods(make_encoder: Encoder) -> None:
    record = make_encoder().encode(Shouty("abc"))
    assert record["kind"] == "String"
    assert record["text"] == "abc"


def test_getattr_that_raises(make_encoder: Encoder) -> None:
    encoder = make_encoder()
    record = encoder.encode(GetattrRaises())
    assert record["kind"] == "Struct" and record["field_values"] == []
    assert encoder.failures == 0
    record = make_encoder(value_repr=True).encode(GetattrRaises())
    assert record["kind"] == "Raw"
    assert "GetattrRaises object" in record["r"]


def test_class_property_that_raises(make_encoder: Encoder) -> None:
    encoder = make_encoder()
    record = encoder.encode(ClassRaises())
    assert record["kind"] == "Struct"
    pair = encoder.encode({ClassRaises(): 1})["elements"][0]
    assert pair["elements"][1]["i"] == 1  # the secret-key check did not touch __class__
    assert encoder.failures == 0


def test_no_attribute_of_the_instance_is_read(make_encoder: Encoder) -> None:
    Spy.log.clear()
    make_encoder().encode([Spy(), {"k": Spy()}])
    assert Spy.log == []


def test_container_subclass_protocol_is_not_called(make_encoder: Encoder) -> None:
    SpyList.log.clear()
    record = make_encoder().encode(SpyList([1, 2]))
    assert record["kind"] == "Sequence"
    assert [e["i"] for e in record["elements"]] == [1, 2]  # read with list's own C methods
    assert SpyList.log == []


def test_type_with_hostile_metaclass(make_encoder: Encoder) -> None:
    record = make_encoder().encode([WeirdType()])
    assert record["elements"][0]["kind"] == "Struct"  # no __repr__, no metaclass __eq__/__hash__
    record = make_encoder(value_repr=True).encode([WeirdType()])
    assert record["elements"][0]["r"] == "weird"


def test_pathological_repr_is_truncated(make_encoder: Encoder) -> None:
    record = make_encoder(value_repr=True).encode(HugeRepr())
    assert record["r"] == "y" * 1000 + "… <+4999000 chars>"


def test_keyboard_interrupt_in_repr_reaches_the_program(make_encoder: Encoder) -> None:
    with pytest.raises(KeyboardInterrupt):
        make_encoder(value_repr=True).encode(InterruptingRepr())


def test_huge_string_and_list_and_bytes(make_encoder: Encoder) -> None:
    encoder = make_encoder()
    text = encoder.encode("z" * 10_000_000)["text"]
    assert text == "z" * 1000 + "… <+9999000 chars>"
    record = encoder.encode(list(range(1_000_000)))
    assert len(record["elements"]) == 65
    assert record["elements"][-1]["r"] == "<… 999936 more>"
    raw = encoder.encode(b"\xff" * 10_000_000)["r"]
    assert raw.endswith("… <10000000 bytes>")
    assert len(raw) <= 1000 + MARKER_SLACK


def test_deeply_nested_lists_do_not_recurse(make_encoder: Encoder) -> None:
    value: list[Any] = []
    for _ in range(100_000):  # far beyond the recursion limit
        value = [value]
    record = make_encoder().encode(value)
    depth = 0
    while record["kind"] == "Sequence":
        record = record["elements"][0]
        depth += 1
    assert depth == 4
    assert record["r"] == "<… list of 1>"


def test_encoding_at_every_depth_up_to_the_recursion_limit(make_encoder: Encoder) -> None:
    """At the limit, the call into the encoder may fail (the caller's frame has no room), but
    once entered the encoder never lets a RecursionError out: it returns a record instead."""
    encoder = make_encoder(value_repr=True)
    encoder.encode(ReprRaises())  # declares the Error type, as any earlier failure would have
    value = [[[[1, "a", (2.5,)]]], {"k": ReprRaises()}]
    others = [ReprRaises(), 10**5000, "é" * 2000, {1: 2}, b"x" * 3000]
    records: list[dict[str, Any]] = []
    escaped: list[BaseException] = []

    def recurse() -> None:
        try:  # noqa: SIM105 - contextlib.suppress would add calls, and move the edge
            recurse()
        except RecursionError:
            pass
        # Each way back up leaves one more frame: every value meets every edge offset once.
        for other in [value, *others]:
            try:
                record = encoder.encode(other)
            except RecursionError as exc:
                escaped.append(exc)
            else:
                if other is value:
                    records.append(record)

    recurse()
    inside = [
        exc for exc in escaped
        if any("recorder/values" in frame.f_code.co_filename
               for frame, _ in traceback.walk_tb(exc.__traceback__))
    ]
    assert inside == []
    assert records
    assert {r["kind"] for r in records} <= {"Sequence", "Error"}
    assert records[-1]["kind"] == "Sequence"  # with room to spare, the full value
    for record in records:
        dumps(record)


def test_ten_thousand_digit_integer(make_encoder: Encoder) -> None:
    value = 7 * 10**9999 + 123
    record = make_encoder().encode(value)
    assert record["kind"] == "Raw"
    assert record["r"] == "7" + "0" * 499 + "…" + "0" * 497 + "123 <10000 digits>"


def test_nan_and_infinities_are_json(make_encoder: Encoder) -> None:
    encoder = make_encoder()
    for value in (float("nan"), float("inf"), float("-inf"), [float("nan")]):
        dumps(encoder.encode(value))


def test_other_threads_mutating_a_dict_cannot_break_the_walk(make_encoder: Encoder) -> None:
    # The walk copies items in C before running any Python code, so a dict changing size
    # between elements (another thread, or a repr mutating it) does not raise.
    value: dict[object, object] = {}

    class Mutator:
        def __repr__(self) -> str:
            value[len(value) + 100] = 0
            return "m"

    value.update({0: Mutator(), 1: Mutator()})
    record = make_encoder(value_repr=True).encode(value)
    assert [p["elements"][1]["r"] for p in record["elements"][:2]] == ["m", "m"]


def test_failure_callback_errors_reach_the_caller(make_encoder: Encoder) -> None:
    def broken(reason: str) -> None:
        raise RuntimeError(reason)

    with pytest.raises(RuntimeError, match="repr:ValueError"):
        make_encoder(on_failure=broken, value_repr=True).encode(ReprRaises())


class FailingTypes:
    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def type_id(self, kind: int, lang_type: str) -> int:
        raise self.exc


def test_type_table_output_failure_propagates_unchanged() -> None:
    error = enverr(ErrorCode.DISK_FULL, "disk full")
    with pytest.raises(RecorderError) as info:
        ValueEncoder(FailingTypes(error)).encode([1])
    assert info.value is error


def test_type_table_bug_is_classified() -> None:
    with pytest.raises(InternalError) as info:
        ValueEncoder(FailingTypes(KeyError("x"))).encode(1)
    assert info.value.code is ErrorCode.VALUE_ENCODING_FAILED


@pytest.mark.parametrize(
    "field", ["max_depth", "max_elements", "max_text", "max_nodes"]
)
def test_bad_limits_are_usage_errors(field: str) -> None:
    with pytest.raises(RecorderError) as info:
        EncodeLimits(**{field: -1})
    assert info.value.code is ErrorCode.INVALID_ARGUMENT


def test_the_interpreter_setting_for_int_digits_is_untouched(make_encoder: Encoder) -> None:
    before = sys.get_int_max_str_digits()
    make_encoder(EncodeLimits(max_text=50_000)).encode(10**20_000)
    assert sys.get_int_max_str_digits() == before


def test_threads_sharing_one_encoder_do_not_disturb_each_other(make_encoder: Encoder) -> None:
    # Cycle tracking and the node budget live in a per-call walk, not on the encoder: threads
    # encoding the same shared (cyclic) value at once each get the single-threaded record.
    encoder = make_encoder()
    shared: list[Any] = [[1, 2], {"k": (3, 4)}, "x" * 50]
    shared.append(shared)
    expected = encoder.encode(shared)
    results: list[dict[str, Any]] = []

    def work() -> None:
        for _ in range(200):
            results.append(encoder.encode(shared))

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(old)
    assert len(results) == 800
    assert all(result == expected for result in results)
