"""Turn a :class:`FaultPlan` into a :mod:`recorder.seams` hook that fails the recorder for real.

An :class:`Injector` is the hook: the recorder calls it at every seam with ``(point, path)``. It
counts hits per point (and across all points, for ``*`` clauses), asks each clause in order
whether it fires at this hit, and if one does:

* an errno kind raises ``OSError(errno, strerror, path)``, exactly what the real system call would
  raise (``PermissionError`` for EACCES and so on);
* ``sigint`` sends a real SIGINT to this process with :func:`signal.raise_signal`; Python runs the
  handler at once, so the recorder sees ``KeyboardInterrupt`` (or defers it inside a critical
  section) just as if the user had pressed Ctrl-C at that instant;
* ``crash`` raises :class:`SimulatedCrash`, standing for a bug in the recorder's own code.

Every firing is remembered (``fired``) and, when a ``journal`` path is given, appended to that
file at once as a JSON line *before* the fault takes effect, so a parent process learns where the
fault fired even if the child then dies by the signal.
"""

from __future__ import annotations

import json
import os
import random
import signal
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fault_injection.errors import SimulatedCrash
from fault_injection.plan import ANY_POINT, FaultPlan, FaultSpec, parse_plan
from recorder import seams


@dataclass(frozen=True)
class Firing:
    """One fault that fired: which clause, at which hit of which point, on which path."""

    spec: str
    point: str
    hit: int
    path: str | None
    seen: tuple[tuple[str, int], ...] = ()  # hits per point up to and including this one

    def to_json(self) -> dict[str, object]:
        """JSON-ready form (the journal's line format)."""
        return {"spec": self.spec, "point": self.point, "hit": self.hit, "path": self.path,
                "seen": dict(self.seen)}

    def hits_of(self, point: str) -> int:
        """How many hits ``point`` had when this fault fired (this hit included)."""
        return dict(self.seen).get(point, 0)


@dataclass
class _ClauseState:
    spec: FaultSpec
    rng: random.Random | None
    fired: int = 0


@dataclass
class Injector:
    """The seam hook for one plan; thread safe (the traced program may run threads)."""

    plan: FaultPlan
    journal: Path | None = None
    hits: Counter[str] = field(default_factory=Counter)
    fired: list[Firing] = field(default_factory=list)
    total_hits: int = 0

    def __post_init__(self) -> None:
        # Re-entrant: a finalizer run by the garbage collector inside the hook may hit a seam.
        self._lock = threading.RLock()
        self._clauses = [
            _ClauseState(spec, random.Random(spec.seed) if spec.probability is not None else None)
            for spec in self.plan.specs
        ]

    def __call__(self, point: str, path: str | None = None) -> None:
        with self._lock:
            self.total_hits += 1
            self.hits[point] += 1
            firing = self._decide(point, path)
        if firing is not None:
            self._fire(firing)

    def _decide(self, point: str, path: str | None) -> tuple[FaultSpec, Firing] | None:
        """Which clause (if any) fires at this hit; the first clause that fires wins."""
        winner: tuple[FaultSpec, Firing] | None = None
        for state in self._clauses:
            spec = state.spec
            if spec.point not in (point, ANY_POINT):
                continue
            hit = self.total_hits if spec.point == ANY_POINT else self.hits[point]
            if not self._fires(state, hit) or winner is not None:
                continue
            state.fired += 1
            winner = spec, Firing(str(spec), point, hit, path, tuple(sorted(self.hits.items())))
            self.fired.append(winner[1])
        return winner

    @staticmethod
    def _fires(state: _ClauseState, hit: int) -> bool:
        spec = state.spec
        if state.rng is not None:
            # Every clause draws on every hit of its point, winner or not, so the sequence of
            # draws depends on the seed and the hits alone and a plan replays exactly.
            drawn = state.rng.random() < (spec.probability or 0.0)
            return drawn and (spec.times is None or state.fired < spec.times)
        nth = spec.nth or 1
        return hit >= nth and (spec.times is None or hit < nth + spec.times)

    def _fire(self, decided: tuple[FaultSpec, Firing]) -> None:
        spec, firing = decided
        self._record(firing)
        if spec.errno is not None:
            # The simulated failure must be exactly what the real system call raises.
            raise OSError(spec.errno, os.strerror(spec.errno), firing.path)  # noqa: REC003
        if spec.kind == "sigint":
            signal.raise_signal(signal.SIGINT)
            return
        raise SimulatedCrash(f"simulated crash at {firing.point} hit {firing.hit}")

    def _record(self, firing: Firing) -> None:
        if self.journal is None:
            return
        # Our own file, written with plain os calls (never through the seams), synced before the
        # fault takes effect so that the parent reads it even if we die by the signal.
        line = (json.dumps({"event": "fired", **firing.to_json()}) + "\n").encode()
        fd = os.open(self.journal, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)

    def write_counts(self) -> None:
        """Append the hit counts so far to the journal (the ``count`` mode's result)."""
        if self.journal is None:
            return
        line = json.dumps({"event": "counts", "hits": dict(self.hits)}) + "\n"
        fd = os.open(self.journal, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)


def install(plan: FaultPlan | str, journal: Path | None = None) -> Injector:
    """Install ``plan`` as the recorder's seam hook and return the injector."""
    injector = Injector(parse_plan(plan) if isinstance(plan, str) else plan, journal)
    seams.install(injector)
    return injector


@contextmanager
def injected(plan: FaultPlan | str, journal: Path | None = None) -> Iterator[Injector]:
    """Run a block with ``plan`` installed; the seams are free again afterwards."""
    injector = install(plan, journal)
    try:
        yield injector
    finally:
        seams.uninstall()


def read_journal(path: Path) -> tuple[list[Firing], dict[str, int]]:
    """The firings and the last hit counts a child process wrote to ``path``."""
    firings: list[Firing] = []
    counts: dict[str, int] = {}
    if not path.exists():
        return firings, counts
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        data = json.loads(line)
        if data.get("event") == "fired":
            seen = tuple(sorted((str(k), int(v)) for k, v in data.get("seen", {}).items()))
            firings.append(Firing(str(data["spec"]), str(data["point"]), int(data["hit"]),
                                  None if data["path"] is None else str(data["path"]), seen))
        elif data.get("event") == "counts":
            counts = {str(k): int(v) for k, v in data["hits"].items()}
    return firings, counts
