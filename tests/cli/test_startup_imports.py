"""What a recording imports: start-up cost is part of every run (issue 24).

A clean run of ``python -m recorder`` must not load the heavy standard modules it does not need:
``dataclasses`` (with ``inspect``, ``ast``, ``tokenize``: about 10 ms on 3.12, plus half a
millisecond per class), ``logging`` and ``datetime`` (the log machinery, installed at the first
record that passes the level), ``hashlib`` (OpenSSL's ``_hashlib``; ``recorder.hashing`` uses
CPython's own digests), ``shutil`` (zlib, bz2 and lzma; argparse imports it for the terminal
width, which ``recorder.cli`` finds itself). The check runs in a fresh ``python -S`` (no site: a
venv's editable install loads modules of its own) that imports the recorder from this tree,
records a one-line program and reports ``sys.modules``: deterministic, unlike a timing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

HEAVY = ("dataclasses", "inspect", "ast", "tokenize", "logging", "datetime", "hashlib",
         "_hashlib", "shutil", "lzma", "bz2")
REPO = Path(__file__).resolve().parents[2]

_PROBE = """
import json, sys
from recorder.cli import main
status = main(sys.argv[1:])
sys.stdout.write(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def _record(tmp_path: Path, make_env: Callable[..., dict[str, str]], backend: str,
            *options: str) -> tuple[dict[str, object], str]:
    program = tmp_path / "prog.py"
    program.write_text("total = 1 + 1\n", encoding="utf-8")
    argv = [sys.executable, "-S", "-c", _PROBE, "--backend", backend,
            "--trace-dir", str(tmp_path / "trace"), *options, str(program)]
    done = subprocess.run(argv, env=make_env(PYTHONPATH=str(REPO)), capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    found: dict[str, object] = json.loads(done.stdout)
    assert found["status"] == 0, done.stderr
    assert (tmp_path / "trace" / "trace.json").is_file()
    return found, done.stderr


@pytest.mark.parametrize("stage", ["import", "record"])
def test_a_clean_run_loads_no_heavy_module(
    stage: str, backend: str, tmp_path: Path, make_env: Callable[..., dict[str, str]],
) -> None:
    if stage == "import":
        done = subprocess.run(
            [sys.executable, "-S", "-c",
             "import json, sys, recorder.cli; sys.stdout.write(json.dumps(sorted(sys.modules)))"],
            env=make_env(PYTHONPATH=str(REPO)), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        modules = json.loads(done.stdout)
    else:
        found, stderr = _record(tmp_path, make_env, backend)
        assert stderr == ""
        modules = found["modules"]
    assert "recorder.cli" in modules
    assert [name for name in HEAVY if name in modules] == []


def test_logging_loads_when_a_record_passes_the_level(
    backend: str, tmp_path: Path, make_env: Callable[..., dict[str, str]],
) -> None:
    found, stderr = _record(tmp_path, make_env, backend, "--log-level", "info")
    assert {"logging", "datetime"} <= set(found["modules"])  # type: ignore[arg-type]
    records = [json.loads(line) for line in stderr.splitlines()]
    assert [r["message"] for r in records] == ["tracing started"]
    assert records[0]["level"] == "info" and records[0]["context"]["backend"] == backend
