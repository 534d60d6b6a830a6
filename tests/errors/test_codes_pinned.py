"""The list of error codes is pinned: codes may be added, never renamed or removed.

When you add a code, append it here. A failure that says a code is missing means a public code
was renamed or deleted: put it back (tools match on these strings).
"""

from __future__ import annotations

from recorder.errors import ErrorCode

PINNED_CODES = (
    "ERR_UNKNOWN",
    "ERR_ALREADY_TRACING",
    "ERR_TRACE_DIR_CONFLICT",
    "ERR_TRACE_DIR_CREATE_FAILED",
    "ERR_UNSUPPORTED_FORMAT",
    "ERR_MISSING_POSITIONAL_ARG",
    "ERR_MISSING_KEYWORD_ARG",
    "ERR_FRAME_INTROSPECTION_FAILED",
    "ERR_GLOBALS_INTROSPECTION_FAILED",
    "ERR_TRACER_INSTALL_CONFLICT",
    "ERR_IO",
    "ERR_INVALID_POLICY_VALUE",
    "ERR_TRACE_MISSING",
    "ERR_TRACE_INCOMPLETE",
    "ERR_TRACE_DIR_NOT_DIR",
    "ERR_DISK_FULL",
    "ERR_PERMISSION_DENIED",
    "ERR_READ_ONLY_FS",
    "ERR_FILE_TOO_LARGE",
    "ERR_FSYNC_FAILED",
    "ERR_OUT_OF_MEMORY",
    "ERR_UNSUPPORTED_PYTHON",
    "ERR_UNSUPPORTED_IMPLEMENTATION",
    "ERR_BACKEND_UNAVAILABLE",
    "ERR_UNSUPPORTED_SCHEMA",
    "ERR_CALLBACK_FAILED",
    "ERR_VALUE_ENCODING_FAILED",
    "ERR_INVARIANT_VIOLATED",
    "ERR_INTERRUPTED",
    "ERR_TARGET_RAISED",
    "ERR_SCRIPT_NOT_FOUND",
    "ERR_INVALID_ARGUMENT",
    "ERR_INVALID_FAULT_PLAN",
    "ERR_LOG_FILE_UNAVAILABLE",
    "ERR_MODULE_NOT_FOUND",
    "ERR_ACTIVATION_PATH_NOT_FOUND",
    "ERR_IO_CAPTURE_UNSUPPORTED",
    "ERR_TRACE_FILTER_UNSUPPORTED",
    "ERR_TRACE_FILTER_NOT_FOUND",
    "ERR_TRACE_FILTER_UNREADABLE",
    "ERR_TRACE_FILTER_SYNTAX",
    "ERR_TRACE_FILTER_UNKNOWN_KEY",
    "ERR_TRACE_FILTER_MISSING_KEY",
    "ERR_TRACE_FILTER_BAD_VALUE",
    "ERR_TRACE_FILTER_UNKNOWN_ACTION",
    "ERR_TRACE_FILTER_UNKNOWN_DOMAIN",
    "ERR_TRACE_FILTER_BAD_SELECTOR",
    "ERR_TRACE_FILTER_BAD_REGEX",
)


def test_no_code_was_renamed_or_removed() -> None:
    missing = set(PINNED_CODES) - {c.value for c in ErrorCode}
    assert not missing, f"public error codes disappeared: {sorted(missing)}"


def test_new_codes_are_pinned_too() -> None:
    unpinned = {c.value for c in ErrorCode} - set(PINNED_CODES)
    assert not unpinned, f"add these new codes to PINNED_CODES: {sorted(unpinned)}"


def test_rust_recorder_codes_are_present() -> None:
    rust = {
        "ERR_UNKNOWN", "ERR_ALREADY_TRACING", "ERR_TRACE_DIR_CONFLICT",
        "ERR_TRACE_DIR_CREATE_FAILED",
        "ERR_UNSUPPORTED_FORMAT", "ERR_MISSING_POSITIONAL_ARG", "ERR_MISSING_KEYWORD_ARG",
        "ERR_FRAME_INTROSPECTION_FAILED", "ERR_GLOBALS_INTROSPECTION_FAILED",
        "ERR_TRACER_INSTALL_CONFLICT", "ERR_IO", "ERR_INVALID_POLICY_VALUE", "ERR_TRACE_MISSING",
        "ERR_TRACE_INCOMPLETE",
    }
    assert rust <= {c.value for c in ErrorCode}
