"""Real ENOSPC: a small tmpfs mounted for the run (root only), always unmounted afterwards.

Python::

    with mounted_tmpfs("64k") as mnt:
        run_recorder(trace_dir=mnt / "trace")      # the disk really fills up

Command line (``{mnt}`` in the command is replaced by the mount point)::

    python -m fault_injection tmpfs --size 64k -- python -m recorder --trace-dir {mnt}/t x.py
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fault_injection.errors import MechanismFailed, MechanismUnavailable
from fault_injection.mechanisms.common import (
    command_of,
    first_reason,
    need_root,
    need_tool,
    run_command,
    run_helper,
    substitute,
)

TOKEN = "{mnt}"


def unavailable_reason() -> str | None:
    """Why a tmpfs cannot be mounted here, or None."""
    return first_reason(need_root(), need_tool("mount"), need_tool("umount"))


@contextmanager
def mounted_tmpfs(size: str = "64k", parent: Path | None = None) -> Iterator[Path]:
    """Mount a tmpfs of ``size`` (mount's syntax: ``64k``, ``1m``) on a fresh directory."""
    reason = unavailable_reason()
    if reason is not None:
        raise MechanismUnavailable(f"tmpfs (real ENOSPC): {reason}")
    mount_point = Path(tempfile.mkdtemp(prefix="fi-tmpfs-", dir=parent))
    try:
        run_helper(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs",
                    str(mount_point)], "mounting a tmpfs")
    except MechanismFailed:
        mount_point.rmdir()
        raise
    try:
        yield mount_point
    finally:
        unmount(mount_point)


def unmount(mount_point: Path) -> None:
    """Unmount (lazily if busy) and remove the mount point."""
    try:
        run_helper(["umount", str(mount_point)], "unmounting the tmpfs")
    except MechanismFailed:
        # Something still holds a file open there: detach it now, the kernel frees it later.
        run_helper(["umount", "-l", str(mount_point)], "lazily unmounting the tmpfs")
    if not os.path.ismount(mount_point):
        shutil.rmtree(mount_point, ignore_errors=True)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Command-line options of ``python -m fault_injection tmpfs``."""
    parser.add_argument("--size", default="64k", help="tmpfs size, e.g. 64k or 1m (default 64k)")
    parser.add_argument("command", nargs=argparse.REMAINDER,
                        help=f"command to run; {TOKEN} is replaced by the mount point")


def run_cli(args: argparse.Namespace) -> int:
    """Mount, run the command inside, unmount; the command's exit status."""
    with mounted_tmpfs(args.size) as mount_point:
        cmd = substitute(command_of(args.command), TOKEN, str(mount_point))
        env = {**os.environ, "FAULT_MOUNT": str(mount_point)}
        return run_command(cmd, env)
