"""System-call injection with ``strace -e inject=...``: any errno at any syscall, any program.

This fails the real system call in the kernel's view of the process, without any seam, so it also
tests code paths the seams do not cover (and programs that are not the recorder). Python::

    cmd = inject_command(["python", "-m", "recorder", ...], syscall="fsync", error="EIO", when="1")

Command line::

    python -m fault_injection strace --syscall fsync --error EIO --when 1 -- python -m recorder ...

``when`` uses strace's syntax: ``3`` (the 3rd call), ``3+`` (every call from the 3rd),
``2..4``, ``1+2`` (every second call).
"""

from __future__ import annotations

import argparse
import functools
import subprocess
from collections.abc import Sequence

from fault_injection.errors import MechanismUnavailable
from fault_injection.mechanisms.common import command_of, first_reason, need_tool, run_command

STRACE = "strace"


@functools.cache
def unavailable_reason() -> str | None:
    """Why strace injection cannot run here (not installed, ptrace not permitted), or None."""
    reason = first_reason(need_tool(STRACE))
    if reason is not None:
        return reason
    try:
        done = subprocess.run([STRACE, "-f", "-qq", "-o", "/dev/null", "-e", "trace=none", "true"],
                              capture_output=True, text=True, check=False, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"strace cannot run: {exc}"
    if done.returncode != 0:
        return f"strace cannot trace here (ptrace not permitted?): {done.stderr.strip()}"
    return None


def inject_command(cmd: Sequence[str], syscall: str, error: str, when: str = "1",
                   path: str | None = None) -> list[str]:
    """``cmd`` run under strace so that ``syscall`` fails with ``error`` at ``when``.

    ``path`` limits the injection to syscalls on that path (strace's ``-P``).
    """
    reason = unavailable_reason()
    if reason is not None:
        raise MechanismUnavailable(f"strace (syscall injection): {reason}")
    prefix = [STRACE, "-f", "-qq", "-o", "/dev/null", "-e", f"trace={syscall}",
              "-e", f"inject={syscall}:error={error}:when={when}"]
    if path is not None:
        prefix += ["-P", path]
    return [*prefix, "--", *cmd]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Command-line options of ``python -m fault_injection strace``."""
    parser.add_argument("--syscall", required=True, help="e.g. write, fsync, rename, openat")
    parser.add_argument("--error", required=True, help="errno name, e.g. ENOSPC")
    parser.add_argument("--when", default="1", help="strace's when= expression (default 1)")
    parser.add_argument("--path", default=None, help="only syscalls on this path (strace -P)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="command to run")


def run_cli(args: argparse.Namespace) -> int:
    """Run the command under strace with the injection; its exit status."""
    cmd = inject_command(command_of(args.command), args.syscall, args.error, args.when, args.path)
    return run_command(cmd)
