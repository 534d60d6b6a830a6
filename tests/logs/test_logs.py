"""Structured logs, the trailer's shape and place, and that nothing reaches file descriptor 1."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from recorder import logs
from recorder.errors import ErrorCode, enverr
from recorder.policy import RecorderPolicy


@pytest.fixture(autouse=True)
def _reset() -> object:
    logs.set_trace_id(None)  # other tests' sessions leave theirs set, as the trailer needs
    yield
    logs.set_trace_id(None)
    logs.configure_logging(RecorderPolicy())


def test_records_are_json_lines_with_the_adr_fields() -> None:
    stream = io.StringIO()
    logs.configure_logging(RecorderPolicy(log_level="info"), stderr=stream)
    logs.get_logger().info("plain message")
    logs.set_trace_id("t-1")
    logs.log_error(enverr(ErrorCode.DISK_FULL, "disk full", path="/x"), logging.WARNING)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert set(first) == {"ts", "level", "message", "run_id", "trace_id"}
    assert first["trace_id"] is None and first["run_id"] == logs.RUN_ID
    assert second["error_code"] == "ERR_DISK_FULL" and second["trace_id"] == "t-1"
    assert second["level"] == "warning" and second["context"] == {"path": "/x"}


def test_logger_does_not_touch_the_root_logger() -> None:
    root_handlers = list(logging.getLogger().handlers)
    logs.configure_logging(RecorderPolicy(), stderr=io.StringIO())
    assert logs.get_logger().propagate is False
    assert logging.getLogger().handlers == root_handlers


def test_level_filters_records() -> None:
    stream = io.StringIO()
    logs.configure_logging(RecorderPolicy(log_level="error"), stderr=stream)
    logs.get_logger().warning("hidden")
    assert stream.getvalue() == ""


def test_log_file(tmp_path: Path) -> None:
    target = tmp_path / "rec.log"
    stream = io.StringIO()
    logs.configure_logging(RecorderPolicy(log_file=str(target), log_level="info"), stderr=stream)
    logs.get_logger().info("to the file")
    assert json.loads(target.read_text())["message"] == "to the file" and stream.getvalue() == ""


def test_unwritable_log_file_is_an_environment_error(tmp_path: Path) -> None:
    from recorder.errors import EnvironmentError

    with pytest.raises(EnvironmentError) as info:
        logs.configure_logging(RecorderPolicy(log_file=str(tmp_path / "missing" / "x.log")))
    assert info.value.code is ErrorCode.LOG_FILE_UNAVAILABLE


def test_trailer_has_the_rust_recorders_keys() -> None:
    logs.set_trace_id("abc")
    data = logs.trailer(enverr(ErrorCode.DISK_FULL, "disk full", path="/x"))
    assert data == {"error_code": "ERR_DISK_FULL", "error_kind": "Environment",
                    "message": "disk full", "context": {"path": "/x"}, "run_id": logs.RUN_ID,
                    "trace_id": "abc"}


def test_human_line() -> None:
    line = logs.human_line(enverr(ErrorCode.DISK_FULL, "disk full"))
    assert line == ("recorder: [ERR_DISK_FULL] disk full - Free space on the trace directory's "
                    "filesystem or choose another --trace-dir.")


CHILD = textwrap.dedent("""
    import logging, sys
    from recorder import logs
    from recorder.errors import ErrorCode, bug
    from recorder.policy import RecorderPolicy
    policy = RecorderPolicy(log_level="debug", json_errors={json_errors})
    logs.configure_logging(policy)
    log = logs.get_logger()
    log.debug("debug"); log.info("info"); log.warning("warning"); log.error("error")
    logs.log_error(bug(ErrorCode.CALLBACK_FAILED, "boom", point="line"))
    sys.stderr.write("script stderr\\n")
    logs.report_failure(bug(ErrorCode.CALLBACK_FAILED, "boom", point="line"), policy)
""")


@pytest.mark.parametrize("json_errors", [True, False])
def test_nothing_reaches_fd1_and_report_is_the_last_stderr_line(json_errors: bool) -> None:
    proc = subprocess.run([sys.executable, "-c", CHILD.format(json_errors=json_errors)],
                          capture_output=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b""  # the real descriptor 1, not only sys.stdout
    lines = proc.stderr.decode().splitlines()
    assert "script stderr" in lines
    if json_errors:
        last = json.loads(lines[-1])
        assert last["error_code"] == "ERR_CALLBACK_FAILED" and last["error_kind"] == "Internal"
        assert set(last) == {"error_code", "error_kind", "message", "context", "run_id",
                             "trace_id"}
    else:
        assert lines[-1].startswith("recorder: [ERR_CALLBACK_FAILED] boom (point=line) - ")
    # everything before the report is a JSON log record or the script's own line
    for line in lines[:-1]:
        assert line == "script stderr" or json.loads(line)["run_id"]
