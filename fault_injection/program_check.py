"""Checking one faulted run of any program against its oracle (:mod:`fault_injection.oracle`).

The references come from the sweep's clean runs: the fixture as it was before any run, the
tree of each ``atomic`` and ``no-leftovers`` path after the clean run, and the clean run's
stdout and stderr. :func:`check_run` returns the broken promises as sentences (none: the run
kept every promise), the same :class:`~fault_injection.invariants.Verdict` the recorder's
configuration returns, so the engine and the report treat both alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fault_injection.invariants import Verdict
from fault_injection.oracle import SIGINT_EXITS, TRACEBACK, Oracle, Tree, describe, snapshot


@dataclass(frozen=True)
class References:
    """What the clean runs left, to compare every faulted run with."""

    stdout: bytes
    stderr: bytes
    returncode: int
    before: dict[str, Tree | None]  # the oracle's paths in the fixture
    after: dict[str, Tree | None]   # the oracle's paths after the clean run


@dataclass
class ProgramResult:
    """What one faulted run did."""

    returncode: int
    stdout: bytes
    stderr: bytes
    workdir: Path
    elapsed: float
    timed_out: bool = False
    firings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def stderr_text(self) -> str:
        """stderr decoded (undecodable bytes escaped)."""
        return self.stderr.decode("utf-8", "backslashreplace")


def references(oracle: Oracle, fixture: Path | None, clean_dir: Path, stdout: bytes,
               stderr: bytes, returncode: int) -> References:
    """The references of a sweep from its first clean run (in ``clean_dir``)."""
    paths = oracle.atomic + oracle.no_leftovers
    before = {p: (snapshot(fixture, p) if fixture is not None else None) for p in paths}
    after = {p: snapshot(clean_dir, p) for p in paths}
    return References(stdout, stderr, returncode, before, after)


def _interrupted(result: ProgramResult) -> bool:
    """True when the run ended as Python ends after Ctrl-C."""
    lines = result.stderr_text.splitlines()
    return result.returncode in SIGINT_EXITS and (not lines or lines[-1] == "KeyboardInterrupt")


def _exit_and_output(oracle: Oracle, ref: References, result: ProgramResult, sigint: bool,
                     out: list[str]) -> None:
    ctrl_c = sigint and _interrupted(result)
    if oracle.exit_in is not None and result.returncode not in oracle.exit_in and not ctrl_c:
        wanted = ", ".join(str(s) for s in oracle.exit_in)
        out.append(f"exit status {result.returncode}, expected one of {wanted} (exit-in)")
    if oracle.no_traceback:
        extra = result.stderr_text.count(TRACEBACK) - ref.stderr.decode(
            "utf-8", "backslashreplace").count(TRACEBACK)
        # Ctrl-C pressed again and again (a persistent sigint) may chain KeyboardInterrupts
        # ("During handling of the above exception..."): each is Python's answer to Ctrl-C.
        allowed = result.stderr_text.splitlines().count("KeyboardInterrupt") if ctrl_c else 0
        if extra > allowed:
            last = result.stderr_text.strip().splitlines()[-1:] or [""]
            out.append(f"a Python traceback the clean run does not print: {last[0][:160]!r} "
                       f"(no-traceback)")
    if oracle.stdout == "same" and result.stdout != ref.stdout:
        out.append(f"stdout differs from the clean run's ({len(result.stdout)} bytes vs "
                   f"{len(ref.stdout)}) (stdout = \"same\")")
    elif oracle.stdout == "prefix" and not ref.stdout.startswith(result.stdout):
        out.append("stdout is not a prefix of the clean run's (stdout = \"prefix\")")


def _mixed(tree: Tree, before: Tree | None, after: Tree | None) -> str:
    """Which entries of a torn directory come from neither reference, for the message."""
    names = [name for name in sorted(tree) if name and tree[name] != (before or {}).get(
        name, ...) and tree[name] != (after or {}).get(name, ...)]
    return f"; entries matching neither: {', '.join(names[:5])}" if names else \
        "; a mix of entries from before and after"


def _files(oracle: Oracle, ref: References, root: Path, out: list[str]) -> None:
    for path in oracle.atomic:
        state = snapshot(root, path)
        before, after = ref.before[path], ref.after[path]
        if state in (before, after):
            continue
        detail = _mixed(state, before, after) if state is not None and len(state) > 1 else ""
        out.append(f"{path} is torn: {describe(state)}, neither as before the run "
                   f"({describe(before)}) nor as after the clean run ({describe(after)})"
                   f"{detail} (atomic)")
    for path in oracle.no_leftovers:
        state = snapshot(root, path) or {}
        known = set(ref.before[path] or {}) | set(ref.after[path] or {})
        extra = sorted(name for name in state if name not in known)
        if extra:
            shown = ", ".join(f"{path.rstrip('/')}/{name}" for name in extra[:5])
            out.append(f"left behind: {shown}{' ...' if len(extra) > 5 else ''} (no-leftovers)")


def check_run(oracle: Oracle, ref: References, result: ProgramResult, kind: str) -> Verdict:
    """Every promise of ``oracle`` for one faulted run; the verdict."""
    if result.timed_out:
        return Verdict([f"timed out after {result.elapsed:.0f}s (a hang?)"], "hang")
    out: list[str] = []
    sigint = kind == "sigint" and bool(result.firings)
    _exit_and_output(oracle, ref, result, sigint, out)
    _files(oracle, ref, result.workdir, out)
    outcome = "clean" if not result.firings else ("interrupted" if sigint else "failed")
    return Verdict(out, outcome)
