"""Every policy variable with good and bad values, and flag-over-env precedence."""

from __future__ import annotations

import pytest

from recorder.errors import ErrorCode, UsageError
from recorder.policy import (
    ENV_VARS,
    OnRecorderError,
    RecorderPolicy,
    configure_policy,
    policy_hash,
    policy_snapshot,
    reset_policy,
    resolve_policy,
)

BOOL_FIELDS = ["require_trace", "keep_partial_trace", "json_errors"]
TRUE_VALUES = ["1", "true", "TRUE", "yes", "On", " on ", "t", "Y"]  # t/y/f/n: the Rust recorder's
FALSE_VALUES = ["0", "false", "No", "off", "OFF", "f", "N"]
BAD_BOOLS = ["", "2", "maybe", "enable", "ja"]  # "y" is a word now (the Rust recorder's)


def test_defaults_are_the_safe_ones() -> None:
    assert resolve_policy({}) == RecorderPolicy(
        on_recorder_error=OnRecorderError.ABORT, require_trace=False, keep_partial_trace=False,
        log_level="warning", log_file=None, json_errors=False)


def test_env_names_are_the_rust_recorders() -> None:
    assert set(ENV_VARS.values()) == {
        "CODETRACER_ON_RECORDER_ERROR", "CODETRACER_REQUIRE_TRACE",
        "CODETRACER_KEEP_PARTIAL_TRACE", "CODETRACER_LOG_LEVEL", "CODETRACER_LOG_FILE",
        "CODETRACER_JSON_ERRORS"}


@pytest.mark.parametrize("field", BOOL_FIELDS)
@pytest.mark.parametrize("value", TRUE_VALUES + FALSE_VALUES)
def test_boolean_variables_accept_the_documented_words(field: str, value: str) -> None:
    policy = resolve_policy({ENV_VARS[field]: value})
    assert getattr(policy, field) is (value in TRUE_VALUES)


@pytest.mark.parametrize("field", BOOL_FIELDS)
@pytest.mark.parametrize("value", BAD_BOOLS)
def test_bad_boolean_is_a_usage_error_naming_the_variable(field: str, value: str) -> None:
    with pytest.raises(UsageError) as info:
        resolve_policy({ENV_VARS[field]: value})
    err = info.value
    assert err.code is ErrorCode.INVALID_POLICY_VALUE
    assert ENV_VARS[field] in err.message and "1/true/yes/on" in err.message
    assert err.context["variable"] == ENV_VARS[field]


@pytest.mark.parametrize(("value", "expected"), [("abort", "abort"), ("DISABLE", "disable")])
def test_on_recorder_error_values(value: str, expected: str) -> None:
    env = {"CODETRACER_ON_RECORDER_ERROR": value}
    assert resolve_policy(env).on_recorder_error.value == expected


@pytest.mark.parametrize(
    ("var", "value"),
    [("CODETRACER_ON_RECORDER_ERROR", "ignore"), ("CODETRACER_LOG_LEVEL", "loud"),
     ("CODETRACER_ON_RECORDER_ERROR", "")],
)
def test_bad_enumerated_values(var: str, value: str) -> None:
    with pytest.raises(UsageError) as info:
        resolve_policy({var: value})
    assert info.value.code is ErrorCode.INVALID_POLICY_VALUE and var in info.value.message


@pytest.mark.parametrize("level", ["debug", "INFO", "warning", "error", "critical"])
def test_log_levels(level: str) -> None:
    assert resolve_policy({"CODETRACER_LOG_LEVEL": level}).log_level == level.lower()


def test_log_file_and_empty_log_file() -> None:
    assert resolve_policy({"CODETRACER_LOG_FILE": "/tmp/r.log"}).log_file == "/tmp/r.log"
    assert resolve_policy({"CODETRACER_LOG_FILE": ""}).log_file is None


def test_flags_win_over_environment() -> None:
    env = {"CODETRACER_ON_RECORDER_ERROR": "abort", "CODETRACER_REQUIRE_TRACE": "0",
           "CODETRACER_LOG_LEVEL": "debug"}
    policy = resolve_policy(env, on_recorder_error="disable", require_trace=True, log_level=None)
    assert policy.on_recorder_error is OnRecorderError.DISABLE
    assert policy.require_trace is True
    assert policy.log_level == "debug"  # None means "flag not given": the environment stays


def test_bad_flag_value_names_the_flag() -> None:
    with pytest.raises(UsageError) as info:
        resolve_policy({}, on_recorder_error="explode")
    assert "--on-recorder-error" in info.value.message


def test_unknown_override_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as info:
        resolve_policy({}, on_error="abort")
    assert info.value.code is ErrorCode.INVALID_ARGUMENT


def test_configure_and_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODETRACER_JSON_ERRORS", "yes")
    reset_policy()
    try:
        assert policy_snapshot().json_errors is True
        configured = configure_policy(keep_partial_trace=True)
        assert policy_snapshot() is configured and configured.keep_partial_trace
        assert configured.json_errors is True  # the environment still applies
    finally:
        reset_policy()


def test_policy_hash_is_stable_and_distinguishes_policies() -> None:
    a = RecorderPolicy()
    assert policy_hash(a) == policy_hash(RecorderPolicy())
    assert len(policy_hash(a)) == 64 and int(policy_hash(a), 16) >= 0
    different = {policy_hash(RecorderPolicy(**{f: True})) for f in BOOL_FIELDS}
    assert len(different) == 3 and policy_hash(a) not in different


def test_policy_is_frozen() -> None:
    with pytest.raises(AttributeError):
        RecorderPolicy().require_trace = True  # type: ignore[misc]
