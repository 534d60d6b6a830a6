"""Part 9: the fixed cost of a recording, start-up and finish, on a workload that does nothing.

``workloads/calls.py 0`` makes no calls: what a recorder costs there is the interpreter's
start-up, its own imports and set-up, and writing and publishing an empty trace (the fsyncs of
the atomic publish included). Untraced 3.12, ours on 3.12, 3.13 (``sys.monitoring``) and 3.11
(``sys.settrace``) and the Rust recorder on 3.12 with the same-content filter run alternating,
many times (each run is short); the table gives each one's wall and CPU time (medians with
ranges), what it adds to the untraced run, and ours / Rust in wall and in CPU time (paired runs;
across interpreter versions for 3.11 and 3.13, as in part 1). Each run is short, so on a loaded
machine the wall times mostly measure waiting (the fsyncs of the publish, the scheduler): the CPU
ratio is the steadier figure there.
"""

from __future__ import annotations

from bench import bytecode, table, variants
from bench.context import Context, PartResult
from bench.errors import Unavailable
from bench.runner import Command, Outcome, alternate
from bench.stats import ratio, summarize
from bench.variants import Missing
from bench.workloads import by_name

WORKLOAD = "calls"
SCALE = 0
LABELS: tuple[str, ...] = (variants.UNTRACED_312, variants.OURS_312, variants.OURS_313,
                           variants.OURS_311, variants.RUST_EQ)
TITLE = "## 9. Start-up and finish (scale 0)"


def _compile(ctx: Context) -> None:
    # Measured runs import our tree from bytecode, as installed code would (see bench.bytecode).
    for series in ("3.11", "3.12", "3.13"):
        try:
            bytecode.compile_tree(ctx.python(series))
        except Unavailable as exc:
            ctx.progress(f"WARNING: {exc}; its start-up runs compile from source")


def measure(ctx: Context, reps: int) -> dict[str, Outcome]:
    """Every variant of :data:`LABELS` on ``calls.py 0``, ``reps`` alternating runs each."""
    planned = variants.build(ctx, LABELS, by_name(WORKLOAD).script, [str(SCALE)], tag="startup")
    commands = [p for p in planned if isinstance(p, Command)]
    outcomes = alternate(commands, reps, ctx.scratch("out"), None, ctx.progress)
    for p in planned:
        if isinstance(p, Missing):
            outcomes[p.label] = Outcome(Command(p.label, ()), error=p.reason)
    return outcomes


def _ms(value: float) -> str:
    return f"{value * 1e3:.1f} ms"


def _timing_ms(samples: list[float]) -> str:
    s = summarize(samples)
    return f"{_ms(s.median)} ({s.low * 1e3:.1f}-{s.high * 1e3:.1f})"


def render(outcomes: dict[str, Outcome], reps: int) -> PartResult:
    """The section: one row per variant of :data:`LABELS`, and the verdict ours / Rust."""
    untraced = outcomes.get(variants.UNTRACED_312)
    rust = outcomes.get(variants.RUST_EQ)
    base = untraced.walls if untraced is not None and untraced.runs else []
    peer = rust.walls if rust is not None and rust.runs else []
    peer_cpu = rust.cpus if rust is not None and rust.runs else []
    rows: list[list[str]] = []
    for label in LABELS:
        found = outcomes.get(label)
        if found is None or found.error is not None or not found.runs:
            reason = "not run" if found is None else found.error or "no runs"
            rows.append([label, f"unavailable: {reason}", "-", "-", "-", "-"])
            continue
        added = (_ms(summarize(found.walls).median - summarize(base).median)
                 if base and label != variants.UNTRACED_312 else "-")
        versus = (table.times(ratio(found.walls, peer))
                  if peer and label in variants.OURS else "-")
        versus_cpu = (table.times(ratio(found.cpus, peer_cpu))
                      if peer and label in variants.OURS else "-")
        rows.append([label, _timing_ms(found.walls), _timing_ms(found.cpus), added, versus,
                     versus_cpu])
    body = table.render(
        ("variant", "wall, median (min-max)", "CPU, median (min-max)", "over untraced (wall)",
         "ours / Rust (wall)", "ours / Rust (CPU)"), rows, right=(1, 2, 3, 4, 5))
    ours = outcomes.get(variants.OURS_312)
    if ours is not None and ours.runs and peer:
        verdict = (f"- start-up and finish (scale 0): ours / Rust on 3.12 = "
                   f"{table.times(ratio(ours.walls, peer))} (wall), "
                   f"{table.times(ratio(ours.cpus, peer_cpu))} (CPU).")
    else:
        verdict = "- start-up and finish (scale 0): no comparison (a run is unavailable)."
    intro = (f"{TITLE}\n\n`workloads/{WORKLOAD}.py {SCALE}` (no calls: the interpreter's "
             "start-up, the recorder's imports and set-up, an empty trace written and "
             f"published), {reps} runs per variant, alternating; the Rust recorder with "
             "`rust_same_content.toml`.\n\n")
    return PartResult(intro + body + "\n" + verdict + "\n", [verdict])


def run(ctx: Context) -> PartResult:
    """Run part 9 and return its Markdown section."""
    _compile(ctx)
    reps = ctx.reps(full=21, quick=7)
    ctx.progress(f"start-up and finish: {WORKLOAD} scale {SCALE}, {reps} reps")
    return render(measure(ctx, reps), reps)
