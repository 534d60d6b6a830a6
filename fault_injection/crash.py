"""``python -m fault_injection crash``: what survives a ``kill -9`` or a power loss, state by state.

``crash [--fixture DIR] [--oracle FILE] [--model process-crash|power-loss|all] [--json REPORT]
[--junit-xml FILE] [--shard K/N] [--jobs N] -- COMMAND...`` runs COMMAND once, clean, logging
its file-system operations under the fixture; builds every crash state each persistence model
allows after each operation (:mod:`fault_injection.crash_models`); checks each with the oracle
file's ``recover``, ``atomic`` and ``no-leftovers-after-crash``; and reports the vulnerabilities:
the smallest cause of the broken states ("X can persist before Y", with source lines), the
known remedy and one reproducer command each. Exit 0 when every state keeps every promise, 1
when any breaks one, 2 for a usage error. The shards' ``--json`` reports merge with
``python -m fault_injection merge`` as a sweep's do.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from fault_injection import console
from fault_injection.crash_causes import vulnerabilities, vulnerability_lines
from fault_injection.crash_check import load
from fault_injection.crash_explore import CrashSettings, CrashSubject
from fault_injection.crash_models import DEFAULT_CAP, MODELS, parse_spec
from fault_injection.errors import CrashUsageError, HarnessUsageError, SweepUsageError
from fault_injection.junit import write_junit
from fault_injection.report import SweepReport
from fault_injection.runs import Execution, execute
from fault_injection.sweep import shard_from

MODEL_CHOICES = (*MODELS, "all")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m fault_injection crash``."""
    parser.add_argument("--fixture", type=Path, default=None, metavar="DIR",
                        help="the command's working directory, copied fresh for the clean run "
                             "(default: an empty directory); only calls under it are logged")
    parser.add_argument("--oracle", type=Path, default=None, metavar="FILE",
                        help="the oracle file (TOML): atomic, recover, no-leftovers-after-crash "
                             "(the sweep's keys are ignored)")
    parser.add_argument("--model", default="all", metavar="MODEL",
                        help="process-crash (kill -9: every complete operation survives), "
                             "power-loss (unsynced data and entries may be lost) or all "
                             "(default)")
    parser.add_argument("--cap", type=int, default=DEFAULT_CAP, metavar="N",
                        help=f"states enumerated exactly per crash point up to N, a seeded "
                             f"sample of N beyond (default {DEFAULT_CAP})")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sampling (default 0)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2,
                        help="states checked at once (default: the number of CPUs)")
    parser.add_argument("--shard", default=None, metavar="K/N",
                        help="check the Kth of N balanced parts (merge the reports with `merge`)")
    parser.add_argument("--progress", type=int, default=None, metavar="N",
                        help="progress on stderr: a line every N states (0: none; default: a "
                             "live line on a terminal, else a line every tenth)")
    parser.add_argument("--json", type=Path, default=None, metavar="REPORT",
                        help="write the report as JSON (mergeable with `merge`)")
    parser.add_argument("--junit-xml", type=Path, default=None, metavar="FILE",
                        help="also write the report as JUnit XML (one test case per state)")
    parser.add_argument("--state", default=None, metavar="SPEC",
                        help="check only this state (as a reproducer names it, e.g. "
                             "power-loss@5:e3:i2=0z)")
    parser.add_argument("--workdir", type=Path, default=None, metavar="DIR",
                        help="keep the clean run and every state's directory here (default: "
                             "a temporary directory, removed)")


def settings_from(args: argparse.Namespace, command: list[str]) -> CrashSettings:
    """The explorer's settings from parsed arguments (usage errors for bad values)."""
    if args.model not in MODEL_CHOICES:
        raise CrashUsageError("ERR_CRASH_MODEL_UNKNOWN", f"--model {args.model!r}")
    if args.jobs < 1 or args.cap < 1:
        raise HarnessUsageError("--jobs and --cap must be at least 1")
    only = None
    if args.state is not None:
        only = parse_spec(args.state)
        if only is None:
            raise CrashUsageError("ERR_CRASH_STATE_INVALID", f"--state {args.state!r}")
    models = tuple(MODELS) if args.model == "all" else (args.model,)
    return CrashSettings(tuple(command), args.fixture, load(args.oracle), args.oracle, models,
                         args.cap, args.seed, only)


def explore(settings: CrashSettings, how: Execution, root: Path) -> tuple[SweepReport,
                                                                          list[str]]:
    """Record, build and check the states in ``root``; the report and the coverage lines."""
    started = time.monotonic()
    subject = CrashSubject(settings, root / "program")
    rep = execute([subject], how, root / "states", started)
    return rep, subject.coverage_lines()


def _finish(args: argparse.Namespace, rep: SweepReport, coverage: list[str]) -> int:
    for line in [*coverage, *rep.render(max_failures=10), *vulnerability_lines(rep)]:
        console.out(line)
    if args.json is not None:
        data = rep.to_json()
        data["coverage"] = coverage
        data["vulnerabilities"] = vulnerabilities(rep)
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        console.out(f"JSON report: {args.json}")
    if args.junit_xml is not None:
        write_junit(rep, args.junit_xml)
        console.out(f"JUnit XML: {args.junit_xml}")
    return 0 if rep.failed == 0 else 1


def run_cli(args: argparse.Namespace, command: list[str] | None) -> int:
    """Explore, print the coverage, the table and the vulnerabilities; 0 when none broke."""
    if not command:
        raise SweepUsageError("ERR_COMMAND_MISSING", "nothing after `--`" if command == [] else
                              "crash needs the command after `--`")
    settings = settings_from(args, command)
    keep = args.workdir is not None or args.state is not None
    how = Execution(None, 0, args.jobs, keep, args.progress, shard_from(args.shard),
                    label=("crash", "states"))
    if keep:
        workdir = args.workdir or Path("crash-state")
        workdir.mkdir(parents=True, exist_ok=True)
        root = Path(tempfile.mkdtemp(prefix="crash-", dir=workdir)).resolve()
        rep, coverage = explore(settings, how, root)
        if args.state is not None:
            coverage.append(f"state built in {root / 'states' / 'crash' / 'case-0' / 'state'}")
        return _finish(args, rep, coverage)
    with tempfile.TemporaryDirectory(prefix="fault-crash-") as tmp:
        rep, coverage = explore(settings, how, Path(tmp))
        return _finish(args, rep, coverage)
