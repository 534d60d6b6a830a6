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
    """One script with its scales and what it stresses.

    ``full`` and ``quick`` are part 1's scales; ``short`` is the full-mode scale of the other
    parts that run a workload (seams, filters, threads), whose budgets were set for it.
    """

    name: str
    stresses: str
    full: int
    quick: int
    short: int

    @property
    def script(self) -> Path:
        return HERE / f"{self.name}.py"

    def scale(self, quick: bool) -> int:
        return self.quick if quick else self.full

    def short_scale(self, quick: bool) -> int:
        return self.quick if quick else self.short


# Part 1's full scales make runs of one to several seconds, so that interpreter and recorder
# start-up are a small share of the recorder-to-recorder ratios; biglist stays short because the
# Rust recorder writes the whole list at every step (seconds already).
WORKLOADS: tuple[Workload, ...] = (
    Workload("calls", "calls and returns (naive recursion)", full=16, quick=2, short=4),
    Workload("lines", "line events (tight loops, small int locals)", full=20, quick=2, short=5),
    Workload(
        "values",
        "value encoding (strings, dicts, lists, objects)",
        full=8000,
        quick=800,
        short=2000,
    ),
    Workload(
        "gen_exc",
        "generators (yield/resume) and exceptions (raise/unwind)",
        full=120,
        quick=12,
        short=30,
    ),
    Workload(
        "biglist", "a 5,000-element list visible at every step", full=120, quick=50, short=120
    ),
)

# The workload run at growing lengths to check that peak memory stays flat, from its short scale
# (x4 of the full scale would make the Rust recorder's default run hold gigabytes).
MEMORY_WORKLOAD = "lines"
MEMORY_FACTORS: tuple[int, ...] = (1, 2, 4)

# The workloads of the per-event table (scale S against 4S), and the factor.
MARGINAL_WORKLOADS: tuple[str, ...] = ("calls", "lines", "values", "gen_exc")
MARGINAL_FACTOR = 4


def by_name(name: str) -> Workload:
    """The workload called ``name``."""
    for workload in WORKLOADS:
        if workload.name == name:
            return workload
    raise BenchError(f"no workload called {name!r}")
