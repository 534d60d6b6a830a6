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

import datetime
import json
import logging
import os
import sys
from typing import TextIO

from recorder.errors import CATALOG, ErrorCode, RecorderError, enverr
from recorder.policy import RecorderPolicy

LOGGER_NAME = "codetracer.recorder"
RUN_ID = os.urandom(16).hex()  # one per process, random like a uuid4
_trace_id: str | None = None
_stderr: TextIO | None = None


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


class JsonLineFormatter(logging.Formatter):
    """One JSON object per record."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "ts": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname.lower(),
            "message": record.getMessage(),
            "run_id": RUN_ID,
            "trace_id": _trace_id,
        }
        code = getattr(record, "error_code", None)
        if code is not None:
            data["error_code"] = code
        context = getattr(record, "context", None)
        if context:
            data["context"] = context
        return json.dumps(data, ensure_ascii=False, default=str)


class _DiagnosticsHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A stream handler that looks up the diagnostics stream at each record."""

    def __init__(self) -> None:
        super().__init__(diagnostics_stream())

    def emit(self, record: logging.LogRecord) -> None:
        self.setStream(diagnostics_stream())
        super().emit(record)


def get_logger() -> logging.Logger:
    """The recorder's logger (never the root logger)."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.propagate = False
    return logger


def configure_logging(policy: RecorderPolicy, stderr: TextIO | None = None) -> logging.Logger:
    """Route the recorder's logger as ``policy`` says; replaces our handlers only."""
    global _stderr
    _stderr = stderr if stderr is not None else sys.stderr
    logger = get_logger()
    for old in list(logger.handlers):
        logger.removeHandler(old)
        old.close()
    handler: logging.Handler
    if policy.log_file:
        try:
            handler = logging.FileHandler(policy.log_file, encoding="utf-8")
        except OSError as exc:
            raise enverr(
                ErrorCode.LOG_FILE_UNAVAILABLE,
                f"cannot open the log file: {exc.strerror or exc}",
                path=policy.log_file) from exc
    else:
        handler = _DiagnosticsHandler()
    handler.setFormatter(JsonLineFormatter())
    logger.addHandler(handler)
    logger.setLevel(policy.log_level.upper())
    return logger


def log_error(err: RecorderError, level: int = logging.ERROR) -> None:
    """Log ``err`` once, with its code and context."""
    get_logger().log(
        level, err.message,
        extra={"error_code": err.code.value, "context": dict(err.context)})


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
