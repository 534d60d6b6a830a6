"""A real SIGINT delivered at a seam: the recorder is interrupted exactly at a chosen step.

The injector's ``sigint`` kind calls :func:`deliver` from inside the seam hook, so the kernel
delivers a real SIGINT to this process while the recorder is, say, renaming the trace into place;
Python runs the handler before the seam returns. The recorder must then either defer it (inside a
critical section) or unwind cleanly. Python::

    with injected(plan_at("rename", 1)):
        recorder.stop()                 # Ctrl-C "arrives" at the first rename

Command line (runs the recorder's command line in a child process)::

    python -m fault_injection sigint --point rename --nth 1 -- --trace-dir t x.py
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading

from fault_injection.mechanisms.common import command_of, shell_status
from fault_injection.plan import ENV_VAR, FaultPlan, single


def unavailable_reason() -> str | None:
    """Why a SIGINT cannot be delivered at a seam here, or None."""
    if not hasattr(signal, "raise_signal"):
        return "signal.raise_signal is not available"
    if threading.current_thread() is not threading.main_thread():
        return "signal handlers run only in the main thread"
    return None


def deliver() -> None:
    """Send a real SIGINT to this process now (Python runs its handler before returning)."""
    signal.raise_signal(signal.SIGINT)


def plan_at(point: str, nth: int = 1) -> FaultPlan:
    """A plan that interrupts the ``nth`` hit of ``point``."""
    return single("sigint", point, nth)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Command-line options of ``python -m fault_injection sigint``."""
    parser.add_argument("--point", required=True, help="seam to interrupt, e.g. rename")
    parser.add_argument("--nth", type=int, default=1, help="which hit of the seam (default 1)")
    parser.add_argument("command", nargs=argparse.REMAINDER,
                        help="the recorder's command-line arguments")


def run_cli(args: argparse.Namespace) -> int:
    """Run the recorder's command line in a child with the SIGINT plan; its exit status."""
    env = {**os.environ, ENV_VAR: str(plan_at(args.point, args.nth))}
    cmd = [sys.executable, "-m", "fault_injection", "exec", *command_of(args.command)]
    return shell_status(subprocess.run(cmd, env=env, check=False).returncode)
