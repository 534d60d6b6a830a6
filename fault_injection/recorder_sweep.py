"""The recorder's configuration of the sweep: its scenarios, its seams and its policy oracle.

SQLite's method: for each scenario program (:mod:`fault_injection.scenarios`), run it untraced
(the baseline), count the recorder's seams in a clean traced run (``count`` mode), then for each
seam, each hit of it and each fault kind run the recorder's command line once with a *transient*
fault (that hit fails) and once with a *persistent* one (every hit from that one fails), under
policy combinations, and check the policy table's promises (:mod:`fault_injection.invariants`).
The engine that runs the cases is the generic one (:mod:`fault_injection.runs`).

Which hits are tried: every hit of an output-layer or lifecycle seam; for the tracer callbacks
(thousands of hits) the first, second, middle and last hit (``--max-hits`` caps every point the
same way, evenly spread). Kinds per seam family: output layer ``enospc eacces erofs eio efbig
crash sigint``; callbacks ``crash sigint``; lifecycle ``enospc eio crash sigint``.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fault_injection.exec import JOURNAL_VAR
from fault_injection.injector import read_journal
from fault_injection.invariants import Verdict, check
from fault_injection.model import ALL_POLICIES, Baseline, Case, Policy, RunResult
from fault_injection.plan import ENV_VAR, KINDS
from fault_injection.runs import hits_to_try, run_process
from fault_injection.scenarios import SCENARIOS
from recorder import seams

IO_KINDS = ("enospc", "eacces", "erofs", "eio", "efbig", "crash", "sigint")
CALLBACK_KINDS = ("crash", "sigint")
LIFECYCLE_KINDS = ("enospc", "eio", "crash", "sigint")


def kinds_for(point: str) -> tuple[str, ...]:
    """The fault kinds the sweep tries at ``point``."""
    if point in seams.IO_POINTS:
        return IO_KINDS
    if point in seams.CALLBACK_POINTS:
        return CALLBACK_KINDS
    return LIFECYCLE_KINDS


def clean_env() -> dict[str, str]:
    """The environment of every run: ours minus policy and fault variables, a fixed hash seed."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CODETRACER_", "FAULT_SEAMS_")) and k not in (ENV_VAR, JOURNAL_VAR)}
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


def baseline(script: Path, workdir: Path) -> Baseline:
    """The untraced run of ``script``."""
    done = run_process([sys.executable, str(script)], workdir, clean_env())
    return Baseline(done.stdout, done.stderr, done.returncode)


def count_points(script: Path, workdir: Path) -> dict[str, int]:
    """Hits per seam in a clean traced run of ``script``."""
    journal = workdir / "count.jsonl"
    env = {**clean_env(), JOURNAL_VAR: str(journal)}
    cmd = [sys.executable, "-m", "fault_injection", "count", "--trace-dir",
           str(workdir / "count-trace"), str(script)]
    run_process(cmd, workdir, env)
    return read_journal(journal)[1]


def run_case(case: Case, casedir: Path, base: Baseline) -> tuple[Verdict, RunResult]:
    """Run one faulted case in ``casedir`` and check it."""
    outdir = casedir / "out"
    outdir.mkdir(parents=True)
    journal = casedir / "journal.jsonl"
    trace_dir = outdir / "trace"
    env = {**clean_env(), ENV_VAR: str(case.plan), JOURNAL_VAR: str(journal)}
    done = run_process(recorder_command(case, trace_dir), casedir, env)
    firings, counts = read_journal(journal)
    result = RunResult(done.returncode, done.stdout, done.stderr, trace_dir, done.elapsed,
                       done.timed_out, firings, counts)
    return check(case, base, result), result


@dataclass
class Options:
    """What to sweep of the recorder (the engine's options are in :class:`runs.Execution`)."""

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
    progress: int | None = None  # None: automatic; 0: none; N: a line on stderr every N runs


def build_cases(name: str, script: Path, counts: dict[str, int], opts: Options) -> list[Case]:
    """Every case of one scenario."""
    cases: list[Case] = []
    for point in opts.points:
        for nth in hits_to_try(point, counts.get(point, 0), opts.max_hits):
            for kind in kinds_for(point):
                if kind not in opts.kinds:
                    continue
                for persistent in opts.modes:
                    cases.append(Case(name, script, kind, point, nth, persistent, Policy()))
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


class ScenarioSubject:
    """One recorder scenario as a sweep subject (baseline and seam counts done on creation)."""

    def __init__(self, name: str, workdir: Path, opts: Options) -> None:
        workdir.mkdir(parents=True)
        # A copy outside the installed package: the recorder does not trace library code.
        script = workdir / f"{name}.py"
        shutil.copyfile(SCENARIOS[name], script)
        self.name = name
        self.base = baseline(script, workdir)
        self.counts = count_points(script, workdir)
        self._cases = assign_policies(build_cases(name, script, self.counts, opts), opts.policies)

    def cases(self) -> Sequence[Case]:
        """Every faulted run of this scenario."""
        return self._cases

    def run(self, case: Case, casedir: Path) -> tuple[Verdict, RunResult]:
        """Run one case and check it against the policy table."""
        return run_case(case, casedir, self.base)

    def reproduce(self, case: Case) -> str:
        """The shell command that reproduces ``case``."""
        return reproduce(case)


def subjects(opts: Options, root: Path) -> list[ScenarioSubject]:
    """The selected scenarios, prepared under ``root``."""
    return [ScenarioSubject(name, root / name, opts) for name in opts.scenarios]
