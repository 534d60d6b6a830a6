"""Backend names: auto picks the best available one; an unavailable one is a usage error."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from recording_support import DirLayer

from recorder.errors import ErrorCode, UsageError
from recorder.preflight import preflight
from recorder.recording import Recording
from recorder.tracing import available_backends
from recorder.tracing.filters import CodeFilter


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="3.11 has no sys.monitoring")
def test_monitoring_is_unavailable_on_311() -> None:
    assert available_backends() == ["settrace"]
    assert preflight(backend="auto") == "settrace"
    with pytest.raises(UsageError) as raised:
        preflight(backend="monitoring")
    assert raised.value.code is ErrorCode.BACKEND_UNAVAILABLE


def test_settrace_is_always_available() -> None:
    assert preflight(backend="settrace") == "settrace"


def test_settrace_refuses_to_replace_another_trace_function(tmp_path: Path) -> None:
    def other_tool(frame: object, event: str, arg: object) -> None:
        return None

    rec = Recording(DirLayer(tmp_path / "trace"), program=str(tmp_path / "prog.py"),
                    backend="settrace", filters=CodeFilter(), on_failure=lambda exc, point: None)
    stdout = sys.stdout
    sys.settrace(other_tool)
    try:
        with pytest.raises(UsageError) as raised:
            rec.start()
    finally:
        current = sys.gettrace()
        sys.settrace(None)
    assert current is other_tool  # untouched
    assert raised.value.code is ErrorCode.TRACER_INSTALL_CONFLICT
    assert "other_tool" in str(raised.value)
    assert sys.stdout is stdout
