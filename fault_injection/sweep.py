"""The sweep: fail every seam of every scenario, under every policy, and check the promises.

SQLite's method: for each scenario, count the fault points of a clean run (``count`` mode), then
for each point, each hit of it and each fault kind run the recorder's command line once with a
*transient* fault (that hit fails) and once with a *persistent* one (every hit from that one
fails), under each policy combination, and check the invariants (:mod:`fault_injection.invariants`)
after each run. Runs are independent subprocesses, ``--jobs`` at a time (default: all cores).

Which hits are tried: every hit of an output-layer or lifecycle seam; for the tracer callbacks
(thousands of hits) the first, second, middle and last hit (``--max-hits`` caps every point the
same way, evenly spread). Kinds per seam family: output layer ``enospc eacces erofs eio efbig
crash sigint``; callbacks ``crash sigint``; lifecycle ``enospc eio crash sigint``.

``--sample N --seed S`` runs a reproducible random subset (what CI runs); ``--policies`` picks
``all`` 16 combinations, ``default`` (abort, no flags) or ``rotate`` (each case under one
combination, in turn, so that all 16 appear). Every failed run is printed with the exact command
that reproduces it.
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from fault_injection import console, report
from fault_injection.errors import HarnessUsageError
from fault_injection.exec import JOURNAL_VAR
from fault_injection.injector import read_journal
from fault_injection.invariants import Verdict, check
from fault_injection.model import ALL_POLICIES, Baseline, Case, Policy, RunResult
from fault_injection.plan import ENV_VAR, KINDS
from fault_injection.scenarios import SCENARIOS
from recorder import seams

IO_KINDS = ("enospc", "eacces", "erofs", "eio", "efbig", "crash", "sigint")
CALLBACK_KINDS = ("crash", "sigint")
LIFECYCLE_KINDS = ("enospc", "eio", "crash", "sigint")
RUN_TIMEOUT = 60.0


def kinds_for(point: str) -> tuple[str, ...]:
    """The fault kinds the sweep tries at ``point``."""
    if point in seams.IO_POINTS:
        return IO_KINDS
    if point in seams.CALLBACK_POINTS:
        return CALLBACK_KINDS
    return LIFECYCLE_KINDS


def hits_to_try(point: str, count: int, max_hits: int) -> list[int]:
    """Which hits of ``point`` to fail, given ``count`` hits in a clean run.

    All of them when there are at most ``max_hits`` (4 for tracer callbacks); otherwise the first,
    second, middle and last, topped up with evenly spread hits to ``max_hits``.
    """
    limit = 4 if point in seams.CALLBACK_POINTS else max(max_hits, 4)
    if count <= limit:
        return list(range(1, count + 1))
    chosen = {1, 2, (count + 1) // 2, count}
    step = (count - 1) / (limit - 1)
    for i in range(limit):
        if len(chosen) >= limit:
            break
        chosen.add(1 + round(i * step))
    return sorted(chosen)


def clean_env() -> dict[str, str]:
    """The environment of every run: ours minus policy and fault variables, a fixed hash seed."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("CODETRACER_") and k not in (ENV_VAR, JOURNAL_VAR)}
    env["PYTHONHASHSEED"] = "0"
    return env


def recorder_command(case: Case, trace_dir: Path) -> list[str]:
    """The command line of one faulted run."""
    return [sys.executable, "-m", "fault_injection", "exec", "--trace-dir", str(trace_dir),
            *case.policy.flags(), str(case.script)]


def reproduce(case: Case) -> str:
    """A self-contained shell command that reproduces ``case`` in a fresh directory."""
    copy = Case(case.scenario, Path(f"$d/{case.scenario}.py"), case.kind, case.point, case.nth,
                case.persistent, case.policy)
    cmd = " ".join(part if part.startswith("$d") else shlex.quote(part)
                   for part in recorder_command(copy, Path("$d/out/trace")))
    return (f"d=$(mktemp -d) && cp {shlex.quote(str(SCENARIOS[case.scenario]))} "
            f"$d/{case.scenario}.py && cd $d && mkdir out && "
            f"{ENV_VAR}={shlex.quote(str(case.plan))} PYTHONHASHSEED=0 {cmd}; "
            f"echo exit=$?; ls -A $d $d/out")


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, bytes, bytes, float, bool]:
    started = time.monotonic()
    try:
        done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, timeout=RUN_TIMEOUT,
                              check=False, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        return -9, exc.stdout or b"", exc.stderr or b"", time.monotonic() - started, True
    return done.returncode, done.stdout, done.stderr, time.monotonic() - started, False


def baseline(script: Path, workdir: Path) -> Baseline:
    """The untraced run of ``script``."""
    code, out, err, _, _ = _run([sys.executable, str(script)], workdir, clean_env())
    return Baseline(out, err, code)


def count_points(script: Path, workdir: Path) -> dict[str, int]:
    """Hits per seam in a clean traced run of ``script``."""
    journal = workdir / "count.jsonl"
    env = {**clean_env(), JOURNAL_VAR: str(journal)}
    cmd = [sys.executable, "-m", "fault_injection", "count", "--trace-dir",
           str(workdir / "count-trace"), str(script)]
    _run(cmd, workdir, env)
    return read_journal(journal)[1]


def run_case(case: Case, casedir: Path, base: Baseline) -> tuple[Verdict, RunResult]:
    """Run one faulted case in ``casedir`` and check it."""
    outdir = casedir / "out"
    outdir.mkdir(parents=True)
    journal = casedir / "journal.jsonl"
    trace_dir = outdir / "trace"
    env = {**clean_env(), ENV_VAR: str(case.plan), JOURNAL_VAR: str(journal)}
    code, out, err, elapsed, timed_out = _run(recorder_command(case, trace_dir), casedir, env)
    firings, counts = read_journal(journal)
    result = RunResult(code, out, err, trace_dir, elapsed, timed_out, firings, counts)
    return check(case, base, result), result


@dataclass
class Options:
    """What to sweep."""

    scenarios: tuple[str, ...] = tuple(SCENARIOS)
    kinds: tuple[str, ...] = KINDS
    points: tuple[str, ...] = seams.ALL_POINTS
    policies: str = "rotate"
    modes: tuple[bool, ...] = (False, True)
    max_hits: int = 8
    sample: int | None = None
    seed: int = 0
    jobs: int = os.cpu_count() or 2
    keep: bool = False
    progress: int = 0  # print a progress line to stderr every N runs (0: never)


def build_cases(name: str, script: Path, counts: dict[str, int], opts: Options) -> list[Case]:
    """Every case of one scenario."""
    cases: list[Case] = []
    for point in opts.points:
        for nth in hits_to_try(point, counts.get(point, 0), opts.max_hits):
            for kind in kinds_for(point):
                if kind not in opts.kinds:
                    continue
                for persistent in opts.modes:
                    policy = Policy()
                    cases.append(Case(name, script, kind, point, nth, persistent, policy))
    return cases


def assign_policies(cases: list[Case], mode: str) -> list[Case]:
    """Apply ``--policies``: all 16 per case, the default only, or rotate through the 16."""
    if mode == "default":
        return cases
    if mode == "all":
        return [Case(c.scenario, c.script, c.kind, c.point, c.nth, c.persistent, p)
                for c in cases for p in ALL_POLICIES]
    return [Case(c.scenario, c.script, c.kind, c.point, c.nth, c.persistent,
                 ALL_POLICIES[i % len(ALL_POLICIES)]) for i, c in enumerate(cases)]


def _execute(jobs: int, work: Iterable[tuple[Case, Path, Baseline]],
             done: Callable[[Case, Path, Verdict, RunResult], None]) -> None:
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(run_case, case, casedir, base): (case, casedir)
                   for case, casedir, base in work}
        for future in as_completed(futures):
            case, casedir = futures[future]
            verdict, result = future.result()
            done(case, casedir, verdict, result)


def sweep(opts: Options, root: Path) -> report.SweepReport:
    """Run the sweep in ``root``; the report."""
    started = time.monotonic()
    rep = report.SweepReport()
    work: list[tuple[Case, Path, Baseline]] = []
    for name in opts.scenarios:
        scen_dir = root / name
        scen_dir.mkdir(parents=True)
        # A copy outside the installed package: the recorder does not trace library code.
        script = scen_dir / f"{name}.py"
        shutil.copyfile(SCENARIOS[name], script)
        base = baseline(script, scen_dir)
        counts = count_points(script, scen_dir)
        rep.counts[name] = counts
        cases = assign_policies(build_cases(name, script, counts, opts), opts.policies)
        work += [(case, scen_dir / f"case-{i}", base) for i, case in enumerate(cases)]
    if opts.sample is not None and opts.sample < len(work):
        work = random.Random(opts.seed).sample(work, opts.sample)
    rep.planned = len(work)

    def done(case: Case, casedir: Path, verdict: Verdict, result: RunResult) -> None:
        rep.add(case, verdict, result, reproduce(case))
        if opts.progress and rep.explored % opts.progress == 0:
            console.err(f"sweep: {rep.explored}/{rep.planned} runs, {rep.failed} failed, "
                        f"{time.monotonic() - started:.0f}s")
        if verdict.ok and not opts.keep:
            shutil.rmtree(casedir, ignore_errors=True)

    _execute(opts.jobs, work, done)
    rep.wall_time = time.monotonic() - started
    return rep


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Command-line options of ``python -m fault_injection sweep``."""
    parser.add_argument("--scenario", action="append", choices=sorted(SCENARIOS),
                        help="only this scenario (repeatable; default all)")
    parser.add_argument("--kind", action="append", choices=KINDS, help="only this fault kind")
    parser.add_argument("--point", action="append", choices=seams.ALL_POINTS,
                        help="only this seam")
    parser.add_argument("--policies", choices=("all", "default", "rotate"), default="rotate")
    parser.add_argument("--mode", choices=("both", "transient", "persistent"), default="both")
    parser.add_argument("--max-hits", type=int, default=8, help="hits tried per seam (default 8)")
    parser.add_argument("--sample", type=int, default=None, help="run a random subset of N runs")
    parser.add_argument("--seed", type=int, default=0, help="seed of --sample (default 0)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--progress", type=int, default=0, metavar="N",
                        help="print a progress line to stderr every N runs")
    parser.add_argument("--json", type=Path, default=Path("fault-sweep.json"),
                        help="where to write the JSON report (default fault-sweep.json)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep run directories here (default: a temporary directory)")


def options_from(args: argparse.Namespace) -> Options:
    """:class:`Options` from parsed arguments."""
    if args.jobs < 1 or args.max_hits < 1:
        raise HarnessUsageError("--jobs and --max-hits must be at least 1")
    modes = {"both": (False, True), "transient": (False,), "persistent": (True,)}[args.mode]
    return Options(
        scenarios=tuple(args.scenario or SCENARIOS), kinds=tuple(args.kind or KINDS),
        points=tuple(args.point or seams.ALL_POINTS), policies=args.policies, modes=modes,
        max_hits=args.max_hits, sample=args.sample, seed=args.seed, jobs=args.jobs,
        keep=args.workdir is not None, progress=args.progress)


def run_cli(args: argparse.Namespace) -> int:
    """Run the sweep, print the table and failures, write the JSON report; 0 when all passed."""
    opts = options_from(args)
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        rep = sweep(opts, Path(tempfile.mkdtemp(prefix="sweep-", dir=args.workdir)))
    else:
        with tempfile.TemporaryDirectory(prefix="fault-sweep-") as tmp:
            rep = sweep(opts, Path(tmp))
    for line in rep.render():
        console.out(line)
    rep.write_json(args.json)
    console.out(f"JSON report: {args.json}")
    return 0 if rep.failed == 0 else 1
