"""The fast JSON paths (scalars, plain-data containers) produce exactly the encoder's text."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from recorder.trace_writer import TraceWriter
from recorder.tracing.valuejson import ValueJson
from recorder.values.encoder import ValueEncoder
from recorder.values.limits import EncodeLimits


class NullSink:
    """Keeps what the writer flushed (the declared types, for comparing two writers)."""

    def __init__(self) -> None:
        self.data = b""

    def write(self, data: bytes) -> None:
        self.data += data

    def close(self) -> None:
        pass


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
    writer = TraceWriter(NullSink())
    writer.type_id(30, "None")
    fast = ValueJson(writer, LIMITS)
    reference = ValueEncoder(writer, LIMITS)
    assert json.loads(fast.value(value)) == reference.encode(value)


@given(st.sampled_from(["password", "api_key", "sessionId"]), scalars)
def test_the_redacted_record_is_the_encoders(name: str, value: object) -> None:
    # Which names are redacted is the trace filter's decision (tests/filters); the record is one.
    writer = TraceWriter(NullSink())
    writer.type_id(30, "None")
    fast = ValueJson(writer, LIMITS)
    reference = ValueEncoder(writer, LIMITS)
    assert json.loads(fast.redacted) == reference.encode_variable(name, value)


def test_dict_key_redaction_can_be_switched_off() -> None:
    writer = TraceWriter(NullSink())
    writer.type_id(30, "None")
    values = ValueJson(writer, LIMITS, redact_secrets=False)
    assert "redacted" not in values.value({"password": 7})


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
    fast_writer, reference_writer = TraceWriter(NullSink()), TraceWriter(NullSink())
    return fast_writer, ValueJson(fast_writer, limits), reference_writer, ValueEncoder(
        reference_writer, limits
    )


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
    for value in ([1, 2, 3, 4], [[[1]]], [list(range(3))] * 3, cyclic, {"token": 1}):
        _, fast, _, reference = _pair(limits)
        text = fast.value(value)
        assert text == _dumps(reference.encode(value))
        assert any(mark in text for mark in ("<…", "<cycle", "<redacted>")), text


def test_other_elements_are_repred_once_per_value_in_repr_mode() -> None:
    writer = TraceWriter(NullSink())
    fast = ValueJson(writer, LIMITS, value_repr=True)
    reference = ValueEncoder(TraceWriter(NullSink()), LIMITS, value_repr=True)
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
    value = [1, "a", None, True, 1.5, (2, ()), {"k": [3], 4: {}}, [[[]]]]
    assert json.loads(fast.value(value))["kind"] == "Sequence"
