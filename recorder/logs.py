"""The recorder's only output channel (ADR 0004, principle 4): structured logs and the trailer.

The recorder never writes to stdout. Diagnostics go through one dedicated logger
(``codetracer.recorder``; it never propagates to the root logger and never touches the host
program's logging setup) as JSON lines with ``ts``, ``level``, ``message``, ``run_id`` (one per
process), ``trace_id`` (one per session, null before) and ``error_code`` when there is one, to
stderr or to ``--log-file``. With ``--json-errors`` the last line of stderr is one JSON object,
the trailer, for the error that decided the exit status; without it, a failure is reported as one
human line: ``recorder: [ERR_CODE] message - remedy``.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, TextIO

from recorder.errors import CATALOG, ErrorCode, RecorderError, enverr
from recorder.policy import RecorderPolicy

if TYPE_CHECKING:
    import logging

LOGGER_NAME = "codetracer.recorder"
RUN_ID = os.urandom(16).hex()  # one per process, random like a uuid4
# The levels of :mod:`logging`, without importing it (start-up time; see recorder.logsink).
DEBUG, INFO, WARNING, ERROR, CRITICAL = 10, 20, 30, 40, 50
_LEVELS = {"debug": DEBUG, "info": INFO, "warning": WARNING, "error": ERROR, "critical": CRITICAL}
_trace_id: str | None = None
_stderr: TextIO | None = None
# A configuration not installed yet: its level, while no record has passed it (None: installed).
_pending: RecorderPolicy | None = None


def set_trace_id(trace_id: str | None) -> None:
    """Set the id attached to every record of the current trace session."""
    global _trace_id
    _trace_id = trace_id


def trace_id() -> str | None:
    """The current session's trace id, or None outside a session."""
    return _trace_id


def diagnostics_stream() -> TextIO:
    """Where diagnostics and the trailer go: the stderr the recorder saw when it was configured.

    Pinned at configuration time so that the recorder's own capture of the script's stderr
    never sees (or records) the recorder's messages.
    """
    return _stderr if _stderr is not None else sys.stderr


def get_logger() -> logging.Logger:
    """The recorder's logger (never the root logger), with the configured handler installed."""
    from recorder import logsink  # here: a run that logs nothing never loads logging

    if _pending is not None:
        _install(_pending)
    return logsink.logger(LOGGER_NAME)


def configure_logging(policy: RecorderPolicy, stderr: TextIO | None = None) -> None:
    """Route the recorder's logger as ``policy`` says; replaces our handlers only.

    The handler is installed at the first record that passes the level, so a clean run never
    imports :mod:`logging`; at once when there is a log file (whether it opens is part of the
    configuration) or when :mod:`logging` is loaded already (the process logs anyway).
    """
    global _stderr, _pending
    _stderr = stderr if stderr is not None else sys.stderr
    if policy.log_file or "logging" in sys.modules:
        _install(policy)
    else:
        _pending = policy


def _install(policy: RecorderPolicy) -> None:
    global _pending
    from recorder import logsink  # here: see get_logger

    _pending = None
    try:
        logsink.install(
            LOGGER_NAME, _LEVELS[policy.log_level], policy.log_file, diagnostics_stream,
            logsink.JsonLineFormatter(RUN_ID, trace_id))
    except OSError as exc:
        raise enverr(
            ErrorCode.LOG_FILE_UNAVAILABLE,
            f"cannot open the log file: {exc.strerror or exc}",
            path=policy.log_file) from exc


def log(level: int, message: str, context: dict[str, object] | None = None,
        error_code: str | None = None) -> None:
    """Log ``message`` at ``level``; below the configured level this never loads logging."""
    if _pending is not None and level < _LEVELS[_pending.log_level]:
        return
    extra: dict[str, object] = {}
    if error_code is not None:
        extra["error_code"] = error_code
    if context is not None:
        extra["context"] = context
    get_logger().log(level, message, extra=extra)


def log_error(err: RecorderError, level: int = ERROR) -> None:
    """Log ``err`` once, with its code and context."""
    log(level, err.message, dict(err.context), err.code.value)


def human_line(err: RecorderError) -> str:
    """``recorder: [ERR_CODE] message - remedy`` (one line)."""
    text = str(err).replace("\n", " ")
    return f"recorder: {text} - {CATALOG[err.code].remedy}"


def trailer(err: RecorderError) -> dict[str, object]:
    """The ``--json-errors`` trailer object (the Rust recorder's keys)."""
    data = err.to_dict()
    data["run_id"] = RUN_ID
    data["trace_id"] = _trace_id
    return data


def report_failure(err: RecorderError, policy: RecorderPolicy) -> None:
    """Tell the user about the error that decides the exit status; call it last of all output.

    With ``json_errors`` this writes the trailer as the final stderr line; otherwise one human
    line. Flushes the host's stderr first so the report comes after everything the script wrote.
    """
    stream = diagnostics_stream()
    for pending in (sys.stderr, stream):
        try:
            pending.flush()
        except (OSError, ValueError):
            continue
    line = json.dumps(trailer(err), ensure_ascii=False) if policy.json_errors else human_line(err)
    try:
        stream.write(line + "\n")
        stream.flush()
    except (OSError, ValueError):
        # stderr is gone (closed pipe): the exit status still carries the kind.
        return


def code_of(err: BaseException) -> ErrorCode | None:
    """The error code of ``err`` if it is a recorder error."""
    return err.code if isinstance(err, RecorderError) else None
