"""Every example, recorded through the command line on each backend of this interpreter.

For each one: stdout and stderr are byte for byte the untraced run's, the exit status is Python's
(20 for an uncaught exception), the trace passes the structural checks, and it equals the reviewed
golden trace of this Python version (``RECORDER_UPDATE_GOLDENS=1`` rewrites the goldens; review the
diff before keeping it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from recording_support import (
    EXAMPLE_NAMES,
    NO_GOLDEN,
    RECORDED_STATUS,
    UPDATE_GOLDENS,
    golden_path,
    normalise,
    run_plain,
    run_recorded,
)

from recorder.trace_check import check_trace_dir
from recorder.tracing import available_backends


@pytest.mark.parametrize("backend", available_backends())
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_example_recorded(name: str, backend: str, tmp_path: Path) -> None:
    plain = run_plain(sys.executable, name)
    recorded = run_recorded(sys.executable, name, backend, tmp_path / "trace")

    assert recorded.stdout == plain.stdout
    assert recorded.stderr == plain.stderr
    assert recorded.status == RECORDED_STATUS.get(name, plain.status)
    assert check_trace_dir(tmp_path / "trace") == []

    if name in NO_GOLDEN:
        return
    golden = golden_path(name)
    lines = normalise(tmp_path / "trace")
    if UPDATE_GOLDENS and backend == available_backends()[0]:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if not golden.exists():  # a missing golden is a failure: the trace would go unchecked
        pytest.fail(f"no golden for Python {sys.version_info[0]}.{sys.version_info[1]}: {golden} "
                    "(RECORDER_UPDATE_GOLDENS=1 writes it; review it before committing)")
    assert lines == golden.read_text(encoding="utf-8").splitlines()


def test_functions_are_keyed_by_file_and_line_not_by_name(tmp_path: Path) -> None:
    run_recorded(sys.executable, "modules", available_backends()[0], tmp_path / "trace")
    events = json.loads((tmp_path / "trace" / "trace.json").read_text(encoding="utf-8"))
    paths = [e["Path"] for e in events if "Path" in e]
    functions = [e["Function"] for e in events if "Function" in e]
    describes = [(paths[f["path_id"]].rsplit("/", 1)[-1], f["line"])
                 for f in functions if f["name"] == "describe"]
    assert describes == [("modules.py", 5), ("geometry.py", 6)]
    assert "<lib.geometry>" in [f["name"] for f in functions]  # module frames: <MODULE_NAME>
