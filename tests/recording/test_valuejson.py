"""The fast JSON path for scalars produces exactly what the value encoder produces."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from recorder.trace_writer import TraceWriter
from recorder.tracing.valuejson import ValueJson
from recorder.values.encoder import ValueEncoder
from recorder.values.limits import EncodeLimits


class NullSink:
    def write(self, data: bytes) -> None:
        pass

    def close(self) -> None:
        pass


LIMITS = EncodeLimits(max_text=50)
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


@given(st.sampled_from(["password", "api_key", "user", "x", "sessionId"]), scalars)
def test_variables_are_redacted_like_the_encoder_does(name: str, value: object) -> None:
    writer = TraceWriter(NullSink())
    writer.type_id(30, "None")
    fast = ValueJson(writer, LIMITS)
    reference = ValueEncoder(writer, LIMITS)
    assert json.loads(fast.variable(name, value)) == reference.encode_variable(name, value)


def test_redaction_can_be_switched_off() -> None:
    writer = TraceWriter(NullSink())
    writer.type_id(30, "None")
    values = ValueJson(writer, LIMITS, redact_secrets=False)
    assert json.loads(values.variable("password", 7))["kind"] == "Int"
