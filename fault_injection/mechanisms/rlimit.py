"""Real EFBIG: ``RLIMIT_FSIZE`` caps the size of any file the process writes.

Beyond the limit the kernel sends SIGXFSZ (which would kill the process) and, when that signal is
ignored, fails the ``write`` with EFBIG; so the child ignores SIGXFSZ. Python::

    done = run_with_fsize_limit(["python", "-m", "recorder", ...], limit=4096)
    with fsize_limit(4096):            # in this process (restored afterwards)
        ...

Command line::

    python -m fault_injection rlimit --fsize 4096 -- python -m recorder --trace-dir t x.py
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from fault_injection.errors import MechanismUnavailable
from fault_injection.mechanisms.common import command_of, shell_status

try:
    import resource
except ImportError:  # not POSIX: the mechanism reports itself unavailable
    resource = None  # type: ignore[assignment]


def unavailable_reason() -> str | None:
    """Why RLIMIT_FSIZE cannot be used here, or None."""
    if resource is None or not hasattr(signal, "SIGXFSZ"):
        return "needs a POSIX system with RLIMIT_FSIZE and SIGXFSZ"
    return None


def _require() -> None:
    reason = unavailable_reason()
    if reason is not None:
        raise MechanismUnavailable(f"rlimit (real EFBIG): {reason}")


def limiter(limit: int) -> Callable[[], None]:
    """A ``preexec_fn`` that caps file size at ``limit`` bytes and ignores SIGXFSZ."""
    _require()

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))

    return apply


def run_with_fsize_limit(cmd: Sequence[str], limit: int, env: Mapping[str, str] | None = None,
                         timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """Run ``cmd`` with files capped at ``limit`` bytes; capture its output."""
    return subprocess.run(list(cmd), preexec_fn=limiter(limit), capture_output=True,
                          env=None if env is None else dict(env), check=False, timeout=timeout)


@contextmanager
def fsize_limit(limit: int) -> Iterator[None]:
    """Cap file sizes in *this* process for a block (main thread only: it sets a handler)."""
    _require()
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, old_limit[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Command-line options of ``python -m fault_injection rlimit``."""
    parser.add_argument("--fsize", type=int, required=True, help="file size limit in bytes")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="command to run")


def run_cli(args: argparse.Namespace) -> int:
    """Run the command under the limit with inherited stdio; its exit status."""
    done = subprocess.run(command_of(args.command), preexec_fn=limiter(args.fsize),
                          env=dict(os.environ), check=False)
    return shell_status(done.returncode)
