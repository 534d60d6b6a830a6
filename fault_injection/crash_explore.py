"""The crash explorer as a subject of the sweep's engine: record once, build and check each state.

:class:`CrashSubject` does the clean run (:mod:`fault_injection.crash_log`), refuses what cannot
be explored (usage errors, each with its code), resolves the log (:mod:`fault_injection.crash_fs`)
and lists one :class:`CrashCase` per distinct crash state of each model
(:mod:`fault_injection.crash_models`): states byte-for-byte equal to one already listed, at any
point or in any model, are checked once. :mod:`fault_injection.runs` then runs the cases
(``--jobs``, ``--shard``, progress) as it runs a sweep's; each run builds its state in a fresh
directory and checks it (:mod:`fault_injection.crash_check`); a broken one gets its smallest cause
and remedy (:mod:`fault_injection.crash_causes`) and a reproducer command.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fault_injection.bootenv import check_command
from fault_injection.crash_causes import cause
from fault_injection.crash_check import (
    CrashOracle,
    References,
    StateResult,
    check_oracle_paths,
    check_state,
    run_recover,
    verdict,
)
from fault_injection.crash_fs import Event, Fs, annotate
from fault_injection.crash_log import Recording, record
from fault_injection.crash_models import DEFAULT_CAP, MODELS, Choice, build, space
from fault_injection.errors import CrashUsageError, SweepUsageError
from fault_injection.invariants import Verdict

SUBJECT = "crash"


@dataclass
class CrashSettings:
    """What to explore, and how."""

    command: tuple[str, ...]
    fixture: Path | None = None
    oracle: CrashOracle = field(default_factory=CrashOracle)
    oracle_path: Path | None = None
    models: tuple[str, ...] = tuple(MODELS)
    cap: int = DEFAULT_CAP
    seed: int = 0
    only: Choice | None = None  # --state: just this one


@dataclass(frozen=True)
class CrashCase:
    """One distinct crash state to check."""

    choice: Choice
    kind: str  # the operation right before the crash: open, write, rename, ...

    @property
    def scenario(self) -> str:
        """The model (the report's first column)."""
        return self.choice.model

    @property
    def name(self) -> str:
        """The state's spec (what ``--state`` takes)."""
        return self.choice.spec


@dataclass
class Coverage:
    """Per model: states the model allows, choices drawn, distinct states, sampled points."""

    allowed: int = 0
    drawn: int = 0
    distinct: int = 0
    sampled_points: int = 0


class CrashSubject:
    """A program's crash states; creating it does the clean run and lists the states."""

    def __init__(self, settings: CrashSettings, workdir: Path) -> None:
        self.name = SUBJECT
        self.settings = settings
        fixture = settings.fixture
        if fixture is not None and not fixture.is_dir():
            raise SweepUsageError("ERR_FIXTURE_MISSING", f"the fixture {fixture} is not a "
                                  f"directory")
        if fixture is not None:
            check_oracle_paths(settings.oracle, fixture)
        check_command(settings.command, fixture)
        self.recording = record(settings.command, fixture, workdir)
        self._check_clean(self.recording)
        self.start = Fs.from_tree(self.recording.before)
        self.events: list[Event] = annotate(self.recording.ops, self.start)
        self.ref = References.of(settings.oracle, fixture, self.recording.workdir)
        replayed = build(self.events, self.start, Choice("process-crash", len(self.events)))
        # Replaying the whole log must give what the clean run left; where it does not, the
        # program changed files through calls the seams do not see, and no state models those.
        self.unexplained = sorted(name for name, value in replayed.tree().items()
                                  if self.recording.after.get(name, ...) != value) + sorted(
            name for name in self.recording.after if name not in replayed.tree())
        self.coverage: dict[str, Coverage] = {}
        self._cases = self._list_cases()
        self.counts = {model: cov.distinct for model, cov in self.coverage.items()}

    def _check_clean(self, rec: Recording) -> None:
        command = shlex.join(self.settings.command)
        if not rec.loaded:
            raise SweepUsageError(
                "ERR_BOOTSTRAP_NOT_LOADED", f"the clean run of {command} did not load the "
                f"seams (exit {rec.process.returncode}; is it a Python 3.11+ program?)")
        if rec.process.timed_out or rec.process.returncode != 0:
            tail = rec.process.stderr.decode("utf-8", "backslashreplace").strip().splitlines()
            raise SweepUsageError("ERR_CLEAN_RUN_FAILED", f"the clean run exited "
                                  f"{rec.process.returncode}: {' | '.join(tail[-3:]) or '-'}")
        if not any(op.kind != "open" or op.flags & (os.O_CREAT | os.O_TRUNC) for op in rec.ops):
            raise CrashUsageError("ERR_CRASH_NOTHING_TO_EXPLORE", f"{command} changed nothing "
                                  f"under the fixture ({len(rec.ops)} calls logged)")
        done = run_recover(self.settings.oracle, rec.workdir)
        if done is not None and (done.timed_out or done.returncode != 0):
            last = (done.stderr.decode("utf-8", "backslashreplace").strip().splitlines()
                    or ["no stderr"])[-1]
            raise CrashUsageError("ERR_CRASH_RECOVER_FAILS", f"recover "
                                  f"{shlex.join(self.settings.oracle.recover)} exited "
                                  f"{done.returncode} on the clean run's result: {last[:160]}")

    def _list_cases(self) -> list[CrashCase]:
        only = self.settings.only
        points = range(1, len(self.events) + 1)
        if only is not None:
            if only.model not in MODELS or only.point not in points:
                raise CrashUsageError("ERR_CRASH_STATE_INVALID", f"--state {only.spec}: the "
                                      f"log has crash points 1..{len(self.events)}")
            return [CrashCase(only, self.events[only.point - 1].op.kind)]
        seen: set[str] = set()
        cases: list[CrashCase] = []
        for model in self.settings.models:
            cov = self.coverage.setdefault(model, Coverage())
            for point in points:
                found = space(model, self.events, self.start, point, self.settings.cap,
                              self.settings.seed)
                cov.allowed += found.total
                cov.drawn += len(found.choices)
                cov.sampled_points += found.sampled
                for choice in found.choices:
                    key = build(self.events, self.start, choice).key()
                    if key not in seen:
                        seen.add(key)
                        cov.distinct += 1
                        cases.append(CrashCase(choice, self.events[point - 1].op.kind))
        return cases

    def cases(self) -> Sequence[CrashCase]:
        """Every distinct crash state to check."""
        return self._cases

    def run(self, case: CrashCase, casedir: Path) -> tuple[Verdict, StateResult]:
        """Build ``case``'s state in ``casedir/state`` and check it."""
        casedir.mkdir(parents=True)
        state = casedir / "state"
        build(self.events, self.start, case.choice).materialize(state)
        result = check_state(self.settings.oracle, self.ref, state)
        found = verdict(result)
        if not found.ok:
            why = cause(self.events, case.choice)
            found.violations += [f"cause: {why.text}", f"remedy: {why.remedy}",
                                 f"operations lost: {why.lost}"]
        return found, result

    def reproduce(self, case: CrashCase) -> str:
        """A shell command that rebuilds this one state (kept in a directory) and checks it."""
        args = [sys.executable, "-m", "fault_injection", "crash"]
        if self.settings.fixture is not None:
            args += ["--fixture", str(self.settings.fixture.resolve())]
        if self.settings.oracle_path is not None:
            args += ["--oracle", str(self.settings.oracle_path.resolve())]
        args += ["--state", case.name, "--workdir", "crash-state", "--", *self.settings.command]
        return shlex.join(args)

    def coverage_lines(self) -> list[str]:
        """What each model allowed and what was checked (sampling made explicit)."""
        lines = [f"crash points: {len(self.events)} logged operations"]
        if self.unexplained:
            lines.append(f"WARNING: replaying the log does not give the clean run's result at "
                         f"{', '.join(self.unexplained[:5])} (changed through calls the seams "
                         f"do not see: those changes are in no crash state)")
        for model, cov in self.coverage.items():
            text = (f"{model}: {cov.allowed} states allowed, {cov.distinct} distinct new states "
                    f"checked")
            if cov.sampled_points:
                text += (f" (sampled: {cov.sampled_points} points over the cap of "
                         f"{self.settings.cap}; {cov.drawn} of {cov.allowed} choices drawn, "
                         f"seed {self.settings.seed})")
            lines.append(text)
        return lines
