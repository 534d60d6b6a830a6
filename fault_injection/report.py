"""The sweep's report: a table (scenario x fault: explored, passed, failed), failures with the
command that reproduces each, and the same data as JSON."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from fault_injection.invariants import Verdict


class CaseLike(Protocol):
    """What the report needs of a case (the recorder's and a program's cases have it)."""

    @property
    def scenario(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...


class ResultLike(Protocol):
    """What the report needs of a run's result."""

    returncode: int
    elapsed: float

    @property
    def stderr_text(self) -> str: ...


@dataclass
class Failure:
    """One run that broke an invariant."""

    case: str
    violations: list[str]
    reproduce: str
    returncode: int
    stderr_tail: str


@dataclass(frozen=True)
class Record:
    """One run, passed or not (what a JUnit test case is made of)."""

    name: str
    scenario: str
    kind: str
    time: float
    ok: bool


@dataclass
class SweepReport:
    """Everything the sweep found."""

    planned: int = 0
    wall_time: float = 0.0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    cells: dict[tuple[str, str], Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter))
    outcomes: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    notes: Counter[str] = field(default_factory=Counter)
    run_time: float = 0.0
    runs: list[str] = field(default_factory=list)  # the names of the runs of this report
    records: list[Record] = field(default_factory=list)  # every run, in the order they ended
    fingerprint: str = ""  # of the whole sweep's run list (before sharding)
    runs_in_sweep: int = 0
    shard: tuple[int, int] | None = None

    @property
    def explored(self) -> int:
        """Runs done."""
        return sum(cell["explored"] for cell in self.cells.values())

    @property
    def failed(self) -> int:
        """Runs that broke an invariant."""
        return len(self.failures)

    def add(self, case: CaseLike, verdict: Verdict, result: ResultLike, reproduce: str) -> None:
        """Record one checked run."""
        cell = self.cells[(case.scenario, case.kind)]
        cell["explored"] += 1
        cell["passed" if verdict.ok else "failed"] += 1
        self.outcomes[verdict.outcome] += 1
        self.notes.update(verdict.notes)
        self.run_time += result.elapsed
        self.records.append(Record(case.name, case.scenario, case.kind, round(result.elapsed, 3),
                                   verdict.ok))
        if not verdict.ok:
            tail = "\n".join(result.stderr_text.splitlines()[-6:])
            self.failures.append(Failure(case.name, verdict.violations, reproduce,
                                         result.returncode, tail))

    def render(self, max_failures: int = 30) -> list[str]:
        """The human report, line by line."""
        lines = [f"{'scenario':<12} {'fault':<8} {'explored':>8} {'passed':>7} {'failed':>7}"]
        for (scenario, kind), cell in sorted(self.cells.items()):
            lines.append(f"{scenario:<12} {kind:<8} {cell['explored']:>8} {cell['passed']:>7} "
                         f"{cell['failed']:>7}")
        lines.append(f"total: {self.explored} fault points explored, {self.failed} failed, "
                     f"wall time {self.wall_time:.1f}s "
                     f"({self.explored / max(self.wall_time, 1e-9):.1f} runs/s)")
        lines.append("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items())))
        lines.extend(f"note: {text} ({n} runs)" for text, n in sorted(self.notes.items()))
        for failure in sorted(self.failures, key=lambda f: f.case)[:max_failures]:
            lines.append(f"FAILED {failure.case} (exit {failure.returncode})")
            lines.extend(f"    - {violation}" for violation in failure.violations)
            lines.append(f"    reproduce: {failure.reproduce}")
        if self.failed > max_failures:
            lines.append(f"... and {self.failed - max_failures} more failures (see the JSON)")
        return lines

    def to_json(self) -> dict[str, object]:
        """The report as JSON-ready data."""
        return {
            "explored": self.explored, "planned": self.planned, "failed": self.failed,
            "wall_time_s": round(self.wall_time, 3),
            "fault_points": self.counts,
            "outcomes": dict(self.outcomes),
            "notes": dict(self.notes),
            "table": [{"scenario": s, "fault": k, **dict(c)}
                      for (s, k), c in sorted(self.cells.items())],
            "failures": [f.__dict__ for f in self.failures],
            "shard": None if self.shard is None else {
                "index": self.shard[0], "count": self.shard[1]},
            "fingerprint": self.fingerprint,
            "runs_in_sweep": self.runs_in_sweep,
            "runs": self.runs,
            "records": [record.__dict__ for record in self.records],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SweepReport:
        """A report back from :meth:`to_json` (raises KeyError/TypeError/ValueError if not one)."""
        rep = cls(planned=int(data["planned"]), wall_time=float(data["wall_time_s"]),
                  counts=dict(data["fault_points"]), outcomes=Counter(data["outcomes"]),
                  notes=Counter(data["notes"]), runs=[str(r) for r in data["runs"]],
                  fingerprint=str(data["fingerprint"]),
                  runs_in_sweep=int(data["runs_in_sweep"]))
        for row in data["table"]:
            rep.cells[(str(row["scenario"]), str(row["fault"]))] = Counter(
                {k: int(v) for k, v in row.items() if k not in ("scenario", "fault")})
        rep.failures = [Failure(**failure) for failure in data["failures"]]
        rep.records = [Record(**record) for record in data.get("records", [])]
        shard = data.get("shard")
        if shard is not None:
            rep.shard = (int(shard["index"]), int(shard["count"]))
        return rep

    def write_json(self, path: Path) -> None:
        """Write :meth:`to_json` to ``path``."""
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n", encoding="utf-8")
