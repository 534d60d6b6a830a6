"""Bad input to the crash explorer: a usage error with its own code and remedy, exit 2, no
traceback - and the recorded log of a clean run, operation by operation, with source lines."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fault_injection.crash_log import record
from fault_injection.errors import CRASH_USAGE_CODES

SETTINGS = Path(__file__).parent / "fixtures" / "settings" / "durable"
SAVE = [sys.executable, "save_settings.py", "theme=dark"]


def crash(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fault_injection", "crash", *args],
                          capture_output=True, text=True, timeout=120, check=False, cwd=cwd)


def oracle(tmp_path: Path, text: str) -> str:
    path = tmp_path / "oracle.toml"
    path.write_text(text)
    return str(path)


CASES = [
    ("nothing to explore", lambda t: ["--fixture", str(SETTINGS), "--",
                                      sys.executable, "-c", "pass"],
     "ERR_CRASH_NOTHING_TO_EXPLORE"),
    ("oracle path outside", lambda t: ["--fixture", str(SETTINGS), "--oracle",
                                       oracle(t, 'atomic = ["../elsewhere"]'), "--", *SAVE],
     "ERR_ORACLE_PATH_OUTSIDE"),
    ("unknown model", lambda t: ["--model", "meteor", "--", *SAVE], "ERR_CRASH_MODEL_UNKNOWN"),
    ("recover fails on the clean result", lambda t: [
        "--fixture", str(SETTINGS), "--oracle",
        oracle(t, 'recover = ["python", "-c", "raise SystemExit(3)"]'), "--", *SAVE],
     "ERR_CRASH_RECOVER_FAILS"),
    ("a state that is no spec", lambda t: ["--state", "meltdown", "--", *SAVE],
     "ERR_CRASH_STATE_INVALID"),
    ("a state past the log", lambda t: ["--fixture", str(SETTINGS), "--state",
                                        "power-loss@99", "--", *SAVE],
     "ERR_CRASH_STATE_INVALID"),
    ("no command", lambda t: ["--fixture", str(SETTINGS), "--"], "ERR_COMMAND_MISSING"),
    ("an unknown oracle key", lambda t: ["--fixture", str(SETTINGS), "--oracle",
                                         oracle(t, "recovre = []"), "--", *SAVE],
     "ERR_ORACLE_INVALID"),
]


@pytest.mark.parametrize(("name", "args", "code"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_a_usage_error(name: str, args: object, code: str, tmp_path: Path) -> None:
    done = crash(*args(tmp_path), cwd=tmp_path)  # type: ignore[operator]
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"[{code}]" in done.stderr and "Traceback" not in done.stderr
    if code in CRASH_USAGE_CODES:
        assert CRASH_USAGE_CODES[code] in done.stderr


def test_every_crash_code_is_tested() -> None:
    assert set(CRASH_USAGE_CODES) <= {code for _, _, code in CASES}


def test_crash_help_explains_every_option(tmp_path: Path) -> None:
    done = crash("--help", cwd=tmp_path)
    for option in ("--fixture", "--oracle", "--model", "--json", "--junit-xml", "--shard",
                   "--jobs", "--cap", "--seed", "--state", "--workdir", "--progress"):
        assert option in done.stdout


PROGRAM = '''\
import os
fd = os.open("data.bin", os.O_RDWR | os.O_CREAT | os.O_TRUNC)
os.pwrite(fd, b"tail", 8)
os.write(fd, b"head")
os.ftruncate(fd, 10)
os.fsync(fd)
os.close(fd)
os.mkdir("sub")
os.rename("sub", "moved")
d = os.open(".", os.O_RDONLY)
os.fsync(d)
os.close(d)
os.unlink("data.bin")
os.rmdir("moved")
'''


def test_the_log_names_each_operation_with_its_source_line(tmp_path: Path) -> None:
    fixture = tmp_path / "fixture"
    fixture.mkdir()
    (fixture / "prog.py").write_text(PROGRAM)
    rec = record((sys.executable, "prog.py"), fixture, tmp_path / "work")
    assert rec.loaded and rec.process.returncode == 0
    got = [(op.kind, op.path, op.path2, op.offset, op.data, op.size, op.line) for op in rec.ops]
    assert got == [
        ("open", "data.bin", None, None, b"", None, "prog.py:2"),
        ("write", "data.bin", None, 8, b"tail", 4, "prog.py:3"),
        ("write", "data.bin", None, 0, b"head", 4, "prog.py:4"),
        ("truncate", "data.bin", None, None, b"", 10, "prog.py:5"),
        ("fsync", "data.bin", None, None, b"", None, "prog.py:6"),
        ("mkdir", "sub", None, None, b"", None, "prog.py:8"),
        ("rename", "sub", "moved", None, b"", None, "prog.py:9"),
        ("open", ".", None, None, b"", None, "prog.py:10"),
        ("fsync", ".", None, None, b"", None, "prog.py:11"),
        ("unlink", "data.bin", None, None, b"", None, "prog.py:13"),
        ("rmdir", "moved", None, None, b"", None, "prog.py:14"),
    ]
    assert rec.ops[0].flags & os.O_TRUNC and rec.ops[0].flags & os.O_CREAT
