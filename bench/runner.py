"""Running measured commands: wall time and peak RSS of one child, and A/B alternation.

Each command runs under ``bench/helpers/measure.py``, a fresh bare interpreter that spawns it and
reports its wall time and ``ru_maxrss`` from ``wait4`` on its pid: that child's own peak, not the
maximum over every child the runner ever had (``getrusage(RUSAGE_CHILDREN)``), and not inflated
by the runner's own size (a forked child inherits its parent's high-water mark). The child's
stdout and stderr go to files, so a chatty child cannot block on a full pipe.

A variant that fails (missing tool, crash, unexpected exit status) is recorded with its reason
and skipped in later repetitions, so one broken tool never stops the whole run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.stats import rotated

_TAIL = 400
_MEASURE = Path(__file__).resolve().parent / "helpers" / "measure.py"


@dataclass(frozen=True)
class Command:
    """One measured variant: what to run, where, and what counts as success."""

    label: str
    argv: tuple[str, ...]
    env: Mapping[str, str] | None = None
    cwd: Path | None = None
    ok_codes: frozenset[int] = frozenset({0})
    # Emptied before each run (the recorder refuses a non-empty directory that is not a trace,
    # and a stale trace would make size figures lie).
    scratch: Path | None = None
    # Run once untimed before the timed runs (e.g. to fill a cache).
    prime: bool = False
    # Seconds before the command (and its process group) is killed as hung.
    timeout: float = 300.0
    # Variables of the runner's environment the command must not inherit.
    unset: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RunResult:
    """What one run of a command produced."""

    wall: float
    maxrss_kib: int
    returncode: int
    stdout_path: Path
    stderr_tail: str
    # User plus system CPU time of the command's own process (``wait4``).
    cpu: float = 0.0


@dataclass
class Outcome:
    """Every run of one variant, or why it is unavailable."""

    command: Command
    runs: list[RunResult] = field(default_factory=list)
    error: str | None = None
    # Facts gathered by the inspect callback after the first good run (trace size, events, ...).
    facts: dict[str, float] = field(default_factory=dict)

    @property
    def walls(self) -> list[float]:
        return [r.wall for r in self.runs]

    @property
    def cpus(self) -> list[float]:
        return [r.cpu for r in self.runs]

    @property
    def rss_kib(self) -> list[float]:
        return [float(r.maxrss_kib) for r in self.runs]


Inspect = Callable[[Command, RunResult], dict[str, float]]
Progress = Callable[[str], None]


def run_once(cmd: Command, out_dir: Path) -> RunResult:
    """Run ``cmd`` once under the measuring wrapper; raises ``OSError`` if it cannot start."""
    if cmd.scratch is not None:
        shutil.rmtree(cmd.scratch, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k not in cmd.unset}
    if cmd.env is not None:
        env.update(cmd.env)
    out_dir.mkdir(parents=True, exist_ok=True)
    slug = _slug(cmd.label)
    stdout_path = out_dir / f"{slug}.out"
    result_path = out_dir / f"{slug}.json"
    result_path.unlink(missing_ok=True)
    wrapper = (
        sys.executable,
        "-I",
        "-S",
        str(_MEASURE),
        str(result_path),
        str(cmd.timeout),
        "--",
        *cmd.argv,
    )
    with open(stdout_path, "wb") as out, tempfile.TemporaryFile() as err:
        subprocess.run(
            wrapper,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            cwd=cmd.cwd,
            env=env,
            check=False,
        )
        err.seek(0)
        data = err.read()
    tail = data[-_TAIL:].decode("utf-8", "replace")
    report = json.loads(result_path.read_text(encoding="utf-8"))
    if "error" in report:
        raise OSError(str(report["error"]))
    if report.get("timed_out"):
        raise OSError(f"timed out after {cmd.timeout:g} s (killed)")
    # Linux reports ru_maxrss in KiB.
    return RunResult(
        float(report["wall"]),
        int(report["maxrss_kib"]),
        int(report["returncode"]),
        stdout_path,
        tail,
        float(report.get("cpu", 0.0)),
    )


def _slug(label: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in label)


def failure_reason(cmd: Command, result: RunResult) -> str | None:
    """Why ``result`` is not a valid measurement of ``cmd``, or None when it is."""
    if result.returncode in cmd.ok_codes:
        return None
    last = [line for line in result.stderr_tail.splitlines() if line.strip()]
    detail = last[-1].strip() if last else "no output on stderr"
    return f"exit status {result.returncode}: {detail}"


def alternate(
    commands: Sequence[Command],
    reps: int,
    out_dir: Path,
    inspect: Inspect | None = None,
    progress: Progress | None = None,
) -> dict[str, Outcome]:
    """Run every command ``reps`` times, alternating them within each repetition.

    Repetition ``r`` runs the commands in rotated order, so each variant is measured next to the
    others under the same machine conditions; results are keyed by label.
    """
    outcomes = {c.label: Outcome(c) for c in commands}
    by_label = {c.label: c for c in commands}
    for cmd in commands:
        if cmd.prime:
            _attempt(outcomes[cmd.label], out_dir, record=False, inspect=None)
    for rep in range(reps):
        for label in rotated([c.label for c in commands], rep):
            outcome = outcomes[label]
            if outcome.error is not None:
                continue
            if progress is not None:
                progress(f"  [{rep + 1}/{reps}] {by_label[label].label}")
            _attempt(outcome, out_dir, record=True, inspect=inspect)
    return outcomes


def _attempt(outcome: Outcome, out_dir: Path, record: bool, inspect: Inspect | None) -> None:
    cmd = outcome.command
    try:
        result = run_once(cmd, out_dir)
    except (OSError, ValueError, KeyError) as exc:
        # OSError: the wrapper could not start the command; ValueError/KeyError: its report is
        # missing or malformed (the wrapper itself was killed).
        outcome.error = str(exc) or type(exc).__name__
        return
    reason = failure_reason(cmd, result)
    if reason is not None:
        outcome.error = reason
        return
    if not record:
        return
    if inspect is not None and not outcome.facts:
        try:
            outcome.facts = inspect(cmd, result)
        except (OSError, ValueError) as exc:
            outcome.error = f"output unreadable: {exc}"
            return
    outcome.runs.append(result)
