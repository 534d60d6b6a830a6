"""Filter files written for ``codetracer-python-recorder`` 0.3.0 give the same traces with ours.

The same program (``compat/``) is recorded by 0.3.0 and by ours with the same filters, given the
same way: ``CODETRACER_TRACE_FILTER`` (``neutral.toml``, which clears 0.3.0's built-in value
patterns; the program has no name our built-in secret rule redacts) plus ``--trace-filter CASE``.
Per step the recorded variable names (and which are redacted) must be equal, and so must the
metadata's redaction and drop counters for arguments, locals and return values (0.3.0 also
records globals at every function step, so its ``global`` counters are not comparable).

0.3.0 is installed from PyPI into ``.cache/`` by the test itself (Python 3.12/3.13, the versions
it has wheels for here); where that fails the test is skipped with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from compat_support import function_steps, venv_python

HERE = Path(__file__).resolve().parent
COMPAT = HERE / "compat"
REPO = HERE.parents[1]
CASES = ["args_and_returns", "redact_locals", "skips_and_defaults"]
KINDS = ("argument", "local", "return")
pytestmark = pytest.mark.skipif(sys.version_info < (3, 12),
                                reason="0.3.0 is compared on Python 3.12 and 3.13")


@pytest.fixture(scope="module")
def theirs() -> Path:
    """The Python of a venv with 0.3.0 installed (created once under .cache/)."""
    venv = REPO / ".cache" / f"compat-v030-py{sys.version_info[0]}{sys.version_info[1]}"
    python = venv_python(venv)
    if not (venv / ".installed").exists():
        shutil.rmtree(venv, ignore_errors=True)
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True,
                           capture_output=True, timeout=300)
            done = subprocess.run([str(python), "-m", "pip", "install", "--quiet",
                                   "codetracer-python-recorder==0.3.0"],
                                  capture_output=True, text=True, timeout=900)
        except (OSError, subprocess.SubprocessError) as exc:
            pytest.skip(f"cannot create a venv for 0.3.0: {exc}")
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or ["pip failed"])[-1]
            pytest.skip(f"cannot install codetracer-python-recorder==0.3.0: {reason}")
        (venv / ".installed").touch()
    return python


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CODETRACER_", "RECORDER_"))}
    env.update(PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1",
               CODETRACER_TRACE_FILTER=str(tmp / "neutral.toml"))
    return env


def _record(command: list[str], tmp: Path, case: str, out: str) -> dict[str, object]:
    done = subprocess.run([*command, "--trace-dir", out, "--trace-filter",
                           str(tmp / f"{case}.toml"), "main.py"], cwd=tmp, env=_env(tmp),
                          capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr
    meta = json.loads((tmp / out / "trace_metadata.json").read_text(encoding="utf-8"))
    trace_filter = meta["trace_filter"]
    assert isinstance(trace_filter, dict)
    return trace_filter


@pytest.mark.parametrize("case", CASES)
def test_same_filter_same_trace_as_v030(theirs: Path, case: str, tmp_path: Path) -> None:
    program = tmp_path / "program"
    shutil.copytree(COMPAT, program)
    reference = _record([str(theirs), "-m", "codetracer_python_recorder", "--format", "json"],
                        program, case, "theirs")
    ours = _record([sys.executable, "-m", "recorder"], program, case, "ours")

    assert [f["name"] for f in ours["filters"]] == [f["name"] for f in reference["filters"]]  # type: ignore[index]
    theirs_steps = function_steps(program / "theirs", program)
    assert theirs_steps, "0.3.0 recorded no function steps"
    assert function_steps(program / "ours", program) == theirs_steps
    for counter in ("value_redactions", "value_drops"):
        mine, other = ours["stats"][counter], reference["stats"][counter]  # type: ignore[index]
        assert {k: mine[k] for k in KINDS} == {k: other[k] for k in KINDS}, counter
