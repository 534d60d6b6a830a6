"""Helpers for the recording tests: run examples plain and recorded, normalise traces, goldens."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from recorder import trace_compare
from recorder.metadata import TraceMetadata
from recorder.policy import RecorderPolicy

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
GOLDENS = Path(__file__).resolve().parent / "goldens"
#: Set to 1 to rewrite the goldens of the running interpreter from the first backend's traces.
UPDATE_GOLDENS = os.environ.get("RECORDER_UPDATE_GOLDENS", "") == "1"

#: Examples without a golden: thousands of frames, and where the stack limit is hit depends on
#: the backend's own stack use (the structural and output checks still run).
NO_GOLDEN = frozenset({"hostile_deep_recursion"})
#: Expected exit status of the recorder where it differs from plain Python's.
RECORDED_STATUS = {"exception_uncaught": 20}

EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.py"))


@dataclass
class Run:
    stdout: bytes
    stderr: bytes
    status: int


def env_for(python: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CODETRACER_", "RECORDER_"))}
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONPATH"] = str(REPO)  # stdlib-only package: any interpreter can import it from here
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # keep examples/ free of __pycache__
    return env


def run_plain(python: str, name: str) -> Run:
    done = subprocess.run(
        [python, f"{name}.py"], cwd=EXAMPLES, env=env_for(python), capture_output=True,
        timeout=120,
    )
    return Run(done.stdout, done.stderr, done.returncode)


def run_recorded(python: str, name: str, backend: str, trace_dir: Path) -> Run:
    if trace_dir.exists():
        shutil.rmtree(trace_dir)
    done = subprocess.run(
        [python, "-m", "recorder", "--backend", backend, "--trace-dir", str(trace_dir),
         f"{name}.py"],
        cwd=EXAMPLES, env=env_for(python), capture_output=True, timeout=300,
    )
    return Run(done.stdout, done.stderr, done.returncode)


def normalise(trace_dir: Path) -> list[str]:
    """``trace.json`` one event per line; addresses, absolute paths and racy state masked.

    A trace with thread events is de-interleaved (:func:`deinterleave`): how threads interleave
    is a race, what each thread did is not (recorder.trace_compare).
    """
    events = json.loads((trace_dir / "trace.json").read_text(encoding="utf-8"))
    return trace_compare.normalise(events, str(EXAMPLES), "<EXAMPLES>")


def golden_path(name: str, version: tuple[int, int] | None = None) -> Path:
    major, minor = version or sys.version_info[:2]
    return GOLDENS / f"py{major}{minor}" / f"{name}.jsonl"


def find_monitoring_pythons() -> dict[str, str]:
    """Python 3.12+ interpreters for the backend comparison: {"3.12": path, ...}.

    The running interpreter if it is 3.12+, ``RECORDER_PY312``, and pyenv's 3.12/3.13 builds.
    """
    found: dict[str, str] = {}
    if sys.version_info >= (3, 12):
        found[f"{sys.version_info[0]}.{sys.version_info[1]}"] = sys.executable
    candidates = [os.environ.get("RECORDER_PY312", "")]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    for minor in ("3.12", "3.13"):
        candidates += [str(p) for p in sorted(pyenv_root.glob(f"versions/{minor}*/bin/python"))]
        candidates.append(shutil.which(f"python{minor}") or "")
    for candidate in candidates:
        if not candidate or not Path(candidate).exists():
            continue
        version = subprocess.run(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True, text=True, timeout=30,
        ).stdout.strip()
        if version >= "3.12" and version not in found:
            found[version] = candidate
    return found


def finished(exit_code: int | None, label: str | None, *, partial: str | None = None,
             program: str = "prog.py") -> TraceMetadata:
    """The metadata a session hands to ``Recording.finish`` / ``finish_partial``."""
    metadata = TraceMetadata.at_start(program=program, args=[], policy=RecorderPolicy(),
                                      run_id="run", trace_id="trace")
    metadata.exit_code, metadata.exit_label, metadata.partial_reason = exit_code, label, partial
    return metadata


class DirFile:
    """An output file double on a real file; ``fail_after`` bytes make writes fail like ENOSPC."""

    def __init__(self, path: Path, fail_after: int | None) -> None:
        self._path = path
        self._fail_after = fail_after
        self._size = 0
        path.write_bytes(b"")

    def write(self, data: bytes) -> None:
        from recorder.errors import ErrorCode, enverr

        if self._fail_after is not None and self._size + len(data) > self._fail_after:
            raise enverr(ErrorCode.DISK_FULL, "no space left on device", path=str(self._path))
        with self._path.open("ab") as handle:
            handle.write(data)
        self._size += len(data)

    def close(self) -> None:
        pass


class DirLayer:
    """The output layer's ``create`` on a plain directory (for in-process engine tests)."""

    def __init__(self, path: Path, fail_after: int | None = None) -> None:
        self.path = path
        self.fail_after = fail_after
        path.mkdir(parents=True, exist_ok=True)

    def create(self, name: str) -> DirFile:
        return DirFile(self.path / name, self.fail_after if name == "trace.json" else None)


class MemorySink:
    """An output file that keeps every byte written to it (``data``)."""

    def __init__(self) -> None:
        self.data = b""

    def write(self, data: bytes) -> None:
        self.data += data

    def close(self) -> None:
        pass
