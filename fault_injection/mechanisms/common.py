"""Helpers shared by the real-fault mechanisms: root checks, running helper commands, exit codes."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence

from fault_injection.errors import HarnessUsageError, MechanismFailed


def need_root() -> str | None:
    """None when running as root, otherwise the reason a root-only mechanism cannot run."""
    uid = os.geteuid()
    return None if uid == 0 else f"needs root (running as uid {uid})"


def need_tool(name: str) -> str | None:
    """None when ``name`` is on PATH, otherwise the reason."""
    return None if shutil.which(name) else f"`{name}` is not installed (not found on PATH)"


def first_reason(*reasons: str | None) -> str | None:
    """The first reason that is not None."""
    return next((reason for reason in reasons if reason is not None), None)


def run_helper(cmd: Sequence[str], what: str) -> None:
    """Run a set-up or tear-down command; a failure is :class:`MechanismFailed` with its stderr."""
    try:
        done = subprocess.run(list(cmd), capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise MechanismFailed(f"{what}: cannot run {cmd[0]}: {exc}") from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        raise MechanismFailed(f"{what} failed ({' '.join(cmd)}): {detail}")


def run_command(cmd: Sequence[str], env: Mapping[str, str] | None = None) -> int:
    """Run a user command with inherited stdio; the exit status the way a shell reports it."""
    done = subprocess.run(list(cmd), env=None if env is None else dict(env), check=False)
    return shell_status(done.returncode)


def shell_status(returncode: int) -> int:
    """A subprocess return code as a shell exit status (killed by signal N -> 128 + N)."""
    return 128 - returncode if returncode < 0 else returncode


def substitute(cmd: Sequence[str], token: str, value: str) -> list[str]:
    """``cmd`` with every occurrence of ``token`` in its arguments replaced by ``value``."""
    return [part.replace(token, value) for part in cmd]


def command_of(parts: Sequence[str]) -> list[str]:
    """A REMAINDER command without its leading ``--``; empty is a usage error."""
    cmd = list(parts[1:] if parts and parts[0] == "--" else parts)
    if not cmd:
        raise HarnessUsageError("no command given: put it after --")
    return cmd
