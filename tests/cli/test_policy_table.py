"""Each row of the README's policy table, through the real command line in a subprocess.

Faults come from ``recorder.seams`` hooks installed before the CLI runs (simulated) and from the
operating system itself (a full tmpfs, a dropped privilege, RLIMIT_FSIZE, a real SIGINT).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

PROGRAM = """
import sys
total = 0
for i in range(2000):
    total += i
    if i % 500 == 0:
        print("progress", i)
print("total", total)
sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
"""


def hook_prelude(point: str, nth: int, action: str, persistent: bool = False) -> str:
    """Install the harness's injector failing the ``nth`` hit of ``point`` (every later one too
    if persistent): the same plan language ``RECORDER_FAULTS`` and the sweep use."""
    plan = f"{action}@{point}#{nth}{'+' if persistent else ''}"
    return f"from fault_injection.injector import install\ninstall({plan!r})\n"


def untraced_stdout(path: Path, *args: str) -> bytes:
    return subprocess.run([sys.executable, str(path), *args], capture_output=True,
                          cwd=path.parent, check=False).stdout


def trace_state(trace_dir: Path) -> str:
    """'complete', 'partial', or 'nothing' — and never a staging leftover beside it."""
    leftovers = [p.name for p in trace_dir.parent.iterdir()
                 if p.name.startswith(f".{trace_dir.name}.")]
    assert not leftovers, f"staging leftovers: {leftovers}"
    if not trace_dir.exists():
        return "nothing"
    names = sorted(p.name for p in trace_dir.iterdir() if p.name != "files")  # recorder.sources
    assert names == ["trace.json", "trace_metadata.json", "trace_paths.json"], names
    events = json.loads((trace_dir / "trace.json").read_text())
    json.loads((trace_dir / "trace_paths.json").read_text())
    metadata = json.loads((trace_dir / "trace_metadata.json").read_text())
    assert isinstance(events, list) and events
    if metadata.get("partial"):
        assert metadata["partial_reason"].startswith("ERR_")
        return "partial"
    assert "Return" in events[-1]
    return "complete"


def last_json(stderr: bytes) -> dict[str, object]:
    return json.loads(stderr.decode().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.parametrize("policy", ["abort", "disable"])
@pytest.mark.parametrize(("args", "status"), [([], 0), (["5"], 5)])
def test_normal_end_and_sys_exit(policy: str, args: list[str], status: int, backend: str,
                                 run_recorder, script, tmp_path: Path) -> None:
    path = script(PROGRAM)
    proc = run_recorder(["--on-recorder-error", policy, "--require-trace", "--json-errors",
                         "--backend", backend, path.name, *args])
    assert proc.returncode == status
    assert proc.stdout == untraced_stdout(path, *args)
    assert trace_state(tmp_path / "trace-out") == "complete"
    assert not proc.stderr.strip(), "no trailer when nothing failed"


@pytest.mark.parametrize("policy", ["abort", "disable"])
def test_uncaught_exception_is_20(policy: str, backend: str, run_recorder, script,
                                  tmp_path: Path) -> None:
    path = script("print('start')\nraise LookupError('gone')\n")
    proc = run_recorder(["--on-recorder-error", policy, "--backend", backend, path.name])
    assert proc.returncode == 20 and proc.stdout == b"start\n"
    assert proc.stderr.decode().splitlines()[-1] == "LookupError: gone"
    assert trace_state(tmp_path / "trace-out") == "complete"


# (fault point, nth, action, persistent, expected code, expected kind)
FAULTS = [
    ("write", 1, "enospc", True, "ERR_DISK_FULL", "Environment"),
    ("fsync", 1, "eio", False, "ERR_FSYNC_FAILED", "Environment"),
    ("rename", 1, "enospc", False, "ERR_DISK_FULL", "Environment"),
    ("line", 20, "crash", False, "ERR_CALLBACK_FAILED", "Internal"),
    ("call", 1, "crash", False, "ERR_CALLBACK_FAILED", "Internal"),
    ("stop", 1, "crash", False, "ERR_CALLBACK_FAILED", "Internal"),
]
FAULT_IDS = [f"{a}@{p}#{n}" for p, n, a, _, _, _ in FAULTS]


@pytest.mark.parametrize(("point", "nth", "action", "persistent", "code", "kind"), FAULTS,
                         ids=FAULT_IDS)
def test_recorder_failure_under_abort(point: str, nth: int, action: str, persistent: bool,
                                      code: str, kind: str, backend: str, run_recorder, script,
                                      tmp_path: Path) -> None:
    path = script(PROGRAM)
    proc = run_recorder(["--json-errors", "--backend", backend, path.name],
                        prelude=hook_prelude(point, nth, action, persistent))
    trailer = last_json(proc.stderr)
    assert (trailer["error_code"], trailer["error_kind"]) == (code, kind)
    assert len(str(trailer["trace_id"])) == 32  # the trailer names the trace it is about
    assert proc.returncode == {"Environment": 10, "Internal": 70}[kind]
    assert b"Traceback" not in proc.stderr
    assert untraced_stdout(path).startswith(proc.stdout)  # stopped early, but only its own output
    assert trace_state(tmp_path / "trace-out") == "nothing"


@pytest.mark.parametrize(("point", "nth", "action", "persistent", "code", "kind"), FAULTS,
                         ids=FAULT_IDS)
def test_recorder_failure_under_disable(point: str, nth: int, action: str, persistent: bool,
                                        code: str, kind: str, backend: str, run_recorder, script,
                                        tmp_path: Path) -> None:
    path = script(PROGRAM)
    proc = run_recorder(["--on-recorder-error", "disable", "--json-errors", "--backend", backend,
                         path.name, "3"], prelude=hook_prelude(point, nth, action, persistent))
    assert proc.returncode == 3, proc.stderr  # the script's own status
    assert proc.stdout == untraced_stdout(path, "3")
    assert b"Traceback" not in proc.stderr
    warnings = [json.loads(line) for line in proc.stderr.decode().splitlines()]
    assert [w["error_code"] for w in warnings if w.get("level") == "warning"] == [code]
    assert trace_state(tmp_path / "trace-out") == "nothing"


# Faults after which a partial trace can still be published: the file system works again.
PARTIAL_FAULTS = [
    ("write", 2, "enospc", False, "ERR_DISK_FULL", "Environment"),
    ("line", 20, "crash", False, "ERR_CALLBACK_FAILED", "Internal"),
    ("call", 1, "crash", False, "ERR_CALLBACK_FAILED", "Internal"),
    ("stop", 1, "crash", False, "ERR_CALLBACK_FAILED", "Internal"),
]


@pytest.mark.parametrize("policy", ["abort", "disable"])
@pytest.mark.parametrize(("point", "nth", "action", "persistent", "code", "kind"), PARTIAL_FAULTS,
                         ids=[f"{a}@{p}#{n}" for p, n, a, _, _, _ in PARTIAL_FAULTS])
def test_keep_partial_trace(policy: str, point: str, nth: int, action: str, persistent: bool,
                            code: str, kind: str, backend: str, run_recorder, script,
                            tmp_path: Path) -> None:
    path = script(PROGRAM)
    proc = run_recorder(["--on-recorder-error", policy, "--keep-partial-trace", "--backend",
                         backend, path.name], prelude=hook_prelude(point, nth, action, persistent))
    assert proc.returncode == (0 if policy == "disable" else {"Environment": 10,
                                                               "Internal": 70}[kind])
    assert trace_state(tmp_path / "trace-out") == "partial"
    metadata = json.loads((tmp_path / "trace-out" / "trace_metadata.json").read_text())
    assert metadata["partial_reason"] == code and metadata["partial"] is True


@pytest.mark.parametrize("policy", ["abort", "disable"])
def test_require_trace_returns_the_failures_code(policy: str, backend: str, run_recorder,
                                                 script, tmp_path: Path) -> None:
    path = script(PROGRAM)
    proc = run_recorder(["--on-recorder-error", policy, "--require-trace", "--json-errors",
                         "--backend", backend, path.name],
                        prelude=hook_prelude("line", 5, "crash"))
    assert proc.returncode == 70
    assert last_json(proc.stderr)["error_code"] == "ERR_CALLBACK_FAILED"
    assert trace_state(tmp_path / "trace-out") == "nothing"


# -- real faults --------------------------------------------------------------------------------

def _root() -> bool:
    return os.geteuid() == 0


@pytest.fixture
def small_tmpfs() -> Iterator[Path]:
    """A 48 KiB tmpfs (real ENOSPC), from the fault-injection harness's mechanism."""
    from fault_injection.errors import MechanismUnavailable
    from fault_injection.mechanisms.tmpfs import mounted_tmpfs

    try:
        with mounted_tmpfs("48k") as mount_point:
            yield mount_point
    except MechanismUnavailable as exc:
        pytest.skip(str(exc))


BIG_PROGRAM = """
data = []
for i in range(3000):
    data.append(i * 2)
print(len(data))
"""


@pytest.mark.parametrize("policy", ["abort", "disable"])
def test_real_enospc_on_a_full_tmpfs(policy: str, small_tmpfs: Path, backend: str,
                                     run_recorder, script) -> None:
    path = script(BIG_PROGRAM)
    trace_dir = small_tmpfs / "trace"
    proc = run_recorder(["--on-recorder-error", policy, "--json-errors", "--backend", backend,
                         "--trace-dir", str(trace_dir), path.name])
    assert proc.stdout == (b"3000\n" if policy == "disable" else proc.stdout)
    if policy == "abort":
        assert proc.returncode == 10
        assert last_json(proc.stderr)["error_code"] == "ERR_DISK_FULL"
    else:
        assert proc.returncode == 0
    assert trace_state(trace_dir) == "nothing"
    assert list(small_tmpfs.iterdir()) == []


@pytest.fixture
def world_readable_dir() -> Iterator[Path]:
    base = Path(tempfile.mkdtemp(prefix="rec-eacces-"))
    base.chmod(0o755)
    try:
        yield base
    finally:
        shutil.rmtree(base)


@pytest.mark.parametrize("policy", ["abort", "disable"])
def test_real_eacces_with_dropped_privileges(policy: str, world_readable_dir: Path,
                                             backend: str, make_env, as_nobody) -> None:
    prog = world_readable_dir / "prog.py"
    prog.write_text("print('ran')\n")
    prog.chmod(0o644)
    locked = world_readable_dir / "locked"
    locked.mkdir(mode=0o755)  # owned by root: nobody cannot create anything inside
    proc = subprocess.run(
        [*as_nobody, sys.executable, "-m", "recorder", "--on-recorder-error", policy,
         "--json-errors", "--backend", backend, "--trace-dir", str(locked / "trace"), str(prog)],
        capture_output=True, cwd=world_readable_dir, env=make_env(), timeout=60)
    if policy == "abort":
        assert proc.returncode == 10, proc.stderr
        assert proc.stdout == b""  # the script never ran
        assert last_json(proc.stderr)["error_code"] == "ERR_PERMISSION_DENIED"
    else:
        assert proc.returncode == 0 and proc.stdout == b"ran\n"
    assert list(locked.iterdir()) == []


def test_real_efbig_with_rlimit_fsize(backend: str, run_recorder, script, tmp_path: Path,
                                      make_env) -> None:
    path = script(BIG_PROGRAM)

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))

    proc = subprocess.run([sys.executable, "-m", "recorder", "--json-errors", "--backend",
                           backend, path.name], capture_output=True, cwd=tmp_path,
                          env=make_env(), preexec_fn=limit, timeout=60)
    assert proc.returncode == 10, proc.stderr
    assert last_json(proc.stderr)["error_code"] == "ERR_FILE_TOO_LARGE"
    assert trace_state(tmp_path / "trace-out") == "nothing"


@pytest.mark.parametrize("point", ["rename", "fsync", "detach", "stop"])
def test_sigint_while_finalising_publishes_then_ends_by_sigint(point: str, backend: str,
                                                               run_recorder, script,
                                                               tmp_path: Path) -> None:
    path = script(PROGRAM)
    proc = run_recorder(["--backend", backend, path.name],
                        prelude=hook_prelude(point, 1, "sigint"))
    assert proc.returncode == -signal.SIGINT, proc.stderr
    assert proc.stdout == untraced_stdout(path)
    assert trace_state(tmp_path / "trace-out") == "complete"


def test_sigint_inside_a_callback_shows_only_the_scripts_frames(backend: str, run_recorder,
                                                                 script, tmp_path: Path) -> None:
    path = script(PROGRAM)
    proc = run_recorder(["--backend", backend, path.name],
                        prelude=hook_prelude("line", 50, "sigint"))
    assert proc.returncode == -signal.SIGINT, proc.stderr
    stderr = proc.stderr.decode()
    assert stderr.startswith("Traceback (most recent call last):")
    assert stderr.rstrip().endswith("KeyboardInterrupt")
    frames = [line for line in stderr.splitlines() if line.startswith("  File ")]
    assert frames and all(str(path) in line for line in frames), stderr
    assert trace_state(tmp_path / "trace-out") == "complete"
    metadata = json.loads((tmp_path / "trace-out" / "trace_metadata.json").read_text())
    assert metadata["process_exit_status"]["label"] == "interrupted"


@pytest.mark.parametrize(("point", "ending"), [("return", "pass"), ("unwind", "sys.exit(0)")])
def test_sigint_as_the_script_frame_ends_shows_no_recorder_frames(
    point: str, ending: str, backend: str, run_recorder, script, tmp_path: Path
) -> None:
    # The callback of the module frame's own exit: depending on the interpreter, the module
    # frame is still in the traceback or already gone; the recorder's frames never show.
    path = script(f"import sys\nprint('done')\n{ending}\n")
    proc = run_recorder(["--backend", backend, path.name], prelude=hook_prelude(point, 1, "sigint"))
    assert proc.returncode == -signal.SIGINT, proc.stderr
    stderr = proc.stderr.decode()
    assert stderr.rstrip().endswith("KeyboardInterrupt"), stderr
    frames = [line for line in stderr.splitlines() if line.startswith("  File ")]
    assert all(str(path) in line for line in frames), stderr
    assert trace_state(tmp_path / "trace-out") == "complete"


def test_repeated_sigint_while_handling_shows_only_the_scripts_frames(
    backend: str, run_recorder, script, tmp_path: Path
) -> None:
    # Ctrl-C in a line callback inside ``try``, and again at the ``except`` line that is
    # checking it: Python prints both tracebacks ("During handling..."), each cut to the script.
    path = script("def f():\n    return 1\ntry:\n    f()\nexcept ValueError:\n    pass\n")
    proc = run_recorder(["--backend", backend, path.name],  # the 4th line runs inside f()
                        prelude=hook_prelude("line", 4, "sigint", persistent=True))
    assert proc.returncode == -signal.SIGINT, proc.stderr
    stderr = proc.stderr.decode()
    # sys.settrace drops a trace function that raises, so there the second Ctrl-C never comes.
    assert stderr.count("KeyboardInterrupt") == (2 if backend == "monitoring" else 1), stderr
    frames = [line for line in stderr.splitlines() if line.startswith("  File ")]
    assert frames and all(str(path) in line for line in frames), stderr


def test_sigint_in_a_finalised_generator_is_reported_without_recorder_frames(
    backend: str, run_recorder, script
) -> None:
    # ``del g`` closes the generator; a Ctrl-C in the callback of its exit cannot propagate and
    # Python reports it as "Exception ignored in: <generator ...>" through sys.unraisablehook.
    # The try/finally makes close() run the frame on every version (3.13 closes a generator
    # suspended outside any handler without running it, so no unwind event would fire).
    path = script("def squares():\n    try:\n        yield 1\n        yield 4\n    finally:\n"
                  "        pass\ng = squares()\nnext(g)\ndel g\nprint('after')\n")
    proc = run_recorder(["--backend", backend, path.name],
                        prelude=hook_prelude("unwind", 1, "sigint"))
    stderr = proc.stderr.decode()
    assert "Exception ignored in: <generator object squares" in stderr, stderr
    assert proc.stdout == b"after\n"
    frames = [line for line in stderr.splitlines() if line.startswith("  File ")]
    assert all(str(path) in line for line in frames), stderr
