"""Goldens: what ``proxies+fd`` records, and what ``files/`` holds, per Python version.

The I/O golden lists the proxies' ``Event`` records in order (stream, line, content) and, for
the output read from fds 1 and 2, each stream's lines sorted: which of the program and its child
writes first to a shared descriptor is not deterministic, so fd output is compared per source
and stream, not interleaved. The metadata of every fd ``Event`` must say no thread, frame or line.
The ``files/`` golden lists every copied file (paths below the checkout shown as ``<repo>``) with
its content, which must also equal the source file's. ``RECORDER_UPDATE_GOLDENS=1`` rewrites the
running interpreter's goldens; a missing golden is a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.iocapture.iocap_support import REPO, recorder_env, traced

HERE = Path(__file__).resolve().parent
PROGRAMS = HERE / "programs"
GOLDENS = HERE / "goldens" / f"py{sys.version_info[0]}{sys.version_info[1]}"
UPDATE = os.environ.get("RECORDER_UPDATE_GOLDENS", "") == "1"
UNATTRIBUTED = {"thread": None, "path_id": None, "line": None, "frame_id": None}


def _record(program: str, trace_dir: Path, backend: str) -> subprocess.CompletedProcess[bytes]:
    argv = traced(str(PROGRAMS / program), trace_dir, "--io-capture", "proxies+fd",
                  "--backend", backend)
    return subprocess.run(argv, cwd=PROGRAMS, env=recorder_env(), capture_output=True,
                          timeout=120)


def io_summary(trace_dir: Path) -> dict[str, object]:
    events = json.loads((trace_dir / "trace.json").read_text(encoding="utf-8"))
    proxied: list[list[object]] = []
    raw: dict[str, str] = {}
    for event in (e["Event"] for e in events if "Event" in e):
        meta = json.loads(event["metadata"])
        if meta["thread"] is None:
            assert {k: meta[k] for k in UNATTRIBUTED} == UNATTRIBUTED
            assert "mirror" in meta["flags"]
            raw[meta["stream"]] = raw.get(meta["stream"], "") + event["content"]
        else:
            proxied.append([meta["stream"], meta["line"], event["content"]])
    return {"proxied": proxied,
            "fd": {stream: sorted(text.splitlines(keepends=True))
                   for stream, text in sorted(raw.items())}}


def files_summary(trace_dir: Path) -> dict[str, str]:
    files = trace_dir / "files"
    copies: dict[str, str] = {}
    for path in sorted(p for p in files.rglob("*") if p.is_file()):
        original = Path("/", path.relative_to(files))
        assert path.read_bytes() == original.read_bytes()  # the copy is the source as it ran
        shown = str(original).replace(str(REPO), "<repo>")
        copies[shown] = path.read_text(encoding="utf-8")
    return copies


def check_golden(name: str, summary: object) -> None:
    golden = GOLDENS / f"{name}.json"
    text = json.dumps(summary, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    if not golden.exists():
        pytest.fail(f"no golden {golden} (RECORDER_UPDATE_GOLDENS=1 writes it)")
    assert json.loads(text) == json.loads(golden.read_text(encoding="utf-8"))


@pytest.mark.parametrize("program", ["fd_os_write", "fd_child"])
def test_fd_capture_golden(program: str, backend: str, tmp_path: Path) -> None:
    done = _record(f"{program}.py", tmp_path / "trace", backend)
    plain = subprocess.run([sys.executable, f"{program}.py"], cwd=PROGRAMS, env=recorder_env(),
                           capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr) == (plain.stdout, plain.stderr)
    check_golden(f"io_{program}", io_summary(tmp_path / "trace"))


def test_files_golden(backend: str, tmp_path: Path) -> None:
    done = _record("files_main.py", tmp_path / "trace", backend)
    assert done.returncode == 0, done.stderr
    check_golden("files_main", files_summary(tmp_path / "trace"))
    meta = json.loads((tmp_path / "trace" / "trace_metadata.json").read_text(encoding="utf-8"))
    assert meta["files"]["copied"] == 2 and meta["files"]["skipped"] == {}
    listed = json.loads((tmp_path / "trace" / "trace_paths.json").read_text(encoding="utf-8"))
    assert sorted(str(PROGRAMS / f) for f in ("files_helper.py", "files_main.py")) == sorted(
        p for p in listed if p.startswith(str(PROGRAMS)))
