"""The script runs as under plain ``python``: argv, __name__, streams, exit status (per backend)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from recorder.trace_check import check_trace_dir

# name -> (program, script args, expected status under the recorder)
PROGRAMS = {
    "identity": ("""
        import os, sys
        print(__name__, sys.argv, os.path.basename(__file__))
        print(sys.path[0] == os.path.dirname(os.path.abspath(__file__)))
        import __main__; print(__main__.__dict__ is globals())
        """, ["a", "--trace-dir", "b c"], 0),
    "streams": ("""
        import sys
        for i in range(3):
            print("out", i)
            sys.stderr.write(f"err {i}\\n")
        sys.stdout.write("no newline")
        """, [], 0),
    "unicode": ("""
        print("héllo wörld ✓ 日本語 \\U0001f600")
        """, [], 0),
    "exit-3": ("import sys\nsys.exit(3)\n", [], 3),
    "exit-none": ("import sys\nsys.exit()\n", [], 0),
    "exit-message": ("import sys\nsys.exit('bye now')\n", [], 1),
    "raises": ("""
        def inner():
            raise ValueError("bad value")
        def outer():
            inner()
        print("before")
        outer()
        """, [], 20),
    "chained-in-a-function": ("""
        def parse(text):
            try:
                return int(text)
            except ValueError:
                raise LookupError("not a number")
        parse("x")
        """, [], 20),
    "raised-from-a-library": ("""
        import json
        try:
            json.loads("{")
        except ValueError as exc:
            raise RuntimeError("bad config") from exc
        """, [], 20),
    "syntax-error": ("def broken(:\n    pass\n", [], 20),
    "catches-and-exits": ("""
        try:
            raise KeyError("k")
        except KeyError as e:
            print("caught", e)
        raise SystemExit(4)
        """, [], 4),
    "threads": ("""
        import threading
        results = []
        def work(n):
            results.append(sum(range(n)))
        ts = [threading.Thread(target=work, args=(10_000,)) for _ in range(3)]
        for t in ts: t.start()
        for t in ts: t.join()
        print(sorted(results))
        """, [], 0),
    "excepthook": ("""
        import sys
        def hook(t, v, tb):
            sys.stderr.write(f"custom hook: {t.__name__}: {v}\\n")
        sys.excepthook = hook
        raise RuntimeError("through the hook")
        """, [], 20),
}


def _untraced(path: Path, args: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, path.name, *args], cwd=path.parent,
                          capture_output=True, timeout=60)


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_program_behaves_as_untraced(name: str, backend: str, run_recorder, script,
                                     tmp_path: Path) -> None:
    source, args, expected_status = PROGRAMS[name]
    path = script(source)
    plain = _untraced(path, args)
    traced = run_recorder(["--backend", backend, "--trace-dir", "out", path.name, *args])
    assert traced.stdout == plain.stdout
    assert traced.stderr == plain.stderr
    assert traced.returncode == expected_status
    # Python's own status is the same except for an uncaught exception (1 there, 20 here).
    assert plain.returncode == (1 if expected_status == 20 else expected_status)
    if name != "syntax-error":
        metadata = json.loads((tmp_path / "out" / "trace_metadata.json").read_text())
        assert metadata["process_exit_status"]["code"] == expected_status
        events = json.loads((tmp_path / "out" / "trace.json").read_text())
        assert events[-1]["Return"]["return_value"]["i"] == expected_status


def test_target_exception_trailer_with_json_errors(backend: str, run_recorder, script) -> None:
    path = script(PROGRAMS["raises"][0])
    proc = run_recorder(["--json-errors", "--backend", backend, path.name])
    assert proc.returncode == 20
    lines = proc.stderr.decode().splitlines()
    assert lines[-2] == "ValueError: bad value"  # the traceback as Python prints it, then
    trailer = json.loads(lines[-1])  # exactly one trailer, last
    assert (trailer["error_code"], trailer["error_kind"]) == ("ERR_TARGET_RAISED", "Target")
    assert sum(1 for line in lines if line.startswith("{")) == 1


def test_keyboard_interrupt_ends_like_python(backend: str, run_recorder, script,
                                             tmp_path: Path) -> None:
    path = script("print('working')\nraise KeyboardInterrupt\n")
    plain = _untraced(path, [])
    traced = run_recorder(["--backend", backend, "--trace-dir", "out", path.name])
    assert traced.returncode == plain.returncode == -2  # killed by SIGINT, as Python does
    assert traced.stdout == plain.stdout
    assert traced.stderr == plain.stderr
    metadata = json.loads((tmp_path / "out" / "trace_metadata.json").read_text())
    assert metadata["process_exit_status"]["label"] == "interrupted"


def test_api_inside_the_cli_session(backend: str, run_recorder, script) -> None:
    path = script("""
        import recorder
        from recorder.errors import UsageError
        print(recorder.is_tracing())
        try:
            recorder.start("elsewhere")
        except UsageError as err:
            print(err.code.value)
        """)
    proc = run_recorder(["--backend", backend, path.name])
    assert proc.stdout.decode().split() == ["True", "ERR_ALREADY_TRACING"]
    assert proc.returncode == 0


def test_forked_child_that_returns_does_not_touch_the_parents_trace(
        backend: str, run_recorder, script, tmp_path: Path) -> None:
    path = script("""
        import os, sys
        pid = os.fork()
        if pid == 0:
            print("child done", flush=True)
            sys.exit(0)  # ends through the recorder's command line, like the parent
        os.waitpid(pid, 0)
        print("parent done")
        """)
    proc = run_recorder(["--backend", backend, "--trace-dir", "out", path.name])
    assert proc.returncode == 0, proc.stderr
    assert sorted(proc.stdout.decode().split("\n")) == ["", "child done", "parent done"]
    from recorder.trace_check import check_trace_dir

    assert check_trace_dir(tmp_path / "out") == []
    events = json.loads((tmp_path / "out" / "trace.json").read_text())
    contents = "".join(e["Event"]["content"] for e in events if "Event" in e)
    assert contents == "parent done\n"


STDIN_PROGRAM = """
import sys
name = input("name? ")
total = 0
for line in sys.stdin:
    total += int(line)
print(f"hello {name}, total {total}")
"""


def test_stdin_reads_are_recorded_as_events(backend: str, script, make_env,
                                            tmp_path: Path) -> None:
    path = script(STDIN_PROGRAM)
    given = b"Ada\n1\n2\n3\n"
    plain = subprocess.run([sys.executable, path.name], cwd=tmp_path, input=given,
                           capture_output=True, timeout=60)
    traced = subprocess.run(
        [sys.executable, "-m", "recorder", "--backend", backend, "--trace-dir", "out", path.name],
        cwd=tmp_path, input=given, capture_output=True, timeout=60, env=make_env())
    assert traced.returncode == plain.returncode == 0, traced.stderr
    assert traced.stdout == plain.stdout == b"name? hello Ada, total 6\n"
    assert check_trace_dir(tmp_path / "out") == []
    events = json.loads((tmp_path / "out" / "trace.json").read_text(encoding="utf-8"))
    io_events = [e["Event"] for e in events if "Event" in e]
    reads = [e for e in io_events if e["kind"] == 3]
    assert "".join(e["content"] for e in reads).encode() == given
    assert {json.loads(e["metadata"])["stream"] for e in reads} == {"stdin"}
    # In program order: the prompt is written before the answer is read.
    assert [(e["kind"], e["content"]) for e in io_events[:2]] == [(0, "name? "), (3, "Ada\n")]


def test_bytes_written_to_stdout_buffer_are_recorded(backend: str, run_recorder, script,
                                                      tmp_path: Path) -> None:
    path = script("import sys\nprint('text', flush=True)\nsys.stdout.buffer.write(b'bytes\\n')\n")
    traced = run_recorder(["--backend", backend, "--trace-dir", "out", path.name])
    assert traced.stdout == _untraced(path, []).stdout == b"text\nbytes\n"
    events = json.loads((tmp_path / "out" / "trace.json").read_text(encoding="utf-8"))
    written = [(e["Event"]["kind"], e["Event"]["content"]) for e in events if "Event" in e]
    assert written == [(0, "text\n"), (0, "bytes\n")]
