"""The recorder's policy switches (ADR 0004, principle 5): one frozen value, set once per run.

A policy comes from environment variables (the Rust recorder's names, so existing setups keep
working) with command-line flags or API overrides winning. Bad values are usage errors that name
the variable and the accepted values. The policy's SHA-256 over its canonical JSON goes into every
trace's metadata, so a trace says under which rules it was recorded.
"""

from __future__ import annotations

import enum
import json
import os
import threading
from collections.abc import Mapping

from recorder.errors import ErrorCode, usage
from recorder.hashing import sha256_hex
from recorder.structs import as_dict, struct


class OnRecorderError(enum.StrEnum):
    """What happens when the recorder itself fails."""

    ABORT = "abort"
    DISABLE = "disable"


LOG_LEVELS: tuple[str, ...] = ("debug", "info", "warning", "error", "critical")
#: The Rust recorder's level names (Rust's log crate) mapped onto ours: same setups, same meaning
#: as near as Python's logging has it (``off``: only what ends the run is still reported).
LOG_LEVEL_ALIASES: dict[str, str] = {"trace": "debug", "warn": "warning", "off": "critical"}
# Ours (on/off) and the Rust recorder's (t/y, f/n): a setup written for either keeps working.
TRUE_WORDS = frozenset({"1", "true", "t", "yes", "y", "on"})
FALSE_WORDS = frozenset({"0", "false", "f", "no", "n", "off"})


@struct(frozen=True)
class RecorderPolicy:
    """All policy switches. The defaults are the safe ones: abort, no partial traces."""

    on_recorder_error: OnRecorderError = OnRecorderError.ABORT
    require_trace: bool = False
    keep_partial_trace: bool = False
    log_level: str = "warning"
    log_file: str | None = None
    json_errors: bool = False

    def to_json(self) -> dict[str, object]:
        """The policy as canonical JSON-ready data."""
        data = as_dict(self)
        data["on_recorder_error"] = self.on_recorder_error.value
        return data

    def digest(self) -> str:
        """SHA-256 (hex) of the canonical JSON: equal policies have equal digests."""
        canonical = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"))
        return sha256_hex(canonical.encode("utf-8"))


ENV_VARS: dict[str, str] = {
    "on_recorder_error": "CODETRACER_ON_RECORDER_ERROR",
    "require_trace": "CODETRACER_REQUIRE_TRACE",
    "keep_partial_trace": "CODETRACER_KEEP_PARTIAL_TRACE",
    "log_level": "CODETRACER_LOG_LEVEL",
    "log_file": "CODETRACER_LOG_FILE",
    "json_errors": "CODETRACER_JSON_ERRORS",
}
_FIELDS = frozenset(ENV_VARS)


def parse_bool(source: str, value: str) -> bool:
    """``1/true/t/yes/y/on`` or ``0/false/f/no/n/off`` (any case); else a usage error."""
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise usage(
        ErrorCode.INVALID_POLICY_VALUE,
        f"{source} must be one of 1/true/yes/on/t/y or 0/false/no/off/f/n, not {value!r}",
        variable=source, value=value)


def _parse(field: str, source: str, value: object) -> object:
    if field in {"require_trace", "keep_partial_trace", "json_errors"}:
        return value if isinstance(value, bool) else parse_bool(source, str(value))
    if field == "on_recorder_error":
        text = str(value).strip().lower()
        if text not in {m.value for m in OnRecorderError}:
            raise usage(
                ErrorCode.INVALID_POLICY_VALUE,
                f"{source} must be 'abort' or 'disable', not {value!r}",
                variable=source, value=str(value))
        return OnRecorderError(text)
    if field == "log_level":
        text = str(value).strip().lower()
        text = LOG_LEVEL_ALIASES.get(text, text)
        if text not in LOG_LEVELS:
            raise usage(
                ErrorCode.INVALID_POLICY_VALUE,
                f"{source} must be one of {', '.join(LOG_LEVELS)}, not {value!r}",
                variable=source, value=str(value))
        return text
    # log_file: an empty value means "no file".
    return str(value) if value not in (None, "") else None


def resolve_policy(
    env: Mapping[str, str] | None = None, **overrides: object
) -> RecorderPolicy:
    """The policy from ``env`` (default: ``os.environ``) with ``overrides`` winning.

    Overrides set to ``None`` are ignored, so a CLI can pass every flag and only the flags the
    user gave take effect.
    """
    environ = os.environ if env is None else env
    unknown = set(overrides) - _FIELDS
    if unknown:
        raise usage(
            ErrorCode.INVALID_ARGUMENT,
            f"unknown policy setting(s): {', '.join(sorted(unknown))}",
            accepted=", ".join(sorted(_FIELDS)))
    values: dict[str, object] = {}
    for field, var in ENV_VARS.items():
        if var in environ:
            values[field] = _parse(field, var, environ[var])
    for field, value in overrides.items():
        if value is not None:
            values[field] = _parse(field, f"--{field.replace('_', '-')}", value)
    return RecorderPolicy(**values)  # type: ignore[arg-type]


_lock = threading.Lock()
_current: RecorderPolicy | None = None


def configure_policy(env: Mapping[str, str] | None = None, **overrides: object) -> RecorderPolicy:
    """Resolve the policy and make it the process's current one."""
    global _current
    policy = resolve_policy(env, **overrides)
    with _lock:
        _current = policy
    return policy


def policy_snapshot() -> RecorderPolicy:
    """The current policy (resolved from the environment on first use)."""
    global _current
    with _lock:
        if _current is None:
            _current = resolve_policy()
        return _current


def reset_policy() -> None:
    """Forget the current policy (tests, and a fresh start after ``stop``)."""
    global _current
    with _lock:
        _current = None


def policy_hash(policy: RecorderPolicy | None = None) -> str:
    """The stable hash written into trace metadata."""
    return (policy or policy_snapshot()).digest()
