"""``python -m fault_injection merge REPORT...``: the shards of one sweep, combined into one report.

Each ``--json`` report of ``sweep --shard K/N`` carries its shard's identity (K, N) and the
fingerprint of the whole sweep's run list, computed before sharding. Merging checks that the
reports are the N shards of one sweep - none missing, none twice, none from another sweep (a
different fingerprint or N) - and that together they ran exactly the sweep's runs; any other
case is a usage error with its own code (exit 2). The merged report is printed like a sweep's
and written with ``--json``; the exit status is the sweep's: 0 when no run broke a promise, 1
otherwise.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from fault_injection import console
from fault_injection.crash_causes import vulnerability_lines
from fault_injection.errors import SweepUsageError
from fault_injection.junit import write_junit
from fault_injection.report import SweepReport


def _load(path: Path) -> SweepReport:
    try:
        return SweepReport.from_json(json.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise SweepUsageError("ERR_REPORT_INVALID",
                              f"cannot read {path} ({exc.strerror})") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise SweepUsageError("ERR_REPORT_INVALID",
                              f"{path} is not a sweep's JSON report ({exc!r})") from None


def _check(reports: list[tuple[Path, SweepReport]]) -> None:
    first_path, first = reports[0]
    if first.shard is None:
        raise SweepUsageError("ERR_REPORT_INVALID", f"{first_path} is not a shard's report "
                              f"(no --shard)")
    count = first.shard[1]
    seen: dict[int, Path] = {}
    for path, rep in reports:
        if rep.shard is None or rep.shard[1] != count or rep.fingerprint != first.fingerprint:
            raise SweepUsageError(
                "ERR_SHARD_FOREIGN", f"{path} is not a shard of the sweep of {first_path} "
                f"(shard {rep.shard}, fingerprint {rep.fingerprint} vs {first.fingerprint})")
        index = rep.shard[0]
        if index in seen:
            raise SweepUsageError("ERR_SHARD_DUPLICATED",
                                  f"shard {index}/{count} given twice: {seen[index]} and {path}")
        seen[index] = path
    missing = sorted(set(range(1, count + 1)) - set(seen))
    if missing:
        raise SweepUsageError("ERR_SHARD_MISSING", f"shard(s) {', '.join(map(str, missing))} of "
                              f"{count} missing")
    ran = Counter(name for _, rep in reports for name in rep.runs)
    twice = sorted(name for name, n in ran.items() if n > 1)
    if twice or sum(ran.values()) != first.runs_in_sweep:
        raise SweepUsageError("ERR_SHARD_FOREIGN", f"the shards ran {sum(ran.values())} runs "
                              f"({len(twice)} twice) for a sweep of {first.runs_in_sweep}")


def merge(paths: list[Path]) -> SweepReport:
    """The shards' reports at ``paths`` combined (a usage error when they are not one sweep)."""
    if not paths:
        raise SweepUsageError("ERR_REPORT_INVALID", "no report to merge")
    reports = [(path, _load(path)) for path in paths]
    _check(reports)
    merged = SweepReport(fingerprint=reports[0][1].fingerprint,
                         runs_in_sweep=reports[0][1].runs_in_sweep)
    for _, rep in reports:
        merged.planned += rep.planned
        merged.wall_time = max(merged.wall_time, rep.wall_time)  # the shards ran side by side
        merged.counts.update(rep.counts)
        for key, cell in rep.cells.items():
            merged.cells[key].update(cell)
        merged.outcomes.update(rep.outcomes)
        merged.notes.update(rep.notes)
        merged.failures.extend(rep.failures)
        merged.runs.extend(rep.runs)
        merged.records.extend(rep.records)
    merged.runs.sort()
    return merged


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m fault_injection merge``."""
    parser.add_argument("reports", nargs="*", type=Path, help="the shards' --json reports")
    parser.add_argument("--json", type=Path, default=None, help="write the merged report here")
    parser.add_argument("--junit-xml", type=Path, default=None, metavar="FILE",
                        help="also write the merged report as JUnit XML")


def run_cli(args: argparse.Namespace) -> int:
    """Merge, print the combined table; 0 when no run failed, 1 otherwise."""
    merged = merge(list(args.reports))
    for line in merged.render():
        console.out(line)
    if any(v.startswith("cause: ") for failure in merged.failures for v in failure.violations):
        for line in vulnerability_lines(merged):  # shards of a crash exploration
            console.out(line)
    if args.json is not None:
        merged.write_json(args.json)
        console.out(f"JSON report: {args.json}")
    if args.junit_xml is not None:
        write_junit(merged, args.junit_xml)
        console.out(f"JUnit XML: {args.junit_xml}")
    return 0 if merged.failed == 0 else 1
