"""Command line of ``python -m bench``: parse arguments, run the parts, write the report.

This is the benchmark's one output module: progress goes to stderr as the run advances, the
report goes to the ``--out`` file (never stdout, so a run can be piped without mixing them).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench import machine
from bench.context import PARTS, Context, PartResult, Settings
from bench.errors import BenchError, Unavailable, UsageError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure the recorder, the lint rules and the fault sweep against their "
        "peers, side by side, and write the results as Markdown.",
    )
    parser.add_argument("--quick", action="store_true", help="smaller workloads, fewer runs")
    parser.add_argument("--out", type=Path, default=Path("BENCHMARKS.md"), help="report path")
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help=f"comma-separated subset of {','.join(PARTS)} (default: all)",
    )
    parser.add_argument("--reps", type=int, default=None, help="repetitions per comparison")
    parser.add_argument(
        "--work-dir", type=Path, default=Path("bench/results"), help="scratch directory"
    )
    return parser


def parse_args(argv: Sequence[str]) -> Settings:
    """Settings from ``argv``; raises UsageError for values argparse cannot check itself."""
    ns = build_parser().parse_args(list(argv))
    parts = tuple(p.strip() for p in str(ns.parts).split(",") if p.strip())
    unknown = [p for p in parts if p not in PARTS]
    if unknown or not parts:
        raise UsageError(
            f"--parts: unknown part(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(PARTS)}"
        )
    if ns.reps is not None and ns.reps < 1:
        raise UsageError("--reps must be at least 1")
    # Keep the canonical order whatever order was typed, so reports always read the same way.
    ordered = tuple(p for p in PARTS if p in parts)
    return Settings(quick=bool(ns.quick), out=ns.out, parts=ordered, reps=ns.reps, work=ns.work_dir)


def _progress(message: str) -> None:
    sys.stderr.write(f"bench: {message}\n")
    sys.stderr.flush()


def main(argv: Sequence[str]) -> int:
    """Run the benchmark; 0 when the report was written, 2 on a usage error."""
    try:
        settings = parse_args(argv)
    except UsageError as exc:
        sys.stderr.write(f"python -m bench: {exc}\n")
        return 2
    # Imported here so that ``--help`` and argument errors stay instant.
    from bench import report

    ctx = Context(settings=settings, progress=_progress)
    load = machine.load_average()
    stamp = machine.now_utc()
    started = time.perf_counter()
    sections: list[PartResult] = []
    for part in settings.parts:
        _progress(f"part {part}")
        sections.append(_run_part(part, ctx))
    elapsed = time.perf_counter() - started
    text = report.document(ctx, sections, elapsed, stamp, load)
    try:
        settings.out.write_text(text, encoding="utf-8")
    except OSError as exc:
        sys.stderr.write(f"python -m bench: cannot write {settings.out}: {exc.strerror}\n")
        return 1
    _progress(f"wrote {settings.out} in {elapsed:.0f} s")
    return 0


def _run_part(part: str, ctx: Context) -> PartResult:
    from bench import (
        part_faults,
        part_filters,
        part_iocap,
        part_lint,
        part_pytest,
        part_recorder,
        part_startup,
        part_threads,
        part_values,
        report,
    )

    runners = {"recorder": part_recorder.run, "lint": part_lint.run, "faults": part_faults.run,
               "pytest": part_pytest.run, "values": part_values.run, "filters": part_filters.run,
               "iocap": part_iocap.run,
               "threads": part_threads.run, "startup": part_startup.run}
    try:
        return runners[part](ctx)
    except Unavailable as exc:
        return report.unavailable_section(part, str(exc))
    except BenchError as exc:
        return report.unavailable_section(part, f"benchmark error: {exc}")
