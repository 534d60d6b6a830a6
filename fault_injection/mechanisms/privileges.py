"""Real EACCES as root: run a command as ``nobody`` (65534) with ``setpriv``.

``chmod`` alone does nothing for root, who bypasses permission bits; a process that has dropped
to an unprivileged uid does not. Python::

    done = run_unprivileged([python_for_nobody(), "-m", "recorder", "--trace-dir", d, "x.py"])

Command line::

    python -m fault_injection privileges -- /usr/bin/python3 -m recorder --trace-dir /root/t x.py

The dropped process must be able to run its interpreter: a virtualenv under ``/root`` is not
reachable by ``nobody``; :func:`python_for_nobody` finds an interpreter that is.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence

from fault_injection.errors import MechanismUnavailable
from fault_injection.mechanisms.common import (
    command_of,
    first_reason,
    need_root,
    need_tool,
    run_command,
)

NOBODY = 65534
SETPRIV = ("setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups")


def unavailable_reason() -> str | None:
    """Why privileges cannot be dropped here, or None."""
    return first_reason(need_root(), need_tool("setpriv"))


def unprivileged(cmd: Sequence[str]) -> list[str]:
    """``cmd`` prefixed so that it runs as nobody, without supplementary groups."""
    reason = unavailable_reason()
    if reason is not None:
        raise MechanismUnavailable(f"privileges (real EACCES): {reason}")
    return [*SETPRIV, *cmd]


def run_unprivileged(cmd: Sequence[str], env: Mapping[str, str] | None = None,
                     timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """Run ``cmd`` as nobody and capture its output."""
    return subprocess.run(unprivileged(cmd), env=None if env is None else dict(env),
                          capture_output=True, check=False, timeout=timeout)


def python_for_nobody(minimum: tuple[int, int] = (3, 11)) -> str | None:
    """An interpreter (>= ``minimum``) that nobody can execute, or None."""
    version = f"{minimum[0]}.{minimum[1]}"
    check = f"import sys; sys.exit(0 if sys.version_info >= ({minimum[0]}, {minimum[1]}) else 1)"
    candidates = [sys.executable, shutil.which(f"python{version}"), "/usr/bin/python3"]
    for candidate in candidates:
        if not candidate or not os.path.exists(candidate):
            continue
        done = subprocess.run([*unprivileged([candidate, "-c", check])], capture_output=True,
                              check=False, timeout=30)
        if done.returncode == 0:
            return candidate
    return None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Command-line options of ``python -m fault_injection privileges``."""
    parser.add_argument("command", nargs=argparse.REMAINDER, help="command to run as nobody")


def run_cli(args: argparse.Namespace) -> int:
    """Run the command as nobody; its exit status."""
    return run_command(unprivileged(command_of(args.command)))
