"""Part 6: recording threads, and what thread support costs a single-threaded program.

Two comparisons, each run alternating its variants within every repetition:

1. the ``threads`` workload (4 threads, each running the ``calls`` workload) against the same
   work in the main thread alone, untraced and under our recorder (``sys.monitoring`` on 3.12,
   ``sys.settrace`` on 3.11), and under the Rust recorder 0.3.0 with a time limit (it is reported
   as "did not finish in N s" when it hangs). The figure of merit is the recorder's cost per
   recorded event (wall time minus the untraced run's, divided by the trace's events) with 4
   threads over the same cost single-threaded: the target is at most 1.3x.
2. the ``calls`` workload single-threaded under our recorder as it is now and as it was at
   :data:`BEFORE_THREADS` (the commit before thread support, extracted with ``git archive``):
   the paired ratio must lie within the run's own noise band (the min-max of the paired ratios
   includes 1, or the difference is below :data:`NOISE`).
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from bench import bytecode, envs, table, variants
from bench.context import Context, PartResult
from bench.errors import Unavailable
from bench.runner import Command, Outcome, alternate
from bench.stats import Ratio, ratio, summarize
from bench.traces import trace_facts
from bench.workloads import HERE, by_name

#: The last commit without thread support: the baseline of the single-thread comparison.
BEFORE_THREADS = "cec3b67"
SCRIPT = HERE / "threads.py"
THREADS = 4
TARGET = 1.3  # the bound on the cost per event with 4 threads over single-threaded
NOISE = 0.03
RUST_TIMEOUT = 120.0  # the Rust recorder hangs with 4 threads: give up after this long


def _ours(ctx: Context, series: str, label: str, args: list[str], tag: str,
          pythonpath: Path | None = None) -> Command:
    python = ctx.python(series)
    backend = "monitoring" if series == "3.12" else "settrace"
    trace = ctx.scratch("traces") / f"threads-{tag}"
    argv = (str(python), "-m", "recorder", "--backend", backend, "--trace-dir", str(trace))
    env = envs.repo_env() if pythonpath is None else {"PYTHONPATH": str(pythonpath)}
    return Command(label, (*argv, "--", *args), env=env, cwd=ctx.scratch("cwd"), scratch=trace)


def _untraced(ctx: Context, series: str, label: str, args: list[str]) -> Command:
    return Command(label, (str(ctx.python(series)), *args), cwd=ctx.scratch("cwd"))


def _inspect(cmd: Command, _result: object) -> dict[str, float]:
    return trace_facts(cmd.scratch) if cmd.scratch is not None else {}


def _threads_commands(ctx: Context, series: str, scale: int) -> list[Command]:
    four = [str(SCRIPT), str(scale), str(THREADS)]
    one = [str(SCRIPT), str(scale), "0"]
    commands = [
        _untraced(ctx, series, f"untraced {series}, {THREADS} threads", four),
        _untraced(ctx, series, f"untraced {series}, 1 thread", one),
        _ours(ctx, series, f"ours {series}, {THREADS} threads", four, f"{series}-four"),
        _ours(ctx, series, f"ours {series}, 1 thread", one, f"{series}-one"),
    ]
    if series == "3.12":
        rust = variants.build(ctx, (variants.RUST_312,), SCRIPT, [str(scale), str(THREADS)],
                              tag="threads")
        for planned in rust:
            if isinstance(planned, Command):
                commands.append(dataclasses.replace(
                    planned, label=f"Rust recorder 0.3.0 3.12, {THREADS} threads",
                    timeout=RUST_TIMEOUT))
    return commands


def _cost_per_event(traced: Outcome, untraced: Outcome) -> float | None:
    events = traced.facts.get("events", 0.0)
    if not traced.runs or not untraced.runs or not events:
        return None
    extra = summarize(traced.walls).median - summarize(untraced.walls).median
    return extra / events


def _threads_section(ctx: Context) -> tuple[str, list[str]]:
    reps = ctx.reps(full=5, quick=2)
    scale = by_name("calls").short_scale(ctx.quick)
    rows: list[list[str]] = []
    verdicts: list[str] = []
    for series in ("3.12", "3.11"):
        try:
            commands = _threads_commands(ctx, series, scale)
        except Unavailable as exc:
            rows.append([f"Python {series}", f"unavailable: {exc}", "-", "-", "-"])
            continue
        ctx.progress(f"threads workload on {series} (scale {scale}, {reps} reps)")
        outcomes = alternate(commands, reps, ctx.scratch("out"), _inspect, ctx.progress)
        for cmd in commands:
            if cmd.scratch is not None:
                shutil.rmtree(cmd.scratch, ignore_errors=True)
        labels = [c.label for c in commands]
        base = {lab: outcomes[labels[0] if "threads" in lab else labels[1]] for lab in labels}
        for label in labels:
            found = outcomes[label]
            if found.error is not None or not found.runs:
                reason = found.error or "no run"
                if "timed out" in reason:
                    reason = f"did not finish in {RUST_TIMEOUT:g} s"
                rows.append([label, reason, "-", "-", "-"])
                continue
            r = ratio(found.walls, base[label].walls)
            cost = _cost_per_event(found, base[label]) if found.facts else None
            rows.append([label, table.timing(summarize(found.walls)), table.times(r),
                         table.count(found.facts["events"]) if found.facts else "-",
                         f"{cost * 1e9:.0f} ns" if cost is not None else "-"])
        four = _cost_per_event(outcomes[labels[2]], outcomes[labels[0]])
        one = _cost_per_event(outcomes[labels[3]], outcomes[labels[1]])
        if four is None or one is None:
            verdicts.append(f"- Threads ({series}): not measured.")
            continue
        met = "met" if four / one <= TARGET else "**not met**"
        verdicts.append(f"- Threads ({series}): cost per recorded event with {THREADS} threads "
                        f"{four / one:.2f}x the single-threaded cost (target <= {TARGET}x) - "
                        f"{met}.")
    body = table.render(("variant", "wall, median (min-max)", "x untraced", "events",
                         "recorder cost per event"), rows, right=(1, 2, 3, 4))
    intro = (f"Workload `threads` ({THREADS} threads of `calls` at scale {scale}) against the "
             f"same work in the main thread alone; {reps} runs per variant, alternating.\n\n")
    return intro + body + "\n" + "".join(v + "\n" for v in verdicts), verdicts


def _single_section(ctx: Context) -> tuple[str, list[str]]:
    reps = ctx.reps(full=8, quick=4)
    workload = by_name("calls")
    args = [str(workload.script), str(workload.short_scale(ctx.quick))]
    rows: list[list[str]] = []
    verdicts: list[str] = []
    for series in ("3.12", "3.11"):
        try:
            before = envs.recorder_at(BEFORE_THREADS, ctx.scratch("before-threads"))
            # As for the current tree: no measured run compiles the recorder, whatever the
            # caller's PYTHONDONTWRITEBYTECODE (a run that compiles costs about 25 ms more).
            bytecode.compile_tree(ctx.python(series), (before / "recorder",))
            now = _ours(ctx, series, f"ours {series} now", args, f"{series}-now")
            old = _ours(ctx, series, f"ours {series} at {BEFORE_THREADS}", args,
                        f"{series}-before", pythonpath=before)
        except Unavailable as exc:
            rows.append([f"Python {series}", f"unavailable: {exc}", "-", "-"])
            continue
        ctx.progress(f"single-thread cost of thread support on {series}, {reps} reps")
        outcomes = alternate([now, old], reps, ctx.scratch("out"), None, ctx.progress)
        r = ratio(outcomes[now.label].walls, outcomes[old.label].walls)
        for cmd in (now, old):
            found = outcomes[cmd.label]
            if found.error is not None or not found.runs:
                rows.append([cmd.label, f"unavailable: {found.error}", "-", "-"])
                continue
            rows.append([cmd.label, table.timing(summarize(found.walls)),
                         table.times(r) if cmd is now else "1.00x",
                         table.percent(r) if cmd is now else "-"])
        verdicts.append(_single_verdict(series, r))
    body = table.render(("variant", "wall, median (min-max)", f"x at {BEFORE_THREADS}",
                         "difference"), rows, right=(1, 2, 3))
    intro = (f"Workload `calls` single-threaded, our recorder now against the commit before "
             f"thread support ({BEFORE_THREADS}); {reps} runs per variant, alternating.\n\n")
    return intro + body + "\n" + "".join(v + "\n" for v in verdicts), verdicts


def _single_verdict(series: str, r: Ratio | None) -> str:
    if r is None:
        return f"- Single-thread cost of thread support ({series}): not measured."
    if r.low > 1.0 and r.value > 1.0 + NOISE:
        return (f"- Single-thread cost of thread support ({series}): {table.percent(r)}, slower "
                "in every pair: **a measurable cost**.")
    return (f"- Single-thread cost of thread support ({series}): {table.percent(r)} (paired "
            f"range {r.low:.3f}-{r.high:.3f}): within the run's noise - met.")


def run(ctx: Context) -> PartResult:
    """Run part 6 and return its Markdown section."""
    threads_text, threads_verdicts = _threads_section(ctx)
    single_text, single_verdicts = _single_section(ctx)
    text = ("## 8. Threads\n\n### Four threads against one\n\n" + threads_text
            + "\n### What thread support costs a single-threaded program\n\n" + single_text)
    return PartResult(text, threads_verdicts + single_verdicts)
