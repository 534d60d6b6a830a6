"""Settings of one benchmark run and the interpreters it found, shared by the parts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.envs import find_python
from bench.errors import Unavailable

PARTS: tuple[str, ...] = ("recorder", "lint", "faults", "pytest", "values", "filters", "iocap",
                         "threads", "startup")


@dataclass(frozen=True)
class PartResult:
    """A part's Markdown section and its verdicts against the issue's targets (one line each)."""

    markdown: str
    verdicts: list[str]


@dataclass(frozen=True)
class Settings:
    """What the command line asked for."""

    quick: bool = False
    out: Path = Path("BENCHMARKS.md")
    parts: tuple[str, ...] = PARTS
    reps: int | None = None
    work: Path = Path("bench/results")


@dataclass
class Context:
    """A run in progress: its settings, a progress sink, and interpreters found so far."""

    settings: Settings
    progress: Callable[[str], None]
    _pythons: dict[str, Path | Unavailable] = field(default_factory=dict)

    @property
    def quick(self) -> bool:
        return self.settings.quick

    def reps(self, full: int, quick: int) -> int:
        """Repetitions for a comparison: ``--reps`` if given, else the mode's default."""
        if self.settings.reps is not None:
            return self.settings.reps
        return quick if self.settings.quick else full

    def scratch(self, name: str) -> Path:
        """A directory under the work dir for ``name`` (created, not emptied)."""
        path = (self.settings.work / name).resolve()
        path.mkdir(parents=True, exist_ok=True)
        return path

    def python(self, series: str) -> Path:
        """The interpreter for ``series``; raises the same Unavailable on every call if missing."""
        if series not in self._pythons:
            try:
                self._pythons[series] = find_python(series)
            except Unavailable as exc:
                self._pythons[series] = exc
        found = self._pythons[series]
        if isinstance(found, Unavailable):
            raise found
        return found
