"""Where the recorder's time goes: one sampled (not timed) run per workload, and its event mix.

Each workload runs once under ``bench/helpers/sample_profile.py`` (our recorder, 3.12,
``sys.monitoring``, in-process with a sampler thread that sees inside the tool callbacks). The
section lists the functions with the largest self share of the samples and, from the trace that
run wrote, the events per kind, so a share can be read against how many events paid for it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import bytecode, envs, table
from bench.context import Context
from bench.errors import Unavailable
from bench.traces import count_events, find_trace
from bench.workloads import MARGINAL_FACTOR, MARGINAL_WORKLOADS, by_name

TOP = 12
SERIES = "3.12"
#: Declarations: events that name things (paths, functions, types, variables) once per trace.
DECLARATIONS = frozenset({"Path", "Function", "Type", "VariableName"})
KINDS: tuple[str, ...] = ("Step", "Call", "Return", "Value")


def event_kinds(counts: Mapping[str, int]) -> dict[str, int]:
    """Events per kind: Step, Call, Return, Value, declarations, everything else; and the total."""
    out = {kind: counts.get(kind, 0) for kind in KINDS}
    out["declarations"] = sum(n for name, n in counts.items() if name in DECLARATIONS)
    out["other"] = sum(
        n for name, n in counts.items() if name not in DECLARATIONS and name not in KINDS
    )
    out["total"] = sum(counts.values())
    return out


def top_self(report: Mapping[str, object], count: int = TOP) -> list[tuple[str, float, float]]:
    """The ``count`` functions with the most self samples: (function, self share, total share)."""
    samples = report.get("samples")
    self_counts, total_counts = report.get("self"), report.get("total")
    if not isinstance(samples, int) or samples <= 0 or not isinstance(self_counts, dict):
        return []
    totals = total_counts if isinstance(total_counts, dict) else {}
    ranked = sorted(self_counts.items(), key=lambda item: (-int(item[1]), str(item[0])))
    return [
        (str(name), int(n) / samples, int(totals.get(name, 0)) / samples)
        for name, n in ranked[:count]
    ]


@dataclass(frozen=True)
class Profile:
    """One workload's sampled run: the top functions and the trace's events per kind."""

    workload: str
    scale: int
    samples: int = 0
    top: tuple[tuple[str, float, float], ...] = ()
    kinds: tuple[tuple[str, int], ...] = ()
    error: str | None = None


def _profile_one(ctx: Context, name: str) -> Profile:
    workload = by_name(name)
    # The longer run of the per-event table: more samples, a smaller share of start-up.
    scale = workload.scale(ctx.quick) * MARGINAL_FACTOR
    try:
        python = ctx.python(SERIES)
    except Unavailable as exc:
        return Profile(name, scale, error=str(exc))
    trace = ctx.scratch("traces") / f"profile-{name}"
    shutil.rmtree(trace, ignore_errors=True)
    out = ctx.scratch("out") / f"profile-{name}.json"
    argv = [str(python), "-m", "bench.helpers.sample_profile", str(out), "--backend",
            "monitoring", "--trace-dir", str(trace), "--", str(workload.script), str(scale)]
    env = {**bytecode.child_env(), **envs.repo_env()}
    try:
        done = subprocess.run(argv, capture_output=True, text=True, env=env,
                              cwd=ctx.scratch("cwd"), timeout=600, check=False)
        if done.returncode != 0:
            tail = [line for line in done.stderr.splitlines() if line.strip()]
            return Profile(name, scale, error=f"exit status {done.returncode}: "
                           f"{tail[-1] if tail else 'no output'}")
        report = json.loads(Path(out).read_text(encoding="utf-8"))
        kinds = event_kinds(Counter(count_events(find_trace(trace))))
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        return Profile(name, scale, error=str(exc) or type(exc).__name__)
    finally:
        shutil.rmtree(trace, ignore_errors=True)
    samples = report.get("samples") if isinstance(report, dict) else 0
    return Profile(name, scale, int(samples or 0), tuple(top_self(report)), tuple(kinds.items()))


def measure(ctx: Context) -> list[Profile]:
    """One sampled run of each workload of the per-event table."""
    profiles: list[Profile] = []
    for name in MARGINAL_WORKLOADS:
        ctx.progress(f"profile: {name} ({SERIES}, sampled, not timed)")
        profiles.append(_profile_one(ctx, name))
    return profiles


def render(profiles: Sequence[Profile]) -> str:
    """The section's text: the bias note, then per workload its event mix and top functions."""
    out = [
        f"One run per workload on {SERIES} (`sys.monitoring`) under "
        "`bench/helpers/sample_profile.py`, not timed: a sampler thread reads the main thread's "
        "stack every millisecond, inside the tool callbacks too (cProfile sees none of them). "
        "*Self* is the share of samples with the function innermost, *on stack* the share with "
        "it anywhere on the stack. Bias: a sample can only be taken when the main thread "
        "releases the GIL (at the switch interval, at calls and backward jumps), so time is "
        "attributed to the nearest such point, and system calls that release the GIL (writing "
        "the trace) are over-sampled. Read the shares as a ranking, not as exact fractions.\n\n"
    ]
    for p in profiles:
        out.append(f"#### `{p.workload}` (scale {p.scale})\n\n")
        if p.error is not None:
            out.append(f"unavailable: {p.error}\n\n")
            continue
        kinds = dict(p.kinds)
        out.append(table.render(tuple(kinds), [[table.count(n) for n in kinds.values()]],
                                right=range(len(kinds))))
        out.append(f"\n{table.count(p.samples)} samples.\n\n")
        rows = [[f"`{name}`", f"{s * 100:.1f}%", f"{t * 100:.1f}%"] for name, s, t in p.top]
        out.append(table.render(("function", "self", "on stack"), rows, right=(1, 2)))
        out.append("\n")
    return "".join(out)
