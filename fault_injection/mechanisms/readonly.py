"""Real EROFS: a directory bind-mounted read-only onto itself (root only), always unmounted.

Python::

    with readonly_dir() as ro:
        run_recorder(trace_dir=ro / "trace")       # mkdir fails with EROFS

Command line (``{ro}`` in the command is replaced by the read-only directory)::

    python -m fault_injection readonly -- python -m recorder --trace-dir {ro}/t x.py
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

TOKEN = "{ro}"


def unavailable_reason() -> str | None:
    """Why a read-only bind mount cannot be made here, or None."""
    return first_reason(need_root(), need_tool("mount"), need_tool("umount"))


@contextmanager
def readonly_dir(parent: Path | None = None) -> Iterator[Path]:
    """A fresh directory that is read-only for everyone, root included."""
    reason = unavailable_reason()
    if reason is not None:
        raise MechanismUnavailable(f"readonly (real EROFS): {reason}")
    path = Path(tempfile.mkdtemp(prefix="fi-ro-", dir=parent))
    try:
        run_helper(["mount", "--bind", str(path), str(path)], "bind-mounting")
    except MechanismFailed:
        path.rmdir()
        raise
    try:
        # A bind mount only becomes read-only by a remount (the kernel ignores ro on --bind).
        run_helper(["mount", "-o", "remount,bind,ro", str(path)], "remounting read-only")
        yield path
    finally:
        try:
            run_helper(["umount", str(path)], "unmounting the bind mount")
        except MechanismFailed:
            run_helper(["umount", "-l", str(path)], "lazily unmounting the bind mount")
        if not os.path.ismount(path):
            shutil.rmtree(path, ignore_errors=True)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Command-line options of ``python -m fault_injection readonly``."""
    parser.add_argument("command", nargs=argparse.REMAINDER,
                        help=f"command to run; {TOKEN} is replaced by the read-only directory")


def run_cli(args: argparse.Namespace) -> int:
    """Make the directory, run the command, undo; the command's exit status."""
    with readonly_dir() as path:
        env = {**os.environ, "FAULT_READONLY_DIR": str(path)}
        return run_command(substitute(command_of(args.command), TOKEN, str(path)), env)
