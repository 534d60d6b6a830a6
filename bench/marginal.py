"""Per-event cost against the no-op floor, with interpreter and recorder start-up removed.

Each workload runs untraced, under no-op monitoring callbacks (the floor) and under our recorder,
at its scale S and at 4S, the six commands alternating within every repetition. The marginal time
of a variant, ``d = t(4S) - t(S)``, holds no start-up (interpreter, recorder, trace finishing are
the same at both scales), so

* ours per recorded event = ``(d(ours) - d(untraced)) / (events(4S) - events(S))``,
* the floor per event     = ``(d(noop) - d(untraced)) / (events(4S) - events(S))``,

both over the events our recorder wrote, and their ratio is what a recorder costs per event over
what merely receiving the events costs. A third variant, the *bare* recorder
(:mod:`bench.helpers.bare_monitoring`: frames and variables read, one text kept per event, no
value encoded, nothing written), runs beside them: what the plainest recorder written in Python
costs, whatever it does with the values, against which the per-event targets are read. Times are the
child's own CPU time (user + system), so waiting for a core on a shared machine is not counted.
Every figure is computed per repetition (the runs of one repetition alternated with each other)
and reported as the median with the min-max of those paired values.
"""

from __future__ import annotations

import dataclasses
import shutil
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from bench import table, variants
from bench.context import Context
from bench.runner import Command, Outcome, alternate
from bench.stats import Summary
from bench.traces import trace_facts
from bench.workloads import MARGINAL_FACTOR, MARGINAL_WORKLOADS, by_name

#: The issue's bound on ours / floor per event; None: reported without a target.
TARGETS: dict[str, float | None] = {"calls": 4.0, "lines": 4.0, "values": 8.0, "gen_exc": None}
SERIES: tuple[str, ...] = ("3.12", "3.13")
_KINDS = {
    "3.12": (variants.UNTRACED_312, variants.FLOOR_312, variants.OURS_312, variants.BARE_312),
    "3.13": (variants.UNTRACED_313, variants.FLOOR_313, variants.OURS_313, variants.BARE_313),
}


def differences(small: Sequence[float], big: Sequence[float]) -> list[float]:
    """``big[r] - small[r]`` for each repetition ``r`` both sides have."""
    return [b - s for s, b in zip(small, big, strict=False)]


def per_event_ns(
    variant: Sequence[float], untraced: Sequence[float], extra_events: float
) -> list[float]:
    """Per repetition, what ``variant`` adds to the untraced marginal time, in ns per event."""
    if extra_events <= 0:
        return []
    return [(v - u) / extra_events * 1e9 for v, u in zip(variant, untraced, strict=False)]


def paired_ratios(a: Sequence[float], b: Sequence[float]) -> list[float]:
    """``a[r] / b[r]`` where ``b[r]`` is positive (a floor lost in noise has no ratio)."""
    return [x / y for x, y in zip(a, b, strict=False) if y > 0]


def summary(values: Sequence[float]) -> Summary | None:
    """Median and range of ``values``, None when there are none."""
    if not values:
        return None
    return Summary(statistics.median(values), min(values), max(values), len(values))


@dataclass(frozen=True)
class MarginalRow:
    """One workload on one interpreter: scales, extra events and the per-event figures."""

    workload: str
    series: str
    scale: int
    events: tuple[float, float] | None = None
    ours_ns: Summary | None = None
    floor_ns: Summary | None = None
    ratio: Summary | None = None
    error: str | None = None
    #: The bare Python recorder per event, and its ratio to the floor (None: not measured).
    bare_ns: Summary | None = None
    bare_ratio: Summary | None = None


def compute(
    workload: str, series: str, scale: int, small: dict[str, Outcome], big: dict[str, Outcome]
) -> MarginalRow:
    """The row of ``workload`` from the outcomes at S (``small``) and 4S (``big``)."""
    untraced, floor, ours, bare = _KINDS[series]
    for label in (untraced, floor, ours):
        for side in (small, big):
            found = side[label]
            if found.error is not None or not found.runs:
                return MarginalRow(workload, series, scale, error=f"{label}: {found.error}")
    e_small, e_big = small[ours].facts.get("events", 0.0), big[ours].facts.get("events", 0.0)
    labels = [untraced, floor, ours]
    if all(bare in side and side[bare].error is None and side[bare].runs for side in (small, big)):
        labels.append(bare)  # optional: a row stands without it
    d = {label: differences(small[label].cpus, big[label].cpus) for label in labels}
    ours_ns = per_event_ns(d[ours], d[untraced], e_big - e_small)
    floor_ns = per_event_ns(d[floor], d[untraced], e_big - e_small)
    bare_ns = per_event_ns(d[bare], d[untraced], e_big - e_small) if bare in d else []
    return MarginalRow(
        workload,
        series,
        scale,
        (e_small, e_big),
        summary(ours_ns),
        summary(floor_ns),
        summary(paired_ratios(ours_ns, floor_ns)),
        bare_ns=summary(bare_ns),
        bare_ratio=summary(paired_ratios(bare_ns, floor_ns)),
    )


def _label(label: str, factor: int) -> str:
    return f"{label} @{factor}S"


def measure(ctx: Context, reps: int) -> list[MarginalRow]:
    """Run every workload of the table on each interpreter of :data:`SERIES`."""
    rows: list[MarginalRow] = []
    for name in MARGINAL_WORKLOADS:
        workload = by_name(name)
        scale = workload.scale(ctx.quick)
        for series in SERIES:
            labels = _KINDS[series]
            commands: list[Command] = []
            missing: list[str] = []
            for factor in (1, MARGINAL_FACTOR):
                args = [str(scale * factor)]
                tag = f"marginal-{name}-x{factor}"
                for planned in variants.build(ctx, labels, workload.script, args, tag):
                    if isinstance(planned, Command):
                        commands.append(
                            dataclasses.replace(planned, label=_label(planned.label, factor))
                        )
                    else:
                        missing.append(f"{planned.label}: {planned.reason}")
            if missing:
                rows.append(MarginalRow(name, series, scale, error=missing[0]))
                continue
            ctx.progress(f"per-event cost: {name} on {series} (S={scale} and "
                         f"{MARGINAL_FACTOR}S, {reps} reps)")
            outcomes = alternate(commands, reps, ctx.scratch("out"), _inspect, ctx.progress)
            for cmd in commands:
                if cmd.scratch is not None:
                    shutil.rmtree(cmd.scratch, ignore_errors=True)
            small = {label: outcomes[_label(label, 1)] for label in labels}
            big = {label: outcomes[_label(label, MARGINAL_FACTOR)] for label in labels}
            rows.append(compute(name, series, scale, small, big))
    return rows


def _inspect(cmd: Command, _result: object) -> dict[str, float]:
    return trace_facts(cmd.scratch) if cmd.scratch is not None else {}


def _ns(s: Summary | None) -> str:
    if s is None:
        return "-"
    if s.count == 1 or s.low == s.high:
        return f"{s.median:.0f} ns"
    return f"{s.median:.0f} ns ({s.low:.0f}-{s.high:.0f})"


def _x(s: Summary | None) -> str:
    if s is None:
        return "-"
    return f"{s.median:.1f}x" + ("" if s.count == 1 else f" ({s.low:.1f}-{s.high:.1f})")


def verdict(row: MarginalRow) -> str:
    """``met`` / ``**not met**`` against the workload's target, or why there is none."""
    target = TARGETS.get(row.workload)
    if row.ratio is None:
        return "not measured" if row.ours_ns is None else "floor lost in the noise"
    if target is None:
        return "reported (no target)"
    return "met" if row.ratio.median <= target else "**not met**"


def render(rows: Sequence[MarginalRow], reps: int) -> str:
    """The per-event table with its explanation."""
    headers = ("workload", "Python", "S -> 4S", "events recorded at S -> 4S",
               "ours per event", "floor per event", "ours / floor per event",
               "bare Python recorder per event", "bare / floor per event", "target", "verdict")
    body: list[list[str]] = []
    for row in rows:
        target = TARGETS.get(row.workload)
        head = [row.workload, row.series, f"{row.scale} -> {row.scale * MARGINAL_FACTOR}"]
        if row.error is not None or row.events is None:
            body.append([*head, f"unavailable: {row.error}", "-", "-", "-", "-", "-", "-", "-"])
            continue
        body.append([*head, f"{table.count(row.events[0])} -> {table.count(row.events[1])}",
                     _ns(row.ours_ns), _ns(row.floor_ns), _x(row.ratio), _ns(row.bare_ns),
                     _x(row.bare_ratio), f"<= {target:g}x" if target is not None else "-",
                     verdict(row)])
    intro = (
        f"Untraced, no-op `sys.monitoring` callbacks (the floor), ours and the bare Python "
        f"recorder at scale S and {MARGINAL_FACTOR}S, the eight runs alternating, {reps} "
        "repetitions; marginal CPU time "
        f"d = t({MARGINAL_FACTOR}S) - t(S) of each (start-up cancels out). Ours per event is "
        "(d(ours) - d(untraced)) / (events(4S) - events(S)), the floor per event "
        "(d(no-op) - d(untraced)) over the same events; medians of the per-repetition values "
        "with their min-max. A floor that vanishes in the noise of one repetition leaves that "
        "repetition out of the ratio. The bare recorder (`bench/helpers/bare_monitoring.py`) "
        "reads each frame's variables and keeps one text per event, made from object ids: no "
        "value encoded, nothing written, no stack, no error handling: the work every recorder "
        "of these events does in Python (find the frame, read its variables, make the events' "
        "text) and nothing more. Bare / floor is thus what a recorder written in Python costs "
        "before it records anything well.\n\n"
    )
    return intro + table.render(headers, body, right=range(2, 9))


def verdicts(rows: Sequence[MarginalRow]) -> list[str]:
    """One line per workload and interpreter for the target lists."""
    lines: list[str] = []
    for row in rows:
        target = TARGETS.get(row.workload)
        bound = f"target <= {target:g}x" if target is not None else "no target"
        if row.ratio is None:
            why = f" ({row.error})" if row.error else f"; ours {_ns(row.ours_ns)} per event"
            lines.append(f"- Per event, ours / floor ({row.workload}, {row.series}): "
                         f"{verdict(row)}{why}.")
            continue
        bare = "" if row.bare_ratio is None else (
            f"; the bare Python recorder: {_x(row.bare_ratio)}, {_ns(row.bare_ns)}")
        lines.append(f"- Per event, ours / floor ({row.workload}, {row.series}): {_x(row.ratio)} "
                     f"({_ns(row.ours_ns)} over {_ns(row.floor_ns)}; {bound}{bare}) - "
                     f"{verdict(row)}.")
    return lines
