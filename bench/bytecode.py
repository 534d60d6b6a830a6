"""Fair bytecode for the measured recorder runs: compiled once, never on a measured run.

Users run an installed recorder whose modules have their ``.pyc`` files; the Rust recorder's
Python part is pip-installed with them. Our recorder runs from the source tree (``PYTHONPATH``), and
an environment with ``PYTHONDONTWRITEBYTECODE=1`` (this machine's) would make every measured run
compile it from source again (tens of milliseconds each). So the measured children of part 1 do
not inherit that variable, and :func:`compile_tree` writes the bytecode of the source tree for
each measured interpreter before its first measured run.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from bench.envs import BENCH_DIR, REPO
from bench.errors import Unavailable

#: Variables the measured children of part 1 must not inherit from the runner.
UNSET: frozenset[str] = frozenset({"PYTHONDONTWRITEBYTECODE"})

#: What the measured children import from the source tree: the recorder, the no-op helpers (and
#: the ``bench`` package they live in) and the workloads (imported by nothing, but cheap).
SOURCES: tuple[Path, ...] = (
    REPO / "recorder",
    BENCH_DIR / "__init__.py",
    BENCH_DIR / "helpers",
    BENCH_DIR / "workloads",
)


def child_env() -> dict[str, str]:
    """The runner's environment without :data:`UNSET` (for commands run outside the runner)."""
    return {k: v for k, v in os.environ.items() if k not in UNSET}


def compile_tree(python: Path, sources: tuple[Path, ...] = SOURCES) -> None:
    """Write the ``.pyc`` files of ``sources`` for ``python``; raises Unavailable on failure."""
    argv = [str(python), "-m", "compileall", "-q", *(str(p) for p in sources)]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, env=child_env(), timeout=300,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unavailable(f"compileall failed for {python}: {exc}") from exc
    if done.returncode != 0:
        lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        raise Unavailable(f"compileall failed for {python}: {lines[-1] if lines else 'no output'}")
