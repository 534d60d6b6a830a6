"""``python -m fault_injection sweep``: fail every fault point, one run at a time; check promises.

One engine (:mod:`fault_injection.runs`), two configurations:

* without a command, the recorder's sweep (:mod:`fault_injection.recorder_sweep`): its scenario
  programs, its seams, its policy combinations (``--policies``) and the policy table as oracle;
* with ``-- COMMAND...``, any Python program (:mod:`fault_injection.program_sweep`): the
  bootstrap's file-system seams, run in fresh copies of ``--fixture``, checked by the oracle file
  (``--oracle``) and the flags of the same names.

Both count the points of a clean run and run each point x hit x kind, transient and persistent,
``--jobs`` subprocesses at a time; ``--sample N --seed S`` runs a reproducible random subset
(what CI runs). Every failed run is printed with the exact command that reproduces it. Exit 0
when every run kept every promise, 1 when any broke one, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import os
import signal
import tempfile
import time
from pathlib import Path

from fault_injection import console, report
from fault_injection.errors import HarnessUsageError, SweepUsageError
from fault_injection.junit import write_junit
from fault_injection.oracle import KEYS, STDOUT_MODES, Oracle, from_mapping, load, merged
from fault_injection.plan import KINDS, OS_POINTS
from fault_injection.program_sweep import ProgramSubject, Settings
from fault_injection.recorder_sweep import (  # re-exported: the sweep's API before the split
    Options,
    assign_policies,
    build_cases,
    kinds_for,
    reproduce,
    subjects,
)
from fault_injection.runs import Execution, execute, hits_to_try
from fault_injection.syscall_sweep import SYSCALL_KINDS, SyscallSubject
from recorder import seams

__all__ = ["Options", "add_arguments", "assign_policies", "build_cases", "hits_to_try",
           "kinds_for", "options_from", "reproduce", "run_cli", "sweep"]
_RECORDER_ONLY = ("scenario", "policies")
_PROGRAM_ONLY = ("fixture", "oracle", "only_under", "syscalls",
                 *(key.replace("-", "_") for key in KEYS))


def sweep(opts: Options, root: Path, shard: tuple[int, int] | None = None) -> report.SweepReport:
    """The recorder's sweep in ``root`` (one shard of it); the report."""
    started = time.monotonic()
    how = Execution(opts.sample, opts.seed, opts.jobs, opts.keep, opts.progress, shard)
    return execute(subjects(opts, root), how, root, started)


def sweep_program(settings: Settings, how: Execution, root: Path,
                  syscalls: bool = False) -> report.SweepReport:
    """The sweep of any program in ``root``; the report (usage errors before any faulted run)."""
    started = time.monotonic()
    kind = SyscallSubject if syscalls else ProgramSubject
    return execute([kind(settings, root / "program")], how, root, started)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Command-line options of ``python -m fault_injection sweep``."""
    parser.add_argument("--scenario", action="append", choices=sorted(_scenarios()),
                        help="recorder sweep: only this scenario (repeatable; default all)")
    parser.add_argument("--kind", action="append", choices=KINDS, help="only this fault kind")
    points = dict.fromkeys(seams.ALL_POINTS + OS_POINTS + tuple(SYSCALL_KINDS))
    parser.add_argument("--point", action="append", choices=list(points),
                        help="only this fault point (a system call's name with --syscalls)")
    parser.add_argument("--policies", choices=("all", "default", "rotate"), default=None,
                        help="recorder sweep: policy combinations (default rotate)")
    parser.add_argument("--mode", choices=("both", "transient", "persistent"), default="both")
    parser.add_argument("--max-hits", type=int, default=8, help="hits tried per point (default 8)")
    parser.add_argument("--sample", type=int, default=None, help="run a random subset of N runs")
    parser.add_argument("--seed", type=int, default=0, help="seed of --sample (default 0)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--shard", default=None, metavar="K/N",
                        help="run the Kth of N balanced parts (merge the reports with `merge`)")
    parser.add_argument("--progress", type=int, default=None, metavar="N",
                        help="progress on stderr: a line every N runs (0: none; default: a live "
                             "line on a terminal, else a line every tenth of the sweep)")
    parser.add_argument("--json", type=Path, default=Path("fault-sweep.json"),
                        help="where to write the JSON report (default fault-sweep.json)")
    parser.add_argument("--junit-xml", type=Path, default=None, metavar="FILE",
                        help="also write the report as JUnit XML (one test case per run)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep run directories here (default: a temporary directory)")
    program = parser.add_argument_group("any program (sweep [options] -- COMMAND...)")
    program.add_argument("--fixture", type=Path, help="the command's working directory, copied "
                         "fresh for every run (default: an empty directory)")
    program.add_argument("--oracle", type=Path, help="the oracle file (TOML)")
    program.add_argument("--syscalls", action="store_true", default=None,
                         help="fail system calls with strace instead of the bootstrap's seams "
                              "(any program, one process)")
    program.add_argument("--only-under", action="append", metavar="DIR",
                         help="count only calls under DIR, relative to the fixture (default .)")
    program.add_argument("--exit-in", help="accepted exit statuses, e.g. 0,1")
    program.add_argument("--no-traceback", action="store_true", default=None,
                         help="no Python traceback the clean run does not print")
    program.add_argument("--stdout", choices=STDOUT_MODES, help="stdout: same, or a prefix")
    program.add_argument("--atomic", action="append", metavar="PATH",
                         help="as before or as after the clean run, byte for byte")
    program.add_argument("--no-leftovers", action="append", metavar="PATH",
                         help="no new names under PATH besides the clean run's")


def _scenarios() -> list[str]:
    from fault_injection.scenarios import SCENARIOS

    return list(SCENARIOS)


def options_from(args: argparse.Namespace) -> Options:
    """The recorder sweep's :class:`Options` from parsed arguments."""
    if args.jobs < 1 or args.max_hits < 1:
        raise HarnessUsageError("--jobs and --max-hits must be at least 1")
    modes = {"both": (False, True), "transient": (False,), "persistent": (True,)}[args.mode]
    points = tuple(p for p in (args.point or seams.ALL_POINTS) if p in seams.ALL_POINTS)
    return Options(
        scenarios=tuple(args.scenario or _scenarios()), kinds=tuple(args.kind or KINDS),
        points=points, policies=args.policies or "rotate", modes=modes,
        max_hits=args.max_hits, sample=args.sample, seed=args.seed, jobs=args.jobs,
        keep=args.workdir is not None, progress=args.progress)


def _flag_oracle(args: argparse.Namespace) -> Oracle:
    data: dict[str, object] = {}
    if args.exit_in is not None:
        try:
            data["exit-in"] = [int(part) for part in args.exit_in.split(",") if part.strip()]
        except ValueError:
            raise SweepUsageError(
                "ERR_ORACLE_INVALID", f"--exit-in {args.exit_in!r}: expected numbers like 0,1"
            ) from None
    if args.no_traceback:
        data["no-traceback"] = True
    for key in ("stdout", "atomic", "no_leftovers"):
        if getattr(args, key):
            data[key.replace("_", "-")] = getattr(args, key)
    return from_mapping(data, "the command line")


def settings_from(args: argparse.Namespace, command: list[str]) -> Settings:
    """The program sweep's :class:`Settings` from parsed arguments and the command."""
    used = [name for name in _RECORDER_ONLY if getattr(args, name)]
    if used:
        raise SweepUsageError("ERR_OPTION_CONFLICT",
                              f"--{used[0]} is an option of the recorder's sweep, not of a "
                              f"command's")
    if args.jobs < 1 or args.max_hits < 1:
        raise HarnessUsageError("--jobs and --max-hits must be at least 1")
    oracle = merged(load(args.oracle), _flag_oracle(args))
    modes = {"both": (False, True), "transient": (False,), "persistent": (True,)}[args.mode]
    points = None if not args.point else tuple(args.point)
    return Settings(tuple(command), args.fixture, oracle, tuple(args.only_under or (".",)),
                    None if not args.kind else tuple(args.kind), points, modes, args.max_hits)


def shard_from(text: str | None) -> tuple[int, int] | None:
    """``K/N`` as (K, N); a usage error unless 1 <= K <= N."""
    if text is None:
        return None
    index, _, count = text.partition("/")
    if not (index.isdigit() and count.isdigit()) or not 1 <= int(index) <= int(count):
        raise SweepUsageError("ERR_INVALID_SHARD", f"--shard {text!r}")
    return int(index), int(count)


def _run(args: argparse.Namespace, command: list[str] | None, root: Path) -> report.SweepReport:
    if command is None:
        used = [name for name in _PROGRAM_ONLY if getattr(args, name)]
        if used:
            raise SweepUsageError("ERR_COMMAND_MISSING",
                                  f"--{used[0].replace('_', '-')} needs a command after `--`")
        return sweep(options_from(args), root, shard_from(args.shard))
    settings = settings_from(args, command)
    how = Execution(args.sample, args.seed, args.jobs, args.workdir is not None, args.progress,
                    shard_from(args.shard))
    return sweep_program(settings, how, root, bool(args.syscalls))


def run_cli(args: argparse.Namespace, command: list[str] | None = None) -> int:
    """Run the sweep, print the table and failures, write the JSON report; 0 when all passed."""
    if command is not None and not command:
        raise SweepUsageError("ERR_COMMAND_MISSING", "nothing after `--`")
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        # Started in the background, SIGINT is ignored and every child would inherit that, so
        # a `sigint` fault would do nothing; children of a handled SIGINT start with the default.
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        rep = _run(args, command, Path(tempfile.mkdtemp(prefix="sweep-", dir=args.workdir)))
    else:
        with tempfile.TemporaryDirectory(prefix="fault-sweep-") as tmp:
            rep = _run(args, command, Path(tmp))
    for line in rep.render():
        console.out(line)
    rep.write_json(args.json)
    console.out(f"JSON report: {args.json}")
    if args.junit_xml is not None:
        write_junit(rep, args.junit_xml)
        console.out(f"JUnit XML: {args.junit_xml}")
    return 0 if rep.failed == 0 else 1
