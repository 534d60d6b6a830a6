"""``sweep --syscalls``: any command failed at the system-call level through strace.

Reading strace's log is tested on canned lines; the sweeps themselves need strace and ptrace and
skip with the reason where they are not available.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fault_injection.mechanisms.strace import unavailable_reason
from fault_injection.syscall_sweep import Call, SyscallCase, call_paths, counted_calls

FIXTURES = Path(__file__).parent / "fixtures" / "save_settings"
ROOT = "/w"
LOG = """\
openat(AT_FDCWD</w>, "/usr/lib/os.py", O_RDONLY|O_CLOEXEC) = 3</usr/lib/os.py>
write(1</dev/pts/0>, "hi\\n", 3) = 3
openat(AT_FDCWD</w>, "settings.json", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</w/settings.json>
write(3</w/settings.json>, "{\\"a\\": \\"b,c\\"}", 12) = 12
write(3</w/settings.json>, "\\n", 1) = 1
openat(AT_FDCWD</w>, "missing", O_RDONLY) = -1 ENOENT (No such file or directory)
rename("settings.json.tmp", "settings.json") = 0
unlinkat(4</w/d>, "x", 0) = 0
fsync(3</tmp/elsewhere>) = 0
"""


def test_the_log_is_read_into_counted_calls() -> None:
    assert counted_calls(LOG, [ROOT], ROOT) == [
        Call("openat", 2, None, 0),
        Call("write", 2, "settings.json", 1),
        Call("write", 3, "settings.json", 2),
        Call("openat", 3, None, 0),  # failed, its path still counts
        Call("rename", 1, None, 0),
        Call("unlinkat", 1, None, 0),
    ]


@pytest.mark.parametrize(("name", "args", "ret", "paths"), [
    ("rename", '"a", "/abs/b"', "0", ["/w/a", "/abs/b"]),
    ("unlinkat", '4</w/d>, "x", 0', "0", ["/w/d", "/w/d/x"]),
    ("write", '3</w/f>, "/not/a/path", 11', "11", ["/w/f"]),
    ("openat", 'AT_FDCWD</w>, "f", O_RDONLY', "3</w/f>", ["/w/f", "/w/f"]),
])
def test_the_paths_of_one_call(name: str, args: str, ret: str, paths: list[str]) -> None:
    assert call_paths(name, args, ret, ROOT) == paths


@pytest.mark.parametrize(("case", "args"), [
    # A descriptor call is aimed at its file with -P; "+" is then exactly "from this one on".
    (SyscallCase("p", "enospc", "write", 2, True, Call("write", 7, "s.json", 2), 9),
     ["-P", "/run/s.json", "-e", "trace=write", "-e", "inject=write:error=ENOSPC:when=2+"]),
    # A path call is aimed by its number in the process; persistent runs to the last counted one.
    (SyscallCase("p", "eacces", "openat", 1, True, Call("openat", 40, None, 0), 44),
     ["-e", "trace=openat", "-e", "inject=openat:error=EACCES:when=40..44"]),
    (SyscallCase("p", "sigint", "rename", 1, False, Call("rename", 1, None, 0), 1),
     ["-e", "trace=rename", "-e", "inject=rename:signal=SIGINT:when=1"]),
])
def test_each_case_is_aimed_at_its_call(case: SyscallCase, args: list[str]) -> None:
    assert case.strace_args("/run") == args


needs_strace = pytest.mark.skipif(unavailable_reason() is not None,
                                  reason=f"strace: {unavailable_reason()}")


def sweep(tmp_path: Path, fixture: Path, *command: str) -> dict[str, object]:
    report = tmp_path / "r.json"
    done = subprocess.run(
        [sys.executable, "-m", "fault_injection", "sweep", "--syscalls", "--fixture",
         str(fixture), "--atomic", "settings.json", "--kind", "enospc", "--kind", "eio",
         "--json", str(report), "--", *command],
        capture_output=True, text=True, timeout=300, check=False, env=os.environ.copy())
    assert done.returncode in (0, 1), done.stderr
    data: dict[str, object] = json.loads(report.read_text())
    return data


def torn(report: dict[str, object]) -> set[str]:
    failures = report["failures"]
    assert isinstance(failures, list)
    return {f["case"] for f in failures if any("is torn" in v for v in f["violations"])}


@needs_strace
def test_a_python_program_at_the_syscall_level(tmp_path: Path) -> None:
    python = os.path.realpath(sys.executable)  # strace must trace Python itself, not a shim
    found = torn(sweep(tmp_path, FIXTURES / "inplace", python, "save_settings.py", "x=1"))
    assert "program:enospc@write(2)#1+" in found
    assert torn(sweep(tmp_path, FIXTURES / "careful", python, "save_settings.py", "x=1")) == set()


@needs_strace
def test_a_program_that_is_not_python(tmp_path: Path) -> None:
    fixture = tmp_path / "fixture"
    fixture.mkdir()
    (fixture / "settings.json").write_text('{"theme": "light"}\n')
    report = sweep(tmp_path, fixture, "sh", "-c",
                   "printf '{\"theme\": \"dark\"}\\n' > settings.json && echo saved")
    assert {"program:enospc@write(2)#1", "program:eio@write(2)#1+"} <= torn(report)
