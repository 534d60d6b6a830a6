"""Timing ``python -m fault_injection sweep`` on a small seeded sample, and reading its report.

The sweep writes a JSON report (``--json``): how many fault points it explored, how many broke an
invariant, and the fault points each scenario passes. The runner measures the wall time; the
rate is points explored per second. The whole sweep is too long for the benchmark's budget, so
its duration is estimated from that rate and the size of the whole sweep, which is computed with
the harness's own case builder from the counts in the report.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench import envs, table
from bench.context import Context
from bench.errors import Unavailable
from bench.runner import Command, alternate
from bench.stats import summarize

SEED = "2026"
# A sampled case takes seconds, and every scenario first runs a clean baseline and a count of
# its fault points: quick mode sweeps one scenario, full mode a sample of all of them.
FULL_SAMPLE = 40
QUICK_SAMPLE = 8
QUICK_SCENARIO = "functions"
_COUNT_KEYS = ("points_explored", "explored", "total_points", "points", "runs")


def points_from_report(data: Any) -> int | None:
    """The number of fault points a sweep report says it explored, or None if it does not say.

    Accepts a top-level count or a list of per-row counts under ``rows``/``results``/``cells``.
    """
    if isinstance(data, dict):
        for key in _COUNT_KEYS:
            value = data.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        for key in ("totals", "summary"):
            found = points_from_report(data.get(key))
            if found is not None:
                return found
        for key in ("rows", "results", "cells"):
            rows = data.get(key)
            if isinstance(rows, list):
                counts = [points_from_report(r) for r in rows]
                if counts and all(c is not None for c in counts):
                    return sum(c for c in counts if c is not None)
    return None


def whole_sweep_size(report: dict[str, Any]) -> int | None:
    """Cases of the whole default sweep, from the report's per-scenario fault point counts.

    Uses the harness's own case builder so the figure follows its rules; None when the harness
    or the report does not offer what this needs.
    """
    counts = report.get("fault_points")
    if not isinstance(counts, dict):
        return None
    try:
        from fault_injection import sweep as harness

        parser = argparse.ArgumentParser()
        harness.add_arguments(parser)
        opts = harness.options_from(parser.parse_args([]))
        return sum(
            len(
                harness.assign_policies(
                    harness.build_cases(name, Path(name), c, opts), opts.policies
                )
            )
            for name, c in counts.items()
        )
    except (ImportError, AttributeError, TypeError, ValueError, KeyError):
        return None


def measure(ctx: Context) -> str:
    """Run the sweep sample (one tool: nothing to alternate with) and describe the result."""
    python = ctx.python("3.11")
    cwd = ctx.scratch("sweep")
    report_path = cwd / "fault-sweep.json"
    report_path.unlink(missing_ok=True)
    sample = QUICK_SAMPLE if ctx.quick else FULL_SAMPLE
    scope = ("--scenario", QUICK_SCENARIO) if ctx.quick else ()
    args = ("sweep", *scope, "--sample", str(sample), "--seed", SEED)
    argv = (str(python), "-m", "fault_injection", *args, "--json", str(report_path))
    # Exit 1 means some point broke an invariant: a finding of the sweep, still a valid timing.
    cmd = Command(
        "sweep", argv, env=envs.repo_env(), cwd=cwd, ok_codes=frozenset({0, 1}), timeout=900.0
    )
    ctx.progress(f"fault sweep: sample {sample}, seed {SEED}")
    outcome = alternate([cmd], 1, ctx.scratch("out"), None, ctx.progress)["sweep"]
    if outcome.error is not None or not outcome.runs:
        raise Unavailable(f"`python -m fault_injection sweep` failed: {outcome.error}")
    wall = summarize(outcome.walls).median
    report = _read(report_path)
    points = points_from_report(report)
    rate = points / wall if points else None
    failed = report.get("failed")
    total = whole_sweep_size(report)
    estimate = f"{total} points, about {table.seconds(total / rate)}" if total and rate else "-"
    rows = [
        [
            f"python -m fault_injection {' '.join(args)}",
            str(points) if points is not None else "not in report",
            str(failed) if isinstance(failed, int) else "-",
            table.seconds(wall),
            table.per_second(rate, "points"),
            estimate,
        ]
    ]
    headers = (
        "command",
        "fault points explored",
        "failed",
        "wall",
        "fault points/s",
        "whole sweep (estimated)",
    )
    note = (
        "\nOne run (the sweep is its own comparison: nothing to alternate with); the wall time "
        'includes the clean baseline and fault-point count of every scenario. "failed" counts '
        "points that broke an invariant (findings of the sweep, see `make faults`). The whole "
        "default sweep's size (over the scenarios this run swept) comes from the harness's case "
        "builder and the fault points each scenario passes; its time is that size divided by "
        "the sample's rate.\n"
    )
    return table.render(headers, rows, right=(1, 2, 3, 4)) + note


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
