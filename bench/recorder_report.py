"""Markdown for part 1 (recorder overhead and memory), computed from the measured outcomes only.

The verdicts against the issue's targets (:mod:`bench.recorder_verdicts`, :mod:`bench.marginal`,
:mod:`bench.parity_check`) are derived from the same numbers, so the report says plainly where a
target is missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bench import marginal, parity_check, profile_report, table
from bench.marginal import MarginalRow
from bench.parity_check import Cell
from bench.profile_report import Profile
from bench.recorder_verdicts import (
    MemoryRow,
    WorkloadResult,
    ok,
    rss_mib,
    verdicts,
    wall_ratio,
)
from bench.runner import Outcome
from bench.stats import summarize
from bench.variants import (
    ALL,
    BASELINE,
    FLOOR_312,
    OURS_311,
    OURS_312,
    OURS_313,
    RECORDERS,
    RUST_312,
    RUST_EQ,
    UNTRACED_312,
)
from bench.workloads import MEMORY_WORKLOAD

__all__ = ["Extras", "MemoryRow", "WorkloadResult", "render", "verdicts", "wall_ratio"]


@dataclass(frozen=True)
class Extras:
    """Part 1's sections beyond the timing tables (empty when not measured)."""

    marginal: Sequence[MarginalRow] = ()
    marginal_reps: int = 0
    profiles: Sequence[Profile] = ()
    parity: Sequence[Cell] = ()

    def verdicts(self) -> list[str]:
        lines = marginal.verdicts(self.marginal)
        return lines + (parity_check.verdicts(self.parity) if self.parity else [])


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
        "ours 3.13",
        "Rust 3.12, same content",
        "ours 3.12 / Rust, same content",
        "ours 3.13 / Rust, same content",
        "ours 3.11 / Rust, same content",
        "ours 3.12 / Rust, default",
        "ours 3.12 x untraced",
        "peak RSS ours 3.12 / Rust, same content",
        "events ours / Rust, same content",
    )
    rows: list[list[str]] = []
    for res in results:
        o = res.outcomes
        ours, rust = ok(o, OURS_312), ok(o, RUST_EQ)
        rss = f"{rss_mib(ours):.0f} / {rss_mib(rust):.0f} MiB" if ours and rust else "-"
        rows.append(
            [
                f"{res.workload.name} ({res.scale})",
                _cell_wall(o, UNTRACED_312),
                _cell_wall(o, FLOOR_312),
                _cell_wall(o, OURS_312),
                _cell_wall(o, OURS_313),
                _cell_wall(o, RUST_EQ),
                table.times(wall_ratio(o, OURS_312, RUST_EQ)),
                table.times(wall_ratio(o, OURS_313, RUST_EQ)),
                table.times(wall_ratio(o, OURS_311, RUST_EQ)),
                table.times(wall_ratio(o, OURS_312, RUST_312)),
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
            found = ok(res.outcomes, label)
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


def _intro(results: Sequence[WorkloadResult], reps: int) -> str:
    scales = ", ".join(f"{r.workload.name} {r.scale}" for r in results)
    return (
        f"Workload scales (the script's argument): {scales}. Each workload ran {reps} times per "
        "variant, the variants alternating within each repetition. Wall time is the whole "
        "command (interpreter start, recorder start, the script, writing and closing the "
        "trace), as a user sees it. Ratios are ratios of medians; the range in parentheses is "
        "that of the per-repetition (paired) ratios. The Rust recorder runs on 3.12 only: ours "
        "on 3.13 and 3.11 is compared with it across versions. Before the first measured run the "
        "source tree was compiled (`compileall`) for each interpreter and no measured child "
        "inherits `PYTHONDONTWRITEBYTECODE`, so no measured run compiles our recorder, as with "
        "an installed one.\n\n"
    )


def render(
    results: Sequence[WorkloadResult],
    memory: Sequence[MemoryRow],
    reps: int,
    mem_reps: int,
    extras: Extras | None = None,
) -> str:
    """The whole part-1 section."""
    more = extras or Extras()
    out = ["## 1. Recorder overhead and memory\n\n", _intro(results, reps)]
    out.append("### Summary\n\n")
    out.append(_summary(results))
    out.append("\n### Against the targets\n\n")
    out.extend(line + "\n" for line in verdicts(results, memory) + more.verdicts())
    if more.marginal:
        out.append("\n### Per recorded event, against the no-op floor (start-up removed)\n\n")
        out.append(marginal.render(more.marginal, more.marginal_reps))
    if more.profiles:
        out.append("\n### Where the time goes (sampled, 3.12)\n\n")
        out.append(profile_report.render(more.profiles))
    if more.parity:
        out.append("\n### Content parity with the recorder before the optimisations\n\n")
        out.append(parity_check.render(more.parity))
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
        f"The same workload at growing lengths from scale {memory[0].scale if memory else '-'}, "
        f"{mem_reps} run(s) per variant and length; median peak RSS of the whole process (and "
        "the trace size).\n\n"
    )
    out.append(_memory_table(memory))
    return "".join(out)
