"""Any Python program's configuration of the sweep: the bootstrap's seams and an oracle file.

``python -m fault_injection sweep [--fixture DIR] [--oracle FILE] -- COMMAND...``: the command
runs in a fresh copy of the fixture (its working directory) with the bootstrap loaded
(:mod:`fault_injection.bootenv`), every run with ``PYTHONHASHSEED=0``. The clean run is done
twice: it must succeed (its exit status in ``exit-in``, or 0) and both runs must agree on the
sequence of counted calls, on their stdout when ``stdout`` is checked, and on every ``atomic``
path's bytes - otherwise the sweep stops with a usage error naming the difference. Then every
counted point, each hit of it (capped by ``--max-hits``, as for the recorder) and each fault kind
the point offers run once transient and once persistent, each checked by
:mod:`fault_injection.program_check`.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fault_injection.bootenv import check_command, seams_env
from fault_injection.errors import SweepUsageError
from fault_injection.exec import JOURNAL_VAR
from fault_injection.invariants import Verdict
from fault_injection.oracle import Oracle, check_paths
from fault_injection.plan import ENV_VAR, OS_POINTS, FaultPlan, single
from fault_injection.program_check import ProgramResult, check_run, references
from fault_injection.runs import Process, hits_to_try, run_process

_SIGINT = ("sigint",)
#: The kinds each point is failed with: the errors its system call really returns, and Ctrl-C.
OS_KINDS: dict[str, tuple[str, ...]] = {
    "os.open": ("enospc", "eacces", "erofs", "eio", *_SIGINT),
    "os.write": ("enospc", "eio", "efbig", *_SIGINT),
    "os.pwrite": ("enospc", "eio", "efbig", *_SIGINT),
    "os.ftruncate": ("eio", "efbig", *_SIGINT),
    "os.truncate": ("eacces", "eio", "efbig", *_SIGINT),
    "os.fsync": ("eio", "enospc", *_SIGINT),
    "os.fdatasync": ("eio", "enospc", *_SIGINT),
    "os.replace": ("eacces", "erofs", "enospc", "eio", *_SIGINT),
    "os.rename": ("eacces", "erofs", "enospc", "eio", *_SIGINT),
    "os.mkdir": ("eacces", "erofs", "enospc", "eio", *_SIGINT),
    "os.rmdir": ("eacces", "erofs", "eio", *_SIGINT),
    "os.unlink": ("eacces", "erofs", "eio", *_SIGINT),
    "os.sendfile": ("enospc", "eio", "efbig", *_SIGINT),
}
PROGRAM = "program"  # the subject's name in the report


@dataclass(frozen=True)
class ProgramCase:
    """One faulted run: a kind at the Nth hit of a point, transient or persistent."""

    scenario: str
    kind: str
    point: str
    nth: int
    persistent: bool

    @property
    def plan(self) -> FaultPlan:
        """The fault plan of this case."""
        return single(self.kind, self.point, self.nth, persistent=self.persistent)

    @property
    def name(self) -> str:
        """A unique, readable name."""
        return f"{self.scenario}:{self.plan}"


@dataclass
class Journal:
    """What the bootstrap wrote: whether it loaded, the counted calls, firings, counts."""

    loaded: bool = False
    ops: list[dict[str, Any]] | None = None
    fired: list[dict[str, Any]] | None = None
    counts: dict[str, int] | None = None


def read_journal(path: Path) -> Journal:
    """Parse a bootstrap journal (a missing file: nothing loaded)."""
    journal = Journal(ops=[], fired=[], counts={})
    if not path.exists():
        return journal
    for line in path.read_text(encoding="utf-8").splitlines():
        data = json.loads(line) if line.strip() else {}
        event = data.get("event")
        if event == "loaded":
            journal.loaded = True
        elif event == "op" and journal.ops is not None:
            journal.ops.append(data)
        elif event == "fired" and journal.fired is not None:
            journal.fired.append(data)
        elif event == "counts":
            journal.counts = {str(k): int(v) for k, v in data["hits"].items()}
    return journal


def program_env() -> dict[str, str]:
    """Our environment without fault variables, with a fixed hash seed."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("FAULT_SEAMS_") and k not in (ENV_VAR, JOURNAL_VAR)}
    env["PYTHONHASHSEED"] = "0"
    return env


@dataclass
class Settings:
    """What to sweep of a program."""

    command: tuple[str, ...]
    fixture: Path | None = None
    oracle: Oracle = field(default_factory=Oracle)
    only_under: tuple[str, ...] = (".",)
    kinds: tuple[str, ...] | None = None
    points: tuple[str, ...] | None = None
    modes: tuple[bool, ...] = (False, True)
    max_hits: int = 8


class ProgramSubject:
    """A program as a sweep subject; creating it does and checks the two clean runs.

    The points, the kinds at each point, how one run is executed and how it is reproduced are
    overridable: :mod:`fault_injection.syscall_sweep` fails system calls with strace instead.
    """

    points: tuple[str, ...] = OS_POINTS
    kinds_at: dict[str, tuple[str, ...]] = OS_KINDS

    def __init__(self, settings: Settings, workdir: Path) -> None:
        self.name = PROGRAM
        self.settings = settings
        self.workdir = workdir
        if settings.fixture is not None and not settings.fixture.is_dir():
            raise SweepUsageError("ERR_FIXTURE_MISSING",
                                  f"the fixture {settings.fixture} is not a directory")
        if settings.fixture is not None:
            check_paths(settings.oracle, settings.fixture)
        self.check_command()
        first, journal = self._clean("clean-1")
        second, journal2 = self._clean("clean-2")
        self._check_clean(first)
        self.ref = references(settings.oracle, settings.fixture, workdir / "clean-1",
                              first.stdout, first.stderr, first.returncode)
        self._check_deterministic(journal, journal2, first, second)
        self.counts = journal.counts or {}
        self.ops = journal.ops or []

    def _fresh(self, directory: Path) -> Path:
        if self.settings.fixture is None:
            directory.mkdir(parents=True)
        else:
            shutil.copytree(self.settings.fixture, directory, symlinks=True)
        return directory

    def check_command(self) -> None:
        """Refuse a command the bootstrap cannot enter (a usage error)."""
        check_command(self.settings.command, self.settings.fixture)

    def execute(self, case: ProgramCase | None, directory: Path,
                log_ops: bool) -> tuple[Process, Journal]:
        """Run the command in a fresh copy (``directory``) with ``case``'s fault, or clean."""
        journal = directory.parent / f"{directory.name}.journal.jsonl"
        plan = FaultPlan() if case is None else case.plan
        env = seams_env(program_env(), plan, self.settings.only_under, journal, log_ops)
        done = run_process(self.settings.command, self._fresh(directory), env)
        return done, read_journal(journal)

    def _clean(self, name: str) -> tuple[Process, Journal]:
        done, journal = self.execute(None, self.workdir / name, log_ops=True)
        if not journal.loaded:
            raise SweepUsageError(
                "ERR_BOOTSTRAP_NOT_LOADED",
                f"the clean run of {shlex.join(self.settings.command)} did not load the fault "
                f"seams (exit {done.returncode}; is it a Python 3.11+ program?)")
        return done, journal

    def _check_clean(self, done: Process) -> None:
        allowed = self.settings.oracle.exit_in or (0,)
        if done.timed_out or done.returncode not in allowed:
            tail = done.stderr.decode("utf-8", "backslashreplace").strip().splitlines()[-3:]
            raise SweepUsageError(
                "ERR_CLEAN_RUN_FAILED",
                f"the clean run exited {done.returncode} (accepted: "
                f"{', '.join(map(str, allowed))}): {' | '.join(tail) or 'no stderr'}")

    def _check_deterministic(self, one: Journal, two: Journal, first: Process,
                             second: Process) -> None:
        seq1 = [op["op"] for op in one.ops or []]
        seq2 = [op["op"] for op in two.ops or []]
        if seq1 != seq2:
            at = next((i for i, (a, b) in enumerate(zip(seq1, seq2, strict=False)) if a != b),
                      min(len(seq1), len(seq2)))
            calls = [seq[at] if at < len(seq) else "(end)" for seq in (seq1, seq2)]
            raise SweepUsageError(
                "ERR_NONDETERMINISTIC",
                f"the two clean runs differ in their counted calls at call {at + 1}: "
                f"{calls[0]} vs {calls[1]} ({len(seq1)} vs {len(seq2)} calls)")
        if self.settings.oracle.stdout is not None and first.stdout != second.stdout:
            raise SweepUsageError("ERR_NONDETERMINISTIC",
                                  "the two clean runs printed different stdout")
        second_ref = references(self.settings.oracle, self.settings.fixture,
                                self.workdir / "clean-2", b"", b"", 0)
        for path in self.settings.oracle.atomic:
            if second_ref.after[path] != self.ref.after[path]:
                raise SweepUsageError(
                    "ERR_NONDETERMINISTIC",
                    f"the two clean runs left different bytes in the atomic path {path!r}")

    def cases(self) -> Sequence[ProgramCase]:
        """Every faulted run: point x hit x kind x transient/persistent."""
        settings = self.settings
        cases: list[ProgramCase] = []
        for point in self.points:
            if settings.points is not None and point not in settings.points:
                continue
            for nth in hits_to_try(point, self.counts.get(point, 0), settings.max_hits):
                for kind in self.kinds_at[point]:
                    if settings.kinds is None or kind in settings.kinds:
                        cases.extend(ProgramCase(self.name, kind, point, nth, persistent)
                                     for persistent in settings.modes)
        return cases

    def run(self, case: ProgramCase, casedir: Path) -> tuple[Verdict, ProgramResult]:
        """Run ``case`` in a fresh copy of the fixture and check it."""
        casedir.mkdir(parents=True)
        done, journal = self.execute(case, casedir / "work", log_ops=False)
        result = ProgramResult(done.returncode, done.stdout, done.stderr, casedir / "work",
                               done.elapsed, done.timed_out, journal.fired or [])
        return check_run(self.settings.oracle, self.ref, result, case.kind), result

    def reproduce(self, case: ProgramCase) -> str:
        """A shell command that rebuilds the fixture copy and reruns ``case``."""
        fixture = self.settings.fixture
        setup = "d=$(mktemp -d)"
        if fixture is not None:
            setup += f" && cp -a {shlex.quote(str(fixture.resolve()))}/. \"$d\""
        run = shlex.join([sys.executable, "-m", "fault_injection", "run",
                          *[arg for root in self.settings.only_under
                            for arg in ("--only-under", root)], "--", *self.settings.command])
        return (f"{setup} && cd \"$d\" && {ENV_VAR}={shlex.quote(str(case.plan))} "
                f"PYTHONHASHSEED=0 {run}; echo exit=$?")
