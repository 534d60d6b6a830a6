"""Part 6: what a large trace filter costs, ours against the Rust recorder with the same file.

The ``values`` workload (the value encoder's hot path: every step looks up every local's action)
runs three ways, alternating: ours without a filter file, ours with ``filter_heavy.toml`` (30 glob
and 10 regex selectors), and the Rust recorder 0.3.0 with the same file, all on Python 3.12 with
``sys.monitoring``. Targets (issue 18): the filter adds at most 5% to ours, and ours with the
filter is faster than the Rust recorder with it. Figures are paired ratios from one run.
"""

from __future__ import annotations

from pathlib import Path

from bench import envs, table
from bench.context import Context, PartResult
from bench.errors import Unavailable
from bench.runner import Command, Outcome, alternate
from bench.stats import Ratio, ratio, summarize
from bench.workloads import by_name

FILTER = Path(__file__).resolve().parent / "filter_heavy.toml"
WORKLOAD = "values"
OURS = "ours, no filter file"
OURS_FILTERED = "ours, filter_heavy.toml"
RUST_FILTERED = "Rust recorder 0.3.0, filter_heavy.toml"
MAX_COST = 0.05


def _commands(ctx: Context) -> list[Command]:
    python = str(ctx.python("3.12"))
    workload = by_name(WORKLOAD)
    target = (str(workload.script), str(workload.short_scale(ctx.quick)))
    cwd = ctx.scratch("cwd")
    out: list[Command] = []
    for label, extra in ((OURS, ()), (OURS_FILTERED, ("--trace-filter", str(FILTER)))):
        trace = ctx.scratch("traces") / f"filters-{'with' if extra else 'without'}"
        argv = (python, "-m", "recorder", "--backend", "monitoring", "--trace-dir", str(trace),
                *extra, "--", *target)
        out.append(Command(label, argv, env=envs.repo_env(), cwd=cwd, scratch=trace))
    rust = envs.rust_recorder_python(ctx.python("3.12"))
    trace = ctx.scratch("traces") / "filters-rust"
    out.append(Command(RUST_FILTERED, (str(rust), "-m", "codetracer_python_recorder", "--format",
                                       "json", "--trace-filter", str(FILTER), "--trace-dir",
                                       str(trace), *target), cwd=cwd, scratch=trace))
    return out


def verdicts(outcomes: dict[str, Outcome]) -> list[str]:
    """The two targets, judged from the paired ratios."""
    ours, filtered, rust = (outcomes.get(k) for k in (OURS, OURS_FILTERED, RUST_FILTERED))
    found: list[str] = []
    cost = _pair(filtered, ours)
    if cost is None:
        found.append("- Filter cost: not measured.")
    else:
        met = "met" if cost.value <= 1.0 + MAX_COST else "**missed**"
        found.append(f"- Filter cost (ours with vs without the file): {table.percent(cost)} "
                     f"(target at most +{MAX_COST:.0%}) - {met}.")
    speed = _pair(filtered, rust)
    if speed is None:
        found.append("- Against the Rust recorder with the same filter: not measured.")
    else:
        met = "met" if speed.value < 1.0 else "**missed**"
        found.append(f"- Ours with the filter vs the Rust recorder with it: {table.times(speed)} "
                     f"(target below 1x) - {met}.")
    return found


def _pair(a: Outcome | None, b: Outcome | None) -> Ratio | None:
    if a is None or b is None or not a.runs or not b.runs:
        return None
    return ratio(a.walls, b.walls)


def run(ctx: Context) -> PartResult:
    """Run part 6 and return its Markdown section."""
    reps = ctx.reps(full=7, quick=3)
    scale = by_name(WORKLOAD).short_scale(ctx.quick)
    head = (f"## 6. Trace filters\n\nWorkload `{WORKLOAD}` at scale "
            f"{scale}, Python 3.12 (`sys.monitoring`), {reps} runs "
            f"per variant, alternating; `{FILTER.name}` has 30 glob and 10 regex selectors.\n\n")
    try:
        commands = _commands(ctx)
    except Unavailable as exc:
        return PartResult(head + f"unavailable: {exc}\n", [])
    ctx.progress(f"trace filters: {WORKLOAD}, {reps} reps")
    outcomes = alternate(commands, reps, ctx.scratch("out"), None, ctx.progress)
    base = outcomes[OURS]
    rows: list[list[str]] = []
    for label, found in outcomes.items():
        if found.error is not None or not found.runs:
            rows.append([label, f"unavailable: {found.error}", "-"])
            continue
        r = ratio(found.walls, base.walls) if base.runs else None
        rows.append([label, table.timing(summarize(found.walls)), table.times(r)])
    body = table.render(("variant", "wall, median (min-max)", "x ours without"), rows,
                        right=(1, 2))
    found_verdicts = verdicts(outcomes)
    return PartResult(head + body + "\n" + "".join(v + "\n" for v in found_verdicts),
                      found_verdicts)
