"""Part 3: the fault sweep's throughput, and what the fault seams cost when no plan is set.

The generic sweep (any program, and the recorder through the same engine) and the bootstrap's
overhead are measured by :mod:`bench.program_sweep_report`, the crash explorer's rate by
:mod:`bench.crash_report`.

The seams comparison runs our recorder three ways on the same workload, alternating: as shipped
(seams present, no plan), with ``seams.hit`` replaced by a no-op (seams bypassed), and with a
never-failing hook installed (what an armed plan costs). The first two should be
indistinguishable: the verdict says whether the paired ratios' range includes 1.
"""

from __future__ import annotations

from bench import crash_report, envs, program_sweep_report, sweep_report, table
from bench.context import Context, PartResult
from bench.errors import Unavailable
from bench.runner import Command, Outcome, alternate
from bench.stats import Ratio, ratio, summarize
from bench.workloads import by_name

SHIPPED = "seams present, no plan (as shipped)"
BYPASSED = "seams bypassed (seams.hit = no-op)"
HOOKED = "no-op hook installed (callbacks wrapped)"
SEAMS_WORKLOAD = "calls"
NOISE = 0.03  # differences below this are within run-to-run noise on a shared machine


def _seam_commands(ctx: Context, series: str, backend: str) -> list[Command]:
    python = str(ctx.python(series))
    workload = by_name(SEAMS_WORKLOAD)
    cwd = ctx.scratch("cwd")
    out: list[Command] = []
    for label, prefix in (
        (SHIPPED, ("-m", "recorder")),
        (BYPASSED, ("-m", "bench.helpers.seams_variant", "bypass")),
        (HOOKED, ("-m", "bench.helpers.seams_variant", "hook")),
    ):
        trace = ctx.scratch("traces") / f"seams-{backend}-{label.split()[1]}"
        argv = (
            python,
            *prefix,
            "--backend",
            backend,
            "--trace-dir",
            str(trace),
            "--",
            str(workload.script),
            str(workload.short_scale(ctx.quick)),
        )
        out.append(Command(label, argv, env=envs.repo_env(), cwd=cwd, scratch=trace))
    return out


def _seams_table(ctx: Context) -> tuple[str, list[str]]:
    reps = ctx.reps(full=8, quick=5)
    rows: list[list[str]] = []
    verdicts: list[str] = []
    for series, backend in (("3.12", "monitoring"), ("3.11", "settrace")):
        try:
            commands = _seam_commands(ctx, series, backend)
        except Unavailable as exc:
            rows.append([f"{backend} ({series})", f"unavailable: {exc}", "-", "-"])
            continue
        ctx.progress(f"seams cost: {backend} on {series}, {reps} reps")
        outcomes = alternate(commands, reps, ctx.scratch("out"), None, ctx.progress)
        base = outcomes[BYPASSED]
        for label, found in outcomes.items():
            name = f"{backend} ({series}): {label}"
            if found.error is not None or not found.runs:
                rows.append([name, f"unavailable: {found.error}", "-", "-"])
                continue
            r = ratio(found.walls, base.walls) if base.runs else None
            rows.append(
                [name, table.timing(summarize(found.walls)), table.times(r), table.percent(r)]
            )
        verdicts.append(_verdict(backend, series, outcomes))
    body = table.render(
        ("variant", "wall, median (min-max)", "x bypassed", "difference"), rows, right=(1, 2, 3)
    )
    intro = (
        f"Our recorder on workload `{SEAMS_WORKLOAD}` (the most callbacks per second), {reps} runs "
        "per variant, alternating.\n\n"
    )
    return intro + body + "\n" + "".join(v + "\n" for v in verdicts), verdicts


def _verdict(backend: str, series: str, outcomes: dict[str, Outcome]) -> str:
    shipped, bypassed = outcomes[SHIPPED], outcomes[BYPASSED]
    r = ratio(shipped.walls, bypassed.walls) if shipped.runs and bypassed.runs else None
    if r is None:
        return f"- {backend} ({series}): not measured."
    return f"- Seams, {backend} ({series}), no plan vs bypassed: {seams_verdict(r)}"


def seams_verdict(r: Ratio) -> str:
    """Whether the shipped seams cost something measurable, judged from the paired ratios.

    A cost is measurable only when the shipped recorder was slower in every pair and by more
    than the noise floor; a shipped run faster than the bypassed one is noise by construction.
    """
    if r.low > 1.0 and r.value > 1.0 + NOISE:
        return f"{table.percent(r)}, slower in every pair: **a measurable cost**."
    return (
        f"{table.percent(r)}: no measurable cost (not slower in every pair by more than "
        f"{NOISE:.0%}) - met."
    )


def run(ctx: Context) -> PartResult:
    """Run part 3 and return its Markdown section."""
    out = ["## 3. Fault sweep\n\n", "### Sweep throughput\n\n"]
    try:
        out.append(sweep_report.measure(ctx))
    except Unavailable as exc:
        out.append(f"unavailable: {exc}\n")
    out.append("\n### The generic sweep: one core and all cores\n\n")
    try:
        out.append(program_sweep_report.rates(ctx))
    except Unavailable as exc:
        out.append(f"unavailable: {exc}\n")
    out.append("\n### The same sweep through pytest -n 2\n\n")
    try:
        out.append(program_sweep_report.pytest_rates(ctx))
    except Unavailable as exc:
        out.append(f"unavailable: {exc}\n")
    out.append("\n### Crash states built and checked per second\n\n")
    try:
        out.append(crash_report.rates(ctx))
    except Unavailable as exc:
        out.append(f"unavailable: {exc}\n")
    out.append("\n### The bootstrap's overhead on a clean run\n\n")
    boot_verdicts: list[str] = []
    try:
        boot_text, boot_verdict = program_sweep_report.overhead(ctx)
        out.append(boot_text)
        boot_verdicts.append(boot_verdict)
    except Unavailable as exc:
        out.append(f"unavailable: {exc}\n")
    out.append("\n### Cost of the fault seams when no plan is set\n\n")
    text, verdicts = _seams_table(ctx)
    out.append(text)
    return PartResult("".join(out), verdicts + boot_verdicts)
