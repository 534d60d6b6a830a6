"""What the policy module promises to the outside, pinned exactly: the canonical JSON and hash
that go into every trace, the context of every refusal, and where a policy's values come from.
"""

from __future__ import annotations

import hashlib

import pytest

from recorder.errors import ErrorCode, UsageError
from recorder.policy import (
    OnRecorderError,
    RecorderPolicy,
    configure_policy,
    parse_bool,
    reset_policy,
    resolve_policy,
)

#: The default policy's canonical JSON: keys sorted, no spaces. Its SHA-256 is in every trace, so
#: changing it is an incompatible change of the trace metadata.
DEFAULT_CANONICAL = ('{"json_errors":false,"keep_partial_trace":false,"log_file":null,'
                     '"log_level":"warning","on_recorder_error":"abort","require_trace":false}')


def test_the_canonical_json_and_hash_are_pinned() -> None:
    policy = RecorderPolicy()
    assert policy.to_json() == {
        "on_recorder_error": "abort", "require_trace": False, "keep_partial_trace": False,
        "log_level": "warning", "log_file": None, "json_errors": False}
    assert policy.digest() == hashlib.sha256(DEFAULT_CANONICAL.encode()).hexdigest()
    assert policy.digest() == "8601f8f0d924806834e3f5060e83df4958ae07c7c1309b254019eae1f29abd65"


@pytest.mark.parametrize("on", list(OnRecorderError))
def test_on_recorder_error_is_part_of_the_hash(on: OnRecorderError) -> None:
    policy = RecorderPolicy(on_recorder_error=on)
    assert policy.to_json()["on_recorder_error"] == on.value
    expected = DEFAULT_CANONICAL.replace('"abort"', f'"{on.value}"')
    assert policy.digest() == hashlib.sha256(expected.encode()).hexdigest()


def test_a_bad_boolean_names_the_variable_and_the_value() -> None:
    with pytest.raises(UsageError) as raised:
        parse_bool("CODETRACER_REQUIRE_TRACE", "maybe")
    assert raised.value.context == {"variable": "CODETRACER_REQUIRE_TRACE", "value": "maybe"}


def test_a_boolean_flag_value_passes_through() -> None:
    assert resolve_policy({}, require_trace=True).require_trace is True
    assert resolve_policy({}, keep_partial_trace=False).keep_partial_trace is False


@pytest.mark.parametrize(("var", "value", "message"), [
    ("CODETRACER_ON_RECORDER_ERROR", "ignore",
     "CODETRACER_ON_RECORDER_ERROR must be 'abort' or 'disable', not 'ignore'"),
    ("CODETRACER_LOG_LEVEL", "loud",
     "CODETRACER_LOG_LEVEL must be one of debug, info, warning, error, critical, not 'loud'"),
])
def test_a_bad_enumerated_value_names_the_variable_and_the_value(
    var: str, value: str, message: str
) -> None:
    with pytest.raises(UsageError) as raised:
        resolve_policy({var: value})
    assert raised.value.message == message
    assert raised.value.context == {"variable": var, "value": value}


def test_an_unknown_setting_lists_the_accepted_ones() -> None:
    with pytest.raises(UsageError) as raised:
        resolve_policy({}, on_error="abort", verbose=True)
    assert raised.value.code is ErrorCode.INVALID_ARGUMENT
    assert raised.value.message == "unknown policy setting(s): on_error, verbose"
    assert raised.value.context == {"accepted": "json_errors, keep_partial_trace, log_file, "
                                                "log_level, on_recorder_error, require_trace"}


def test_configure_policy_reads_the_environment_it_is_given(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CODETRACER_ON_RECORDER_ERROR", "disable")
    reset_policy()
    try:
        given = configure_policy(env={"CODETRACER_REQUIRE_TRACE": "1"})
        assert given.on_recorder_error is OnRecorderError.ABORT  # os.environ was not read
        assert given.require_trace is True
        assert configure_policy().on_recorder_error is OnRecorderError.DISABLE
    finally:
        reset_policy()


@pytest.mark.parametrize(("given", "level"), [("trace", "debug"), ("WARN", "warning"),
                                              ("off", "critical"), ("info", "info")])
def test_the_existing_recorder_s_log_level_names_are_mapped(given: str, level: str) -> None:
    assert resolve_policy({"CODETRACER_LOG_LEVEL": given}).log_level == level
