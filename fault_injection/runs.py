"""The sweep's engine, shared by every configuration: hits to fail, running, sampling, reporting.

A configuration (the recorder's, :mod:`fault_injection.recorder_sweep`; any program's,
:mod:`fault_injection.program_sweep`) turns what it sweeps into :class:`Subject` s: each has done
its clean runs and knows its cases, how to run and check one in a fresh directory, and the shell
command that reproduces it. :func:`execute` runs the cases of all subjects (a seeded sample of
them with ``sample``), ``jobs`` independent subprocesses at a time, and collects the
:class:`~fault_injection.report.SweepReport`.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from fault_injection import console, report
from fault_injection.invariants import Verdict
from fault_injection.progress import Progress
from recorder import seams

RUN_TIMEOUT = 60.0


@dataclass(frozen=True)
class Process:
    """What one subprocess did."""

    returncode: int
    stdout: bytes
    stderr: bytes
    elapsed: float
    timed_out: bool = False


def run_process(cmd: Sequence[str], cwd: Path, env: Mapping[str, str],
                timeout: float = RUN_TIMEOUT) -> Process:
    """Run ``cmd`` with no stdin, capturing its output; a hang is reported, not waited for."""
    started = time.monotonic()
    try:
        done = subprocess.run(list(cmd), cwd=cwd, env=dict(env), capture_output=True,
                              timeout=timeout, check=False, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        return Process(-9, exc.stdout or b"", exc.stderr or b"", time.monotonic() - started, True)
    return Process(done.returncode, done.stdout, done.stderr, time.monotonic() - started)


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


class Subject(Protocol):
    """One prepared program of a sweep: its clean runs are done, its cases known."""

    name: str
    counts: dict[str, int]

    def cases(self) -> Sequence[Any]:
        """Every faulted run of this subject (each has ``scenario``, ``kind`` and ``name``)."""
        ...

    def run(self, case: Any, casedir: Path) -> tuple[Verdict, Any]:
        """Run ``case`` in the new directory ``casedir`` and check it."""
        ...

    def reproduce(self, case: Any) -> str:
        """A self-contained shell command that reproduces ``case``."""
        ...


@dataclass
class Execution:
    """How to run the cases: sampling, parallelism, what to keep, progress."""

    sample: int | None = None
    seed: int = 0
    jobs: int = os.cpu_count() or 2
    keep: bool = False
    progress: int | None = None  # None: automatic; 0: none; N: a plain line every N runs
    shard: tuple[int, int] | None = None  # (K, N): run the Kth of N balanced parts
    label: tuple[str, str] = ("sweep", "runs")  # the progress line's name and unit


def fingerprint(names: Sequence[str]) -> str:
    """A fingerprint of a sweep's full run list: shards of one sweep share it."""
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:16]


def shard_of(work: Sequence[Any], shard: tuple[int, int]) -> list[Any]:
    """The Kth of N parts of ``work``: every Nth run from the Kth, so each part is a mix of
    every point and kind (balanced), and the N parts together are ``work`` exactly."""
    index, count = shard
    return [item for i, item in enumerate(work) if i % count == index - 1]


def execute(subjects: Sequence[Subject], how: Execution, root: Path,
            started: float | None = None) -> report.SweepReport:
    """Run the cases of ``subjects`` (directories under ``root``); the report."""
    started = time.monotonic() if started is None else started
    rep = report.SweepReport()
    work: list[tuple[Subject, Any, Path]] = []
    for subject in subjects:
        rep.counts[subject.name] = subject.counts
        work += [(subject, case, root / subject.name / f"case-{i}")
                 for i, case in enumerate(subject.cases())]
    if how.sample is not None and how.sample < len(work):
        work = random.Random(how.seed).sample(work, how.sample)
    rep.fingerprint = fingerprint([case.name for _, case, _ in work])
    rep.runs_in_sweep = len(work)
    if how.shard is not None:
        rep.shard = how.shard
        work = shard_of(work, how.shard)
    rep.runs = sorted(case.name for _, case, _ in work)
    rep.planned = len(work)
    live = how.progress is None and console.is_terminal()
    shown = None if how.progress == 0 else Progress(rep.planned, live, how.progress or 0,
                                                    name=how.label[0], noun=how.label[1])
    with ThreadPoolExecutor(max_workers=how.jobs) as pool:
        futures = {pool.submit(subject.run, case, casedir): (subject, case, casedir)
                   for subject, case, casedir in work}
        for future in as_completed(futures):
            subject, case, casedir = futures[future]
            verdict, result = future.result()
            rep.add(case, verdict, result, subject.reproduce(case))
            if shown is not None:
                shown.update(rep.explored, rep.failed)
            if verdict.ok and not how.keep:
                shutil.rmtree(casedir, ignore_errors=True)
    if shown is not None:
        shown.finish()
    rep.wall_time = time.monotonic() - started
    return rep
