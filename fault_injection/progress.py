"""The sweep's progress on stderr (never stdout): runs done / planned, failures, time left.

On a terminal it is one live line, rewritten at most every ``interval`` seconds and ended when
the sweep ends; elsewhere (a CI log, a file) it is a plain line every ``every`` runs - by default
every tenth of the sweep, so a log gets about ten lines whatever the sweep's size. The time left
is the time so far divided by the runs done, times the runs still to do.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from fault_injection import console


def _seconds(value: float) -> str:
    value = max(value, 0.0)
    if value < 60:
        return f"{value:.0f}s"
    return f"{int(value // 60)}m{int(value % 60):02d}s"


@dataclass
class Progress:
    """Progress of one sweep; :meth:`update` after each run, :meth:`finish` at the end."""

    planned: int
    live: bool  # a terminal: one line rewritten in place
    every: int = 0  # plain lines: every N runs (0: every tenth of the sweep)
    interval: float = 0.2
    clock: Callable[[], float] = time.monotonic
    started: float = field(default=0.0)
    _shown: float = field(default=float("-inf"))
    _open: bool = False
    name: str = "sweep"  # what is progressing, and what it counts ("crash", "states")
    noun: str = "runs"

    def __post_init__(self) -> None:
        self.started = self.started or self.clock()
        if not self.every:
            self.every = max(1, self.planned // 10)

    def line(self, done: int, failed: int) -> str:
        """The progress text after ``done`` runs."""
        elapsed = self.clock() - self.started
        text = (f"{self.name}: {done}/{self.planned} {self.noun}, {failed} failed, "
                f"{_seconds(elapsed)} elapsed")
        if 0 < done < self.planned:
            text += f", about {_seconds(elapsed / done * (self.planned - done))} left"
        return text

    def update(self, done: int, failed: int) -> None:
        """Report that ``done`` runs are finished, ``failed`` of them broke a promise."""
        if self.live:
            now = self.clock()
            if now - self._shown >= self.interval or done == self.planned:
                self._shown = now
                self._open = True
                console.status(self.line(done, failed))
        elif done % self.every == 0 or done == self.planned:
            console.err(self.line(done, failed))

    def finish(self) -> None:
        """End the live line (the report follows on stdout)."""
        if self._open:
            console.status(None)
            self._open = False
