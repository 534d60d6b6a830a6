"""The logging machinery behind :mod:`recorder.logs`: the JSON-line formatter and our handlers.

Kept apart from :mod:`recorder.logs` so that a run which logs nothing never imports
:mod:`logging` or :mod:`datetime` (about 7 ms of start-up on 3.12): ``recorder.logs`` imports
this module at the first record that passes the configured level, or at once when a log file is
configured (its opening errors belong to the configuration) or when :mod:`logging` is loaded.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Callable
from typing import TextIO

__all__ = ["JsonLineFormatter", "install"]


class JsonLineFormatter(logging.Formatter):
    """One JSON object per record."""

    def __init__(self, run_id: str, trace_id: Callable[[], str | None]) -> None:
        super().__init__()
        self._run_id = run_id
        self._trace_id = trace_id

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "ts": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname.lower(),
            "message": record.getMessage(),
            "run_id": self._run_id,
            "trace_id": self._trace_id(),
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

    def __init__(self, stream: Callable[[], TextIO]) -> None:
        super().__init__(stream())
        self._stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        self.setStream(self._stream())
        super().emit(record)


def logger(name: str) -> logging.Logger:
    """The named logger, never propagating to the root logger."""
    found = logging.getLogger(name)
    found.propagate = False
    return found


def install(
    name: str, level: int, log_file: str | None, stream: Callable[[], TextIO],
    formatter: JsonLineFormatter,
) -> logging.Logger:
    """Replace our handlers on logger ``name`` by one for ``log_file`` (else ``stream``).

    Raises ``OSError`` when the log file cannot be opened; the caller turns it into its error.
    """
    found = logger(name)
    for old in list(found.handlers):
        found.removeHandler(old)
        old.close()
    handler: logging.Handler
    if log_file:
        handler = logging.FileHandler(log_file, encoding="utf-8")
    else:
        handler = _DiagnosticsHandler(stream)
    handler.setFormatter(formatter)
    found.addHandler(handler)
    found.setLevel(level)
    return found
