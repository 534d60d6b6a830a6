"""The recorder workloads: small self-contained scripts, each stressing one cost of recording.

Each script takes one argument, SCALE, and its run length grows linearly with it. They import
nothing but ``sys`` (and ``collections.abc``), so every recorder traces exactly the same code
whatever its library filter is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.errors import BenchError

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Workload:
    """One script with its scale for full and quick runs and what it stresses."""

    name: str
    stresses: str
    full: int
    quick: int

    @property
    def script(self) -> Path:
        return HERE / f"{self.name}.py"

    def scale(self, quick: bool) -> int:
        return self.quick if quick else self.full


# Scales are set so that the slowest recorder takes one to two seconds per run in full mode.
WORKLOADS: tuple[Workload, ...] = (
    Workload("calls", "calls and returns (naive recursion)", full=4, quick=2),
    Workload("lines", "line events (tight loops, small int locals)", full=5, quick=2),
    Workload("values", "value encoding (strings, dicts, lists, objects)", full=2000, quick=800),
    Workload(
        "gen_exc", "generators (yield/resume) and exceptions (raise/unwind)", full=30, quick=12
    ),
    Workload("biglist", "a 5,000-element list visible at every step", full=120, quick=50),
)

# The workload run at growing lengths to check that peak memory stays flat.
MEMORY_WORKLOAD = "lines"
MEMORY_FACTORS: tuple[int, ...] = (1, 2, 4)


def by_name(name: str) -> Workload:
    """The workload called ``name``."""
    for workload in WORKLOADS:
        if workload.name == name:
            return workload
    raise BenchError(f"no workload called {name!r}")
