"""Helpers for the recording tests: run examples plain and recorded, normalise traces, goldens."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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


_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
# A thread's repr shows its state and ident; the state at a given step is a race with the thread.
_THREAD = re.compile(r"<Thread\(([^,]+), [^)]*\)>")


#: Objects whose fields change under the recorder's feet (another thread moves them on): their
#: Struct values are masked in goldens, keeping only the type.
_RACY_TYPES = frozenset({"threading.Thread", "threading._MainThread",
                         "concurrent.futures.thread.ThreadPoolExecutor"})
_THREAD_EVENTS = ("ThreadStart", "ThreadSwitch", "ThreadExit")


def _mask_racy(record: object, racy_ids: set[int]) -> object:
    if isinstance(record, dict):
        if record.get("kind") == "Struct" and record.get("type_id") in racy_ids:
            return {"kind": "Struct", "field_values": "<racy>", "type_id": record["type_id"]}
        return {k: _mask_racy(v, racy_ids) for k, v in record.items()}
    if isinstance(record, list):
        return [_mask_racy(v, racy_ids) for v in record]
    return record


def normalise(trace_dir: Path) -> list[str]:
    """``trace.json`` one event per line; addresses, absolute paths and racy state masked.

    A trace with thread events is de-interleaved (:func:`deinterleave`): how threads interleave
    is a race, what each thread did is not.
    """
    events = json.loads((trace_dir / "trace.json").read_text(encoding="utf-8"))
    if any(name in event for event in events for name in _THREAD_EVENTS):
        return [_mask_text(line) for line in deinterleave(events)]
    lines = []
    types = 0
    racy_ids: set[int] = set()
    for event in events:
        if "Type" in event:
            if event["Type"]["lang_type"] in _RACY_TYPES:
                racy_ids.add(types)
            types += 1
        if racy_ids:
            event = _mask_racy(event, racy_ids)
        lines.append(_mask_text(json.dumps(event, ensure_ascii=False, sort_keys=False)))
    return lines


def _mask_text(text: str) -> str:
    text = text.replace(str(EXAMPLES), "<EXAMPLES>")
    text = _ADDRESS.sub("0xADDR", text)
    return _THREAD.sub(r"<Thread(\1, STATE)>", text)


class _Ids:
    """The declarations of a trace, to replace ids (which depend on the interleaving) by names."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.functions: list[str] = []
        self.types: list[str] = []
        self.variables: list[str] = []

    def declare(self, name: str, body: object) -> bool:
        if name == "Path":
            self.paths.append(str(body))
        elif name == "Function":
            assert isinstance(body, dict)
            self.functions.append(f"{body['name']}@{self.paths[body['path_id']]}:{body['line']}")
        elif name == "Type":
            assert isinstance(body, dict)
            self.types.append(body["lang_type"])
        elif name == "VariableName":
            self.variables.append(str(body))
        else:
            return False
        return True

    def resolve(self, value: object, racy: bool = False) -> object:
        if isinstance(value, dict):
            out: dict[str, object] = {}
            for key, item in value.items():
                if key == "type_id":
                    out["type"] = self.types[item]
                elif key == "variable_id":
                    out["variable"] = self.variables[item]
                elif key == "function_id":
                    out["function"] = self.functions[item]
                elif key == "path_id":  # null in fd-captured output (no path is known)
                    out["path"] = None if item is None else self.paths[item]
                else:
                    out[key] = self.resolve(item)
            if out.get("kind") == "Struct" and out.get("type") in _RACY_TYPES:
                out["field_values"] = "<racy>"
            return out
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        return value


def deinterleave(events: list[dict[str, object]]) -> list[str]:
    """Each thread's events on its own, ids replaced by what they declare.

    Thread 1 (the one that started tracing) comes first; the other threads follow sorted by
    their content (which worker ran which task is a race). An I/O event's thread number and
    frame id (both orders of first events) are masked.
    """
    ids = _Ids()
    threads: dict[int, list[str]] = {1: []}
    pending: dict[int, dict[str, object]] = {}  # each thread's last event, when an I/O Event
    current = 1
    for event in events:
        ((name, body),) = event.items()
        if ids.declare(name, body):
            continue
        if name in ("ThreadStart", "ThreadSwitch"):
            assert isinstance(body, int)
            current = body
            threads.setdefault(current, [])
            continue
        if name == "ThreadExit":
            threads[current].append("ThreadExit")
            continue
        if name == "Event":
            assert isinstance(body, dict)
            meta = json.loads(str(body["metadata"]))
            meta["thread"], meta["frame_id"] = "ThreadId(N)", "N"
            body = {**body, "metadata": meta}
            last = pending.get(current)
            if last is not None and last["kind"] == body["kind"]:
                # Another thread's event split one write sequence in two: an interleaving race.
                body = {**body, "content": str(last["content"]) + str(body["content"])}
                threads[current].pop()
            pending[current] = body
        else:
            pending.pop(current, None)
        resolved = ids.resolve({name: body})
        threads[current].append(json.dumps(resolved, ensure_ascii=False))
    others = sorted("\n".join(lines) for number, lines in threads.items() if number != 1)
    out = ["== thread 1 ==", *threads[1]]
    for text in others:
        out += ["== thread ==", *text.splitlines()]
    return out


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
