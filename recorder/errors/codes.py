"""Stable error codes and their catalog: one entry per code (ADR 0004, principles 1 and 14).

A code's string value (``ERR_*``) is a public contract: tools match on it. Codes may be added,
never renamed or removed (``tests/errors/test_codes_pinned.py`` enforces this). Each code has one
catalog entry with its default kind, a one-line meaning and a remedy a user can act on;
``docs/error-codes.md`` is generated from this table by ``make docs``.
"""

from __future__ import annotations

import enum
from typing import NamedTuple

from recorder.errors.kinds import ErrorKind


class ErrorCode(enum.StrEnum):
    """Every error code the recorder can report. The value is the stable ``ERR_*`` name."""

    # Codes of the Rust recorder (codetracer-python-recorder): existing tools keep working.
    UNKNOWN = "ERR_UNKNOWN"
    ALREADY_TRACING = "ERR_ALREADY_TRACING"
    TRACE_DIR_CONFLICT = "ERR_TRACE_DIR_CONFLICT"
    TRACE_DIR_CREATE_FAILED = "ERR_TRACE_DIR_CREATE_FAILED"
    UNSUPPORTED_FORMAT = "ERR_UNSUPPORTED_FORMAT"
    MISSING_POSITIONAL_ARG = "ERR_MISSING_POSITIONAL_ARG"
    MISSING_KEYWORD_ARG = "ERR_MISSING_KEYWORD_ARG"
    FRAME_INTROSPECTION_FAILED = "ERR_FRAME_INTROSPECTION_FAILED"
    GLOBALS_INTROSPECTION_FAILED = "ERR_GLOBALS_INTROSPECTION_FAILED"
    TRACER_INSTALL_CONFLICT = "ERR_TRACER_INSTALL_CONFLICT"
    IO = "ERR_IO"
    INVALID_POLICY_VALUE = "ERR_INVALID_POLICY_VALUE"
    TRACE_MISSING = "ERR_TRACE_MISSING"
    TRACE_INCOMPLETE = "ERR_TRACE_INCOMPLETE"
    # Codes of this implementation.
    TRACE_DIR_NOT_DIR = "ERR_TRACE_DIR_NOT_DIR"
    DISK_FULL = "ERR_DISK_FULL"
    PERMISSION_DENIED = "ERR_PERMISSION_DENIED"
    READ_ONLY_FS = "ERR_READ_ONLY_FS"
    FILE_TOO_LARGE = "ERR_FILE_TOO_LARGE"
    FSYNC_FAILED = "ERR_FSYNC_FAILED"
    OUT_OF_MEMORY = "ERR_OUT_OF_MEMORY"
    UNSUPPORTED_PYTHON = "ERR_UNSUPPORTED_PYTHON"
    UNSUPPORTED_IMPLEMENTATION = "ERR_UNSUPPORTED_IMPLEMENTATION"
    BACKEND_UNAVAILABLE = "ERR_BACKEND_UNAVAILABLE"
    UNSUPPORTED_SCHEMA = "ERR_UNSUPPORTED_SCHEMA"
    CALLBACK_FAILED = "ERR_CALLBACK_FAILED"
    VALUE_ENCODING_FAILED = "ERR_VALUE_ENCODING_FAILED"
    INVARIANT_VIOLATED = "ERR_INVARIANT_VIOLATED"
    INTERRUPTED = "ERR_INTERRUPTED"
    TARGET_RAISED = "ERR_TARGET_RAISED"
    SCRIPT_NOT_FOUND = "ERR_SCRIPT_NOT_FOUND"
    INVALID_ARGUMENT = "ERR_INVALID_ARGUMENT"
    INVALID_FAULT_PLAN = "ERR_INVALID_FAULT_PLAN"
    LOG_FILE_UNAVAILABLE = "ERR_LOG_FILE_UNAVAILABLE"
    MODULE_NOT_FOUND = "ERR_MODULE_NOT_FOUND"
    ACTIVATION_PATH_NOT_FOUND = "ERR_ACTIVATION_PATH_NOT_FOUND"
    IO_CAPTURE_UNSUPPORTED = "ERR_IO_CAPTURE_UNSUPPORTED"
    TRACE_FILTER_UNSUPPORTED = "ERR_TRACE_FILTER_UNSUPPORTED"
    TRACE_FILTER_NOT_FOUND = "ERR_TRACE_FILTER_NOT_FOUND"
    TRACE_FILTER_UNREADABLE = "ERR_TRACE_FILTER_UNREADABLE"
    TRACE_FILTER_SYNTAX = "ERR_TRACE_FILTER_SYNTAX"
    TRACE_FILTER_UNKNOWN_KEY = "ERR_TRACE_FILTER_UNKNOWN_KEY"
    TRACE_FILTER_MISSING_KEY = "ERR_TRACE_FILTER_MISSING_KEY"
    TRACE_FILTER_BAD_VALUE = "ERR_TRACE_FILTER_BAD_VALUE"
    TRACE_FILTER_UNKNOWN_ACTION = "ERR_TRACE_FILTER_UNKNOWN_ACTION"
    TRACE_FILTER_UNKNOWN_DOMAIN = "ERR_TRACE_FILTER_UNKNOWN_DOMAIN"
    TRACE_FILTER_BAD_SELECTOR = "ERR_TRACE_FILTER_BAD_SELECTOR"
    TRACE_FILTER_BAD_REGEX = "ERR_TRACE_FILTER_BAD_REGEX"


class CodeInfo(NamedTuple):
    """The catalog entry of one code (a named tuple: no dataclasses at start-up)."""

    kind: ErrorKind
    meaning: str
    remedy: str


_BUG_KEEP_RUNNING = (
    "This is a recorder bug: report it; --on-recorder-error=disable keeps the program running."
)
_U, _E, _T, _I = ErrorKind.USAGE, ErrorKind.ENVIRONMENT, ErrorKind.TARGET, ErrorKind.INTERNAL

CATALOG: dict[ErrorCode, CodeInfo] = {
    ErrorCode.UNKNOWN: CodeInfo(
        _I, "An unexpected failure inside the recorder.",
        "This is a recorder bug: report it with the log file and the command line."),
    ErrorCode.ALREADY_TRACING: CodeInfo(
        _U, "Tracing was started while a trace session is already active.",
        "Call recorder.stop() before starting again, or use one recorder.trace() block."),
    ErrorCode.TRACE_DIR_CONFLICT: CodeInfo(
        _U, "The trace directory exists and is not a trace directory (a file, or a directory "
        "holding other files).",
        "Choose another --trace-dir, or remove what is there."),
    ErrorCode.TRACE_DIR_CREATE_FAILED: CodeInfo(
        _E, "The trace directory or its staging directory could not be created.",
        "Check that the parent directory exists and is writable."),
    ErrorCode.UNSUPPORTED_FORMAT: CodeInfo(
        _U, "The requested trace format is not supported.",
        "Use --format json."),
    ErrorCode.MISSING_POSITIONAL_ARG: CodeInfo(
        _I, "A positional argument of a traced call could not be read from its frame.",
        "This is a recorder bug: report it with the traced program if you can."),
    ErrorCode.MISSING_KEYWORD_ARG: CodeInfo(
        _I, "A keyword argument of a traced call could not be read from its frame.",
        "This is a recorder bug: report it with the traced program if you can."),
    ErrorCode.FRAME_INTROSPECTION_FAILED: CodeInfo(
        _I, "A frame of the traced program could not be inspected.",
        _BUG_KEEP_RUNNING),
    ErrorCode.GLOBALS_INTROSPECTION_FAILED: CodeInfo(
        _I, "The module globals of the traced program could not be read.",
        _BUG_KEEP_RUNNING),
    ErrorCode.TRACER_INSTALL_CONFLICT: CodeInfo(
        _U, "Another tool already holds the tracing hook the recorder needs.",
        "Stop the other tool (debugger, profiler, coverage) or use --backend settrace."),
    ErrorCode.IO: CodeInfo(
        _E, "An input/output operation on the trace files failed.",
        "Check the disk and the trace directory; the log names the path and the failed step."),
    ErrorCode.INVALID_POLICY_VALUE: CodeInfo(
        _U, "A policy flag or environment variable has a value that is not accepted.",
        "Use one of the accepted values named in the message."),
    ErrorCode.TRACE_MISSING: CodeInfo(
        _U, "--require-trace was given but no trace was recorded.",
        "Check that the script ran and that tracing was not disabled; see earlier log lines."),
    ErrorCode.TRACE_INCOMPLETE: CodeInfo(
        _E, "--require-trace was given but only a partial trace could be written.",
        "Fix the failure named in the log (often disk space) and record again."),
    ErrorCode.TRACE_DIR_NOT_DIR: CodeInfo(
        _U, "A component of the trace directory path is a file, not a directory.",
        "Choose a --trace-dir whose parents are directories."),
    ErrorCode.DISK_FULL: CodeInfo(
        _E, "The disk (or quota) is full: the trace could not be written.",
        "Free space on the trace directory's filesystem or choose another --trace-dir."),
    ErrorCode.PERMISSION_DENIED: CodeInfo(
        _E, "The recorder is not allowed to write the trace directory.",
        "Fix the directory's permissions or choose a --trace-dir you can write."),
    ErrorCode.READ_ONLY_FS: CodeInfo(
        _E, "The trace directory is on a read-only filesystem.",
        "Choose a --trace-dir on a writable filesystem."),
    ErrorCode.FILE_TOO_LARGE: CodeInfo(
        _E, "A trace file exceeded the file size limit (RLIMIT_FSIZE or the filesystem's).",
        "Raise the limit (ulimit -f), record a shorter run, or use --exclude to record less."),
    ErrorCode.FSYNC_FAILED: CodeInfo(
        _E, "The trace could not be flushed to stable storage (fsync failed; never retried).",
        "Check the disk for errors; the trace was not published."),
    ErrorCode.OUT_OF_MEMORY: CodeInfo(
        _E, "The recorder ran out of memory.",
        "Record a shorter run or use --exclude to record less."),
    ErrorCode.UNSUPPORTED_PYTHON: CodeInfo(
        _E, "This Python version is not supported by the recorder.",
        "Use CPython 3.11 or newer."),
    ErrorCode.UNSUPPORTED_IMPLEMENTATION: CodeInfo(
        _E, "This Python implementation is not supported by the recorder.",
        "Use CPython."),
    ErrorCode.BACKEND_UNAVAILABLE: CodeInfo(
        _U, "The requested tracing backend is not available on this Python.",
        "Use --backend auto, or settrace; sys.monitoring needs Python 3.12+."),
    ErrorCode.UNSUPPORTED_SCHEMA: CodeInfo(
        _E, "The trace schema version is not supported by this recorder build.",
        "Upgrade the recorder or request a supported schema version."),
    ErrorCode.CALLBACK_FAILED: CodeInfo(
        _I, "A tracer callback failed inside the recorder.",
        _BUG_KEEP_RUNNING),
    ErrorCode.VALUE_ENCODING_FAILED: CodeInfo(
        _I, "A value could not be encoded for the trace.",
        "This is a recorder bug: report it with the value's type."),
    ErrorCode.INVARIANT_VIOLATED: CodeInfo(
        _I, "An internal consistency check of the recorder failed.",
        "This is a recorder bug: report it with the log file."),
    ErrorCode.INTERRUPTED: CodeInfo(
        _T, "The traced program was interrupted (Ctrl-C / SIGINT).",
        "None needed: the trace up to the interruption was kept."),
    ErrorCode.TARGET_RAISED: CodeInfo(
        _T, "The traced program ended with an uncaught exception.",
        "Fix the program; its traceback is printed above."),
    ErrorCode.SCRIPT_NOT_FOUND: CodeInfo(
        _U, "The script to trace does not exist or cannot be read.",
        "Check the script path."),
    ErrorCode.INVALID_ARGUMENT: CodeInfo(
        _U, "A command-line argument or API argument is not valid.",
        "See --help for the accepted options."),
    ErrorCode.INVALID_FAULT_PLAN: CodeInfo(
        _U, "A fault-injection plan could not be parsed.",
        "See docs/fault-injection.md for the plan syntax."),
    ErrorCode.LOG_FILE_UNAVAILABLE: CodeInfo(
        _E, "The log file could not be opened for writing.",
        "Choose a --log-file path in a writable directory."),
    ErrorCode.MODULE_NOT_FOUND: CodeInfo(
        _U, "The module given with -m cannot be found or cannot be run as __main__.",
        "Check the module name and that it is importable from the working directory or the "
        "environment (python -c 'import NAME'); a package needs a __main__ module."),
    ErrorCode.ACTIVATION_PATH_NOT_FOUND: CodeInfo(
        _U, "The file given with --activation-path does not exist, so tracing would never "
        "start.", "Give the path of a source file that the program runs."),
    ErrorCode.IO_CAPTURE_UNSUPPORTED: CodeInfo(
        _U, "--io-capture proxies+fd needs POSIX file descriptors, which this platform lacks.",
        "Use --io-capture proxies (the default): sys.stdout/sys.stderr writes are captured."),
    ErrorCode.TRACE_FILTER_UNSUPPORTED: CodeInfo(
        _U, "No longer raised: trace filters are supported (the code stays for tools that match "
        "on it; filter file errors have the ERR_TRACE_FILTER_* codes below).",
        "Nothing to do; see the ERR_TRACE_FILTER_* code of the error you got."),
    ErrorCode.TRACE_FILTER_NOT_FOUND: CodeInfo(
        _U, "A trace filter file (--trace-filter, CODETRACER_TRACE_FILTER, trace_filter=) does "
        "not exist.", "Give the path of an existing TOML filter file; separate several with '::'."),
    ErrorCode.TRACE_FILTER_UNREADABLE: CodeInfo(
        _U, "A trace filter file exists but cannot be read (permissions, a directory, not UTF-8).",
        "Make the file readable and save it as UTF-8 TOML."),
    ErrorCode.TRACE_FILTER_SYNTAX: CodeInfo(
        _U, "A trace filter file is not valid TOML.",
        "Fix the TOML syntax at the line the message names."),
    ErrorCode.TRACE_FILTER_UNKNOWN_KEY: CodeInfo(
        _U, "A trace filter file has a key or section the filter language does not define.",
        "Remove or rename the key: see the README's trace filter section for the valid keys."),
    ErrorCode.TRACE_FILTER_MISSING_KEY: CodeInfo(
        _U, "A trace filter file lacks a required section or key ([meta], [scope], name, "
        "version, default_exec, default_value_action, selector, action).",
        "Add the missing section or key the message names."),
    ErrorCode.TRACE_FILTER_BAD_VALUE: CodeInfo(
        _U, "A trace filter key has a value of the wrong type or out of range (a version that "
        "is not a positive integer, an empty name, an unknown io stream).",
        "Write the value as the message says (e.g. version = 1)."),
    ErrorCode.TRACE_FILTER_UNKNOWN_ACTION: CodeInfo(
        _U, "A trace filter gives an exec or value action the language does not define.",
        "Use trace or skip for exec and default_exec; allow, redact or drop for actions."),
    ErrorCode.TRACE_FILTER_UNKNOWN_DOMAIN: CodeInfo(
        _U, "A trace filter selector names an unknown domain, or one not allowed where it is "
        "used.", "Scope rules take pkg:, file: or obj:; value patterns take local:, global:, "
        "arg:, ret: or attr:."),
    ErrorCode.TRACE_FILTER_BAD_SELECTOR: CodeInfo(
        _U, "A trace filter selector is malformed: no pattern, an unknown match type, an "
        "invalid glob or a file path outside the project root.",
        "Write DOMAIN:PATTERN or DOMAIN:MATCH:PATTERN with MATCH one of glob, regex, literal."),
    ErrorCode.TRACE_FILTER_BAD_REGEX: CodeInfo(
        _U, "A trace filter regex is invalid or uses syntax Rust's regex rejects (look-around, "
        "backreferences), which the existing recorder rejects too.",
        "Rewrite the expression without look-around or backreferences, or use a glob."),
}


def info(code: ErrorCode) -> CodeInfo:
    """The catalog entry of ``code``."""
    return CATALOG[code]
