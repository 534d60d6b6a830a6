"""Checking one crash state against the oracle file's crash keys.

The crash explorer reads three keys of the sweep's oracle file (:mod:`fault_injection.oracle`)
and ignores the sweep's own (``exit-in``, ``no-traceback``, ``stdout``, ``no-leftovers``)::

    recover = ["python", "load_settings.py"]   # run in the crash state: must exit 0
    atomic = ["settings.json"]                 # then each path as before the run or as after
                                               # the clean run, byte for byte
    no-leftovers-after-crash = ["."]           # no names but those before or after the clean
                                               # run (off by default: temp files are normal)

``recover`` is the program's own reader or start-up: it runs first, so a program that repairs
its files at start-up (the recorder's stale-staging recovery does) is judged on what it repairs
them to. A leading ``python`` or ``python3`` is the interpreter running the explorer.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fault_injection.errors import SweepUsageError
from fault_injection.invariants import Verdict
from fault_injection.oracle import (
    KEYS,
    Oracle,
    Tree,
    check_paths,
    describe,
    read_file,
    snapshot,
)
from fault_injection.program_sweep import program_env
from fault_injection.runs import Process, run_process

CRASH_KEYS = ("atomic", "recover", "no-leftovers-after-crash")
RECOVER_TIMEOUT = 60.0


@dataclass(frozen=True)
class CrashOracle:
    """What every crash state must keep."""

    atomic: tuple[str, ...] = ()
    recover: tuple[str, ...] = ()
    no_leftovers: tuple[str, ...] = ()

    def as_sweep_oracle(self) -> Oracle:
        """The paths as the sweep's oracle has them (to reuse its path checks)."""
        return Oracle(atomic=self.atomic, no_leftovers=self.no_leftovers)


def _invalid(source: str, why: str) -> SweepUsageError:
    return SweepUsageError("ERR_ORACLE_INVALID", f"{source}: {why}")


def _paths(source: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _invalid(source, f"{key} must be a list of paths, e.g. [\"settings.json\"]")
    return tuple(value)


def from_mapping(data: dict[str, Any], source: str) -> CrashOracle:
    """A :class:`CrashOracle` from parsed TOML; the sweep's keys are ignored, others refused."""
    unknown = sorted(set(data) - set(CRASH_KEYS) - set(KEYS))
    if unknown:
        raise _invalid(source, f"unknown key {unknown[0]!r}; the crash explorer's keys are "
                               f"{', '.join(CRASH_KEYS)}")
    recover = data.get("recover", [])
    if not isinstance(recover, list) or not all(isinstance(v, str) and v for v in recover):
        raise _invalid(source, "recover must be a command as a list of strings, e.g. "
                               "[\"python\", \"load_settings.py\"]")
    return CrashOracle(_paths(source, "atomic", data.get("atomic", [])), tuple(recover),
                       _paths(source, "no-leftovers-after-crash",
                              data.get("no-leftovers-after-crash", [])))


def load(path: Path | None) -> CrashOracle:
    """The crash keys of the oracle file at ``path`` (nothing to check when there is none)."""
    if path is None:
        return CrashOracle()
    return from_mapping(read_file(path), str(path))


def check_oracle_paths(oracle: CrashOracle, fixture: Path) -> None:
    """Refuse oracle paths outside the fixture (the sweep's check and error code)."""
    check_paths(oracle.as_sweep_oracle(), fixture)


@dataclass(frozen=True)
class References:
    """The oracle's paths before the run (the fixture) and after the clean run."""

    before: dict[str, Tree | None]
    after: dict[str, Tree | None]

    @classmethod
    def of(cls, oracle: CrashOracle, fixture: Path | None, clean: Path) -> References:
        """The references of ``oracle``'s paths."""
        paths = oracle.atomic + oracle.no_leftovers
        return cls({p: snapshot(fixture, p) if fixture is not None else None for p in paths},
                   {p: snapshot(clean, p) for p in paths})


@dataclass
class StateResult:
    """What checking one state did (the report's view of a run)."""

    returncode: int = 0
    elapsed: float = 0.0
    stderr: bytes = b""
    violations: list[str] = field(default_factory=list)

    @property
    def stderr_text(self) -> str:
        """The recover command's stderr, decoded."""
        return self.stderr.decode("utf-8", "backslashreplace")


def recover_command(oracle: CrashOracle) -> list[str]:
    """The recover command, ``python`` being this interpreter."""
    command = list(oracle.recover)
    if command and command[0] in ("python", "python3"):
        command[0] = sys.executable
    return command


def run_recover(oracle: CrashOracle, state: Path) -> Process | None:
    """Run the recover command in ``state`` (None when the oracle has none)."""
    if not oracle.recover:
        return None
    return run_process(recover_command(oracle), state, program_env(), RECOVER_TIMEOUT)


def check_state(oracle: CrashOracle, ref: References, state: Path) -> StateResult:
    """Every crash promise of ``oracle`` in the crash state built at ``state``."""
    started = time.monotonic()
    result = StateResult()
    done = run_recover(oracle, state)
    if done is not None:
        result.returncode, result.stderr = done.returncode, done.stderr
        if done.timed_out or done.returncode != 0:
            last = (done.stderr.decode("utf-8", "backslashreplace").strip().splitlines()
                    or ["no stderr"])[-1]
            how = "timed out" if done.timed_out else f"exited {done.returncode}"
            result.violations.append(f"recover {' '.join(oracle.recover)} {how}: "
                                     f"{last[:160]} (recover)")
    for path in oracle.atomic:
        tree = snapshot(state, path)
        before, after = ref.before[path], ref.after[path]
        if tree not in (before, after):
            result.violations.append(
                f"{path} is torn: {describe(tree)}, neither as before the run "
                f"({describe(before)}) nor as after the clean run ({describe(after)}) (atomic)")
    for path in oracle.no_leftovers:
        known = set(ref.before[path] or {}) | set(ref.after[path] or {})
        extra = sorted(name for name in snapshot(state, path) or {} if name not in known)
        if extra:
            shown = ", ".join(f"{path.rstrip('/')}/{name}" for name in extra[:5])
            result.violations.append(f"left behind: {shown} (no-leftovers-after-crash)")
    result.elapsed = time.monotonic() - started
    return result


def verdict(result: StateResult) -> Verdict:
    """The engine's verdict for a checked state."""
    return Verdict(list(result.violations), "broken" if result.violations else "kept")
