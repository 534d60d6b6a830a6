"""Markdown for part 1 (recorder overhead and memory), computed from the measured outcomes only.

Verdicts against the issue's targets (no slower than the Rust recorder at equal content; peak
memory flat and well under 100 MiB) are derived from the same numbers, so the report says plainly
where a target is missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bench import table
from bench.runner import Outcome
from bench.stats import Ratio, ratio, summarize
from bench.variants import (
    ALL,
    BASELINE,
    FLOOR_312,
    OURS_311,
    OURS_312,
    RECORDERS,
    RUST_312,
    RUST_EQ,
    UNTRACED_312,
)
from bench.workloads import MEMORY_WORKLOAD, Workload

MEMORY_LIMIT_MIB = 100.0


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


def _ok(outcomes: dict[str, Outcome], label: str) -> Outcome | None:
    found = outcomes.get(label)
    if found is None or found.error is not None or not found.runs:
        return None
    return found


def wall_ratio(outcomes: dict[str, Outcome], a: str, b: str) -> Ratio | None:
    """Wall-time ratio of variant ``a`` to ``b`` (paired over the repetitions)."""
    oa, ob = _ok(outcomes, a), _ok(outcomes, b)
    if oa is None or ob is None:
        return None
    return ratio(oa.walls, ob.walls)


def rss_mib(outcome: Outcome) -> float:
    """Median peak RSS of ``outcome`` in MiB."""
    return summarize(outcome.rss_kib).median / 1024


def _cell_wall(outcomes: dict[str, Outcome], label: str) -> str:
    found = outcomes.get(label)
    if found is None:
        return "-"
    if found.error is not None:
        return f"unavailable: {found.error}"
    return table.timing(summarize(found.walls))


def _detail_rows(outcomes: dict[str, Outcome]) -> list[list[str]]:
    rows: list[list[str]] = []
    for label in ALL:
        found = outcomes.get(label)
        if found is None:
            continue
        if found.error is not None or not found.runs:
            rows.append([label, f"unavailable: {found.error}"] + ["-"] * 8)
            continue
        med = summarize(found.walls).median
        events = found.facts.get("events")
        rows.append(
            [
                label,
                table.timing(summarize(found.walls)),
                table.times(wall_ratio(outcomes, label, BASELINE[label])),
                table.times(wall_ratio(outcomes, label, RUST_EQ)),
                table.times(wall_ratio(outcomes, label, RUST_312)),
                f"{rss_mib(found):.1f} MiB",
                table.size(found.facts["bytes"]) if "bytes" in found.facts else "-",
                table.count(events) if events is not None else "-",
                table.count(found.facts["steps"]) if "steps" in found.facts else "-",
                table.per_second(events / med if events is not None else None, "events"),
            ]
        )
    return rows


_DETAIL_HEADERS = (
    "variant",
    "wall, median (min-max)",
    "x untraced (same Python)",
    "x Rust (same content)",
    "x Rust (default)",
    "peak RSS",
    "trace size",
    "events",
    "steps",
    "events/s",
)


def _summary(results: Sequence[WorkloadResult]) -> str:
    headers = (
        "workload",
        "untraced 3.12",
        "no-op floor 3.12",
        "ours 3.12",
        "Rust 3.12, same content",
        "ours 3.12 / Rust, same content",
        "ours 3.12 / Rust, default",
        "ours 3.11 / Rust, same content",
        "ours 3.12 x untraced",
        "peak RSS ours 3.12 / Rust, same content",
        "events ours / Rust, same content",
    )
    rows: list[list[str]] = []
    for res in results:
        o = res.outcomes
        ours, rust = _ok(o, OURS_312), _ok(o, RUST_EQ)
        rss = f"{rss_mib(ours):.0f} / {rss_mib(rust):.0f} MiB" if ours and rust else "-"
        rows.append(
            [
                res.workload.name,
                _cell_wall(o, UNTRACED_312),
                _cell_wall(o, FLOOR_312),
                _cell_wall(o, OURS_312),
                _cell_wall(o, RUST_EQ),
                table.times(wall_ratio(o, OURS_312, RUST_EQ)),
                table.times(wall_ratio(o, OURS_312, RUST_312)),
                table.times(wall_ratio(o, OURS_311, RUST_EQ)),
                table.times(wall_ratio(o, OURS_312, UNTRACED_312)),
                rss,
                _events_ratio(ours, rust),
            ]
        )
    return table.render(headers, rows, right=range(1, len(headers)))


def _events_ratio(ours: Outcome | None, rust: Outcome | None) -> str:
    if ours is None or rust is None:
        return "-"
    a, b = ours.facts.get("events"), rust.facts.get("events")
    return f"{a / b:.2f}" if a and b else "-"


def _content(results: Sequence[WorkloadResult]) -> str:
    """Recorded content side by side: if steps differ, the recorders did not record the same."""
    headers = ("workload", "recorder", "steps", "events", "events per step", "bytes per event")
    rows: list[list[str]] = []
    for res in results:
        for label in RECORDERS:
            found = _ok(res.outcomes, label)
            if found is None or not found.facts.get("events"):
                continue
            f = found.facts
            rows.append(
                [
                    res.workload.name,
                    label,
                    table.count(f["steps"]),
                    table.count(f["events"]),
                    f"{f['events'] / f['steps']:.2f}" if f["steps"] else "-",
                    f"{f['bytes'] / f['events']:.0f}",
                ]
            )
    return table.render(headers, rows, right=(2, 3, 4, 5))


def verdicts(results: Sequence[WorkloadResult], memory: Sequence[MemoryRow]) -> list[str]:
    """Ours (3.12) against the Rust recorder at equal content, then memory flatness."""
    lines: list[str] = []
    slower: list[str] = []
    par: list[str] = []
    for res in results:
        r = wall_ratio(res.outcomes, OURS_312, RUST_EQ)
        if r is None:
            lines.append(
                f"- {res.workload.name}: no comparison with the Rust recorder "
                "(a side is unavailable)."
            )
        elif r.low > 1.0:
            slower.append(f"{res.workload.name} ({table.times(r)})")
        elif r.value > 1.0:
            par.append(f"{res.workload.name} ({table.times(r)})")
    what = "ours (3.12, sys.monitoring) against the Rust recorder at equal recorded content"
    if slower:
        lines.append(f"- **Not there yet:** {what} is slower on {', '.join(slower)}.")
    if par:
        lines.append(
            f"- {what[0].upper()}{what[1:]}: on par within noise on {', '.join(par)} "
            "(slower by the median, faster in at least one paired run)."
        )
    if results and not slower and not par:
        lines.append(f"- {what[0].upper()}{what[1:]}: no slower on any workload measured.")
    lines.extend(_memory_verdicts(memory))
    return lines


def _memory_verdicts(memory: Sequence[MemoryRow]) -> list[str]:
    if len(memory) < 2:
        return []
    lines: list[str] = []
    first, last = memory[0], memory[-1]
    for label in RECORDERS:
        a, b = _ok(first.outcomes, label), _ok(last.outcomes, label)
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


def _memory_table(memory: Sequence[MemoryRow]) -> str:
    headers = ["variant"] + [f"x{m.factor} (scale {m.scale})" for m in memory]
    rows: list[list[str]] = []
    for label in (UNTRACED_312, *RECORDERS):
        row = [label]
        for m in memory:
            found = m.outcomes.get(label)
            if found is None:
                row.append("-")
            elif found.error is not None or not found.runs:
                row.append(f"unavailable: {found.error}")
            else:
                size = (
                    f", trace {table.size(found.facts['bytes'])}" if "bytes" in found.facts else ""
                )
                row.append(f"{rss_mib(found):.1f} MiB{size}")
        rows.append(row)
    return table.render(headers, rows, right=range(1, len(headers)))


def render(
    results: Sequence[WorkloadResult], memory: Sequence[MemoryRow], reps: int, mem_reps: int
) -> str:
    """The whole part-1 section."""
    out = ["## 1. Recorder overhead and memory\n\n"]
    out.append(
        f"Each workload ran {reps} times per variant, the variants alternating within each "
        "repetition. Wall time is the whole command (interpreter start, recorder start, the "
        "script, writing and closing the trace), as a user sees it. Ratios are ratios of "
        "medians; the range in parentheses is that of the per-repetition (paired) ratios.\n\n"
    )
    out.append("### Summary\n\n")
    out.append(_summary(results))
    out.append("\n### Against the targets\n\n")
    out.extend(line + "\n" for line in verdicts(results, memory))
    for res in results:
        w = res.workload
        out.append(f"\n### Workload `{w.name}` (scale {res.scale}): {w.stresses}\n\n")
        out.append(table.render(_DETAIL_HEADERS, _detail_rows(res.outcomes), right=range(1, 10)))
    out.append("\n### Recorded content side by side\n\n")
    out.append(
        "Both recorders skip the standard library and installed packages by default and the "
        "workloads import nothing else, so the same code is traced; equal step counts confirm "
        "it. By default the Rust recorder also records every global and the module's dunder "
        "variables at every step, which ours does not; the *same content* variant runs it with "
        "the trace filter `bench/rust_same_content.toml`, which drops exactly those, so both "
        "write the same events (compare the event counts below). Values can still differ in "
        "size: ours applies length and depth limits (the `biglist` workload's 5,000-element "
        "list is truncated), the Rust recorder writes every element; bytes per event shows it. "
        "The targets are judged against the same-content variant.\n\n"
    )
    out.append(_content(results))
    out.append(f"\n### Memory as the trace grows (workload `{MEMORY_WORKLOAD}`)\n\n")
    out.append(
        f"The same workload at growing lengths, {mem_reps} run(s) per variant and length; "
        "median peak RSS of the whole process (and the trace size).\n\n"
    )
    out.append(_memory_table(memory))
    return "".join(out)
