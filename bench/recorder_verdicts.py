"""Part 1's verdicts against issue 24's targets, from the measured outcomes only.

* ours / Rust recorder at equal recorded content at most :data:`TARGET_MONITORING` on 3.12 and 3.13
  and at most :data:`TARGET_SETTRACE` on 3.11 (the Rust recorder runs on 3.12 only, so 3.11 and
  3.13 are compared across versions), on :data:`TARGET_WORKLOADS`; judged on the median of the
  paired runs, with the paired range shown;
* peak memory flat from x1 to x4 run length and under :data:`MEMORY_LIMIT_MIB`.

The per-event and content-parity verdicts come from :mod:`bench.marginal` and
:mod:`bench.parity_check`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bench import table
from bench.runner import Outcome
from bench.stats import Ratio, ratio, summarize
from bench.variants import OURS_311, OURS_312, OURS_313, RECORDERS, RUST_EQ
from bench.workloads import Workload

MEMORY_LIMIT_MIB = 100.0
TARGET_MONITORING = 0.6
TARGET_SETTRACE = 0.8
TARGET_WORKLOADS: tuple[str, ...] = ("calls", "lines", "values", "gen_exc")
#: Our variants judged against the Rust recorder, with their bound and how to name them.
JUDGED: tuple[tuple[str, float, str], ...] = (
    (OURS_312, TARGET_MONITORING, "ours 3.12 (sys.monitoring)"),
    (OURS_313, TARGET_MONITORING, "ours 3.13 (sys.monitoring)"),
    (OURS_311, TARGET_SETTRACE, "ours 3.11 (sys.settrace)"),
)


@dataclass(frozen=True)
class WorkloadResult:
    workload: Workload
    scale: int
    outcomes: dict[str, Outcome]


@dataclass(frozen=True)
class MemoryRow:
    factor: int
    scale: int
    outcomes: dict[str, Outcome]


def ok(outcomes: dict[str, Outcome], label: str) -> Outcome | None:
    """The outcome of ``label`` when it has good runs, else None."""
    found = outcomes.get(label)
    if found is None or found.error is not None or not found.runs:
        return None
    return found


def wall_ratio(outcomes: dict[str, Outcome], a: str, b: str) -> Ratio | None:
    """Wall-time ratio of variant ``a`` to ``b`` (paired over the repetitions)."""
    oa, ob = ok(outcomes, a), ok(outcomes, b)
    if oa is None or ob is None:
        return None
    return ratio(oa.walls, ob.walls)


def rss_mib(outcome: Outcome) -> float:
    """Median peak RSS of ``outcome`` in MiB."""
    return summarize(outcome.rss_kib).median / 1024


def verdicts(results: Sequence[WorkloadResult], memory: Sequence[MemoryRow]) -> list[str]:
    """One line per judged interpreter against the Rust recorder, then memory flatness."""
    lines: list[str] = []
    missing = [
        res.workload.name
        for res in results
        if res.workload.name in TARGET_WORKLOADS and ok(res.outcomes, RUST_EQ) is None
    ]
    if missing:
        lines.append(f"- {', '.join(missing)}: no comparison with the Rust recorder "
                     "(its same-content run is unavailable).")
    for label, target, name in JUDGED:
        cells: list[str] = []
        missed = 0
        for res in results:
            if res.workload.name not in TARGET_WORKLOADS:
                continue
            r = wall_ratio(res.outcomes, label, RUST_EQ)
            if r is None:
                continue
            met = r.value <= target
            missed += not met
            cells.append(f"{res.workload.name} {table.times(r)}{'' if met else ' **not met**'}")
        if not cells:
            continue
        word = "met" if not missed else f"**not met** on {missed} of {len(cells)}"
        lines.append(f"- {name[0].upper()}{name[1:]} / Rust recorder 3.12 at equal content "
                     f"(target <= {target:g}x): {'; '.join(cells)} - {word}.")
    lines.extend(memory_verdicts(memory))
    return lines


def memory_verdicts(memory: Sequence[MemoryRow]) -> list[str]:
    """Peak RSS from the shortest to the longest run of the memory series, per recorder."""
    if len(memory) < 2:
        return []
    lines: list[str] = []
    first, last = memory[0], memory[-1]
    for label in RECORDERS:
        a, b = ok(first.outcomes, label), ok(last.outcomes, label)
        if a is None or b is None:
            continue
        small, big = rss_mib(a), rss_mib(b)
        growth = big / small if small else 0.0
        flat = growth < 1.25 and big < MEMORY_LIMIT_MIB
        word = "flat" if flat else "**grows**"
        lines.append(
            f"- Peak RSS of {label} from x{first.factor} to x{last.factor} run length: "
            f"{small:.1f} -> {big:.1f} MiB ({growth:.2f}x): {word}"
            f"{'' if big < MEMORY_LIMIT_MIB else f', above the {MEMORY_LIMIT_MIB:.0f} MiB target'}."
        )
    return lines
