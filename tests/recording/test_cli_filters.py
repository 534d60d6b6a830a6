"""--include/--exclude through the command line change which files are traced."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from recording_support import EXAMPLES, env_for

from recorder.trace_check import check_trace_dir


def record(tmp_path: Path, script: str, *flags: str) -> tuple[list[str], bytes]:
    trace = tmp_path / "trace"
    done = subprocess.run(
        [sys.executable, "-m", "recorder", "--trace-dir", str(trace), *flags, script],
        cwd=EXAMPLES, env=env_for(sys.executable), capture_output=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert check_trace_dir(trace) == []
    events = json.loads((trace / "trace.json").read_text(encoding="utf-8"))
    return [e["Function"]["name"] for e in events if "Function" in e], done.stdout


def test_exclude_leaves_a_file_out(tmp_path: Path) -> None:
    names, stdout = record(tmp_path, "modules.py", "--exclude", "*/lib/*")
    assert "<lib.geometry>" not in names
    assert names.count("describe") == 1
    assert stdout == b"shape box 2x3 cm\n"


def test_include_traces_the_standard_library(tmp_path: Path) -> None:
    script = tmp_path / "uses_textwrap.py"
    script.write_text("import textwrap\nprint(textwrap.dedent('  a'))\n")
    default, _ = record(tmp_path, str(script))
    assert "dedent" not in default
    included, stdout = record(tmp_path, str(script), "--include", "*/textwrap.py")
    assert "dedent" in included
    assert stdout == b"a\n"
