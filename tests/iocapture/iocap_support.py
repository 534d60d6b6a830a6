"""Running a program traced and untraced with its stdout/stderr on a terminal, a file, or both.

``run(argv, cwd, env, where)`` starts ``argv`` with fds 1 and 2 pointing at:

* ``"pty"``: one pseudo-terminal for both (as a shell's terminal: one open file description);
* ``"pty-split"``: stdout on a pseudo-terminal, stderr on a pipe;
* ``"files"``: stdout and stderr redirected to two files;
* ``"2>&1"``: both redirected to one file, one open file description.

It returns what arrived on each (``stderr`` is empty where it shares stdout's destination) and
the exit status. Every run has a timeout: a hang is a failure, never a stuck suite.
"""

from __future__ import annotations

import errno
import fcntl
import os
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WHERE = ("pty", "pty-split", "files", "2>&1")


@dataclass
class Output:
    stdout: bytes
    stderr: bytes
    status: int


def recorder_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CODETRACER_", "RECORDER_"))}
    env["PYTHONPATH"] = str(REPO)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def _read_pty(master: int, proc: subprocess.Popen[bytes], deadline: float) -> bytes:
    chunks: list[bytes] = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError as exc:  # EIO: every slave end is closed
                if exc.errno != errno.EIO:
                    raise
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            # Ended: whatever is left is in the buffer now; read it without waiting.
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                break
    return b"".join(chunks)


def run(argv: Sequence[str], cwd: Path, env: dict[str, str], where: str,
        timeout: float = 60) -> Output:
    """Run ``argv`` with its output going ``where`` (see the module docstring)."""
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryDirectory() as tmp:
        out_path, err_path = Path(tmp, "out"), Path(tmp, "err")
        if where in ("pty", "pty-split"):
            master, slave = os.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 33, 101, 0, 0))
            err_target: int = slave if where == "pty" else subprocess.PIPE
            proc = subprocess.Popen(list(argv), cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                    stdout=slave, stderr=err_target, start_new_session=True)
            os.close(slave)
            try:
                out = _read_pty(master, proc, deadline)
                err = proc.stderr.read() if proc.stderr is not None else b""
                status = proc.wait(max(deadline - time.monotonic(), 0.1))
            finally:
                os.close(master)
                if proc.poll() is None:
                    proc.kill()
            return Output(out, err, status)
        with open(out_path, "wb") as out_file, open(err_path, "wb") as err_file:
            stderr_target = subprocess.STDOUT if where == "2>&1" else err_file
            done = subprocess.run(list(argv), cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                  stdout=out_file, stderr=stderr_target, timeout=timeout)
        return Output(out_path.read_bytes(), err_path.read_bytes(), done.returncode)


def traced(script: str, trace_dir: Path, *options: str, prelude: str | None = None) -> list[str]:
    """The command line that records ``script`` (after ``prelude``, run in-process)."""
    args = ["--trace-dir", str(trace_dir), *options, script]
    if prelude is None:
        return [sys.executable, "-m", "recorder", *args]
    code = (prelude + "\nimport sys\nfrom recorder.cli import console_main\n"
            "sys.argv = ['recorder', *sys.argv[1:]]\nsys.exit(console_main())\n")
    return [sys.executable, "-c", code, *args]
