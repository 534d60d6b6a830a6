"""Part 1: recorder overhead and memory, ours against the Rust recorder, untraced runs and no-op
hooks, on every workload; then one workload at growing lengths to see whether memory stays flat.
"""

from __future__ import annotations

import shutil

from bench import variants
from bench.context import Context, PartResult
from bench.recorder_report import MemoryRow, WorkloadResult, render, verdicts
from bench.runner import Command, Outcome, RunResult, alternate
from bench.traces import trace_facts
from bench.variants import Missing
from bench.workloads import MEMORY_FACTORS, MEMORY_WORKLOAD, WORKLOADS, by_name


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


def run(ctx: Context) -> PartResult:
    """Run part 1 and return its Markdown section."""
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
    text = render(results, memory, reps, ctx.reps(full=2, quick=1))
    return PartResult(text, verdicts(results, memory))


def _memory_series(ctx: Context) -> list[MemoryRow]:
    workload = by_name(MEMORY_WORKLOAD)
    reps = ctx.reps(full=2, quick=1)
    labels = (variants.UNTRACED_312, *variants.RECORDERS)
    rows: list[MemoryRow] = []
    for factor in MEMORY_FACTORS:
        scale = workload.scale(ctx.quick) * factor
        ctx.progress(f"memory series: {workload.name} x{factor} (scale {scale})")
        planned = variants.build(ctx, labels, workload.script, [str(scale)], tag=f"mem{factor}")
        rows.append(MemoryRow(factor, scale, _measure(ctx, planned, reps)))
    return rows
