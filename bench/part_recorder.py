"""Part 1: recorder overhead and memory, ours against the Rust recorder, untraced runs and no-op
hooks, on every workload; one workload at growing lengths to see whether memory stays flat; the
cost per recorded event against the no-op floor; a sampled profile; content parity.
"""

from __future__ import annotations

import shutil

from bench import bytecode, marginal, parity_check, profile_report, variants
from bench.context import Context, PartResult
from bench.errors import Unavailable
from bench.recorder_report import Extras, MemoryRow, WorkloadResult, render, verdicts
from bench.runner import Command, Outcome, RunResult, alternate
from bench.traces import trace_facts
from bench.variants import Missing
from bench.workloads import MEMORY_FACTORS, MEMORY_WORKLOAD, WORKLOADS, by_name

#: The interpreters whose measured runs import our source tree.
MEASURED_SERIES: tuple[str, ...] = ("3.11", "3.12", "3.13")


def _inspect(cmd: Command, result: RunResult) -> dict[str, float]:
    if cmd.scratch is None:
        return {}
    return trace_facts(cmd.scratch)


def _measure(ctx: Context, planned: list[Command | Missing], reps: int) -> dict[str, Outcome]:
    commands = [p for p in planned if isinstance(p, Command)]
    outcomes = alternate(commands, reps, ctx.scratch("out"), _inspect, ctx.progress)
    for p in planned:
        if isinstance(p, Missing):
            outcomes[p.label] = Outcome(Command(p.label, ()), error=p.reason)
    # Traces are only measured once; do not leave hundreds of megabytes behind.
    for cmd in commands:
        if cmd.scratch is not None:
            shutil.rmtree(cmd.scratch, ignore_errors=True)
    return outcomes


def _compile(ctx: Context) -> None:
    """Bytecode of the source tree for every measured interpreter, before any measured run.

    A missing interpreter is left to its variants (they report it); a failed compilation is not
    fatal either: its runs would then compile, which the report could not hide, so say so.
    """
    for series in MEASURED_SERIES:
        try:
            python = ctx.python(series)
        except Unavailable:
            continue
        ctx.progress(f"compiling the source tree for {series}")
        try:
            bytecode.compile_tree(python)
        except Unavailable as exc:
            ctx.progress(f"WARNING: {exc}; its measured runs compile from source")


def run(ctx: Context) -> PartResult:
    """Run part 1 and return its Markdown section."""
    _compile(ctx)
    reps = ctx.reps(full=5, quick=2)
    results: list[WorkloadResult] = []
    for workload in WORKLOADS:
        scale = workload.scale(ctx.quick)
        ctx.progress(f"workload {workload.name} (scale {scale}, {reps} reps)")
        planned = variants.build(
            ctx, variants.ALL, workload.script, [str(scale)], tag=workload.name
        )
        results.append(WorkloadResult(workload, scale, _measure(ctx, planned, reps)))
    memory = _memory_series(ctx)
    marginal_reps = reps  # the same repetitions as the timing tables
    extras = Extras(
        marginal=marginal.measure(ctx, marginal_reps),
        marginal_reps=marginal_reps,
        profiles=profile_report.measure(ctx),
        parity=parity_check.measure(ctx),
    )
    text = render(results, memory, reps, ctx.reps(full=2, quick=1), extras)
    return PartResult(text, verdicts(results, memory) + extras.verdicts())


def _memory_series(ctx: Context) -> list[MemoryRow]:
    workload = by_name(MEMORY_WORKLOAD)
    reps = ctx.reps(full=2, quick=1)
    labels = (variants.UNTRACED_312, *variants.RECORDERS)
    rows: list[MemoryRow] = []
    for factor in MEMORY_FACTORS:
        scale = workload.short_scale(ctx.quick) * factor
        ctx.progress(f"memory series: {workload.name} x{factor} (scale {scale})")
        planned = variants.build(ctx, labels, workload.script, [str(scale)], tag=f"mem{factor}")
        rows.append(MemoryRow(factor, scale, _measure(ctx, planned, reps)))
    return rows
