"""The sweep's vocabulary: a policy combination, one planned fault (a case), and run results."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from fault_injection.injector import Firing
from fault_injection.plan import FaultPlan, single


@dataclass(frozen=True)
class Policy:
    """One combination of the recorder's policy switches."""

    on_error: str = "abort"
    keep_partial: bool = False
    require_trace: bool = False
    json_errors: bool = False

    def flags(self) -> list[str]:
        """The recorder command-line flags for this combination."""
        flags = ["--on-recorder-error", self.on_error]
        if self.keep_partial:
            flags.append("--keep-partial-trace")
        if self.require_trace:
            flags.append("--require-trace")
        if self.json_errors:
            flags.append("--json-errors")
        return flags

    @property
    def label(self) -> str:
        """Short name, e.g. ``disable+partial+json``."""
        parts = [self.on_error]
        parts += [name for name, on in (("partial", self.keep_partial),
                                        ("require", self.require_trace),
                                        ("json", self.json_errors)) if on]
        return "+".join(parts)


ALL_POLICIES: tuple[Policy, ...] = tuple(
    Policy(on_error, keep, require, json_errors)
    for on_error, keep, require, json_errors in itertools.product(
        ("abort", "disable"), (False, True), (False, True), (False, True)))


@dataclass(frozen=True)
class Case:
    """One run of the sweep: a scenario, a fault at the Nth hit of a point, a policy."""

    scenario: str
    script: Path
    kind: str
    point: str
    nth: int
    persistent: bool
    policy: Policy

    @property
    def plan(self) -> FaultPlan:
        """The fault plan of this case."""
        return single(self.kind, self.point, self.nth, persistent=self.persistent)

    @property
    def mode(self) -> str:
        """``transient`` (fires once) or ``persistent`` (every hit from the Nth)."""
        return "persistent" if self.persistent else "transient"

    @property
    def name(self) -> str:
        """A unique, readable name."""
        return f"{self.scenario}:{self.plan}:{self.policy.label}"


@dataclass(frozen=True)
class Baseline:
    """The untraced run of a scenario."""

    stdout: bytes
    stderr: bytes
    returncode: int

    @property
    def stderr_text(self) -> str:
        """stderr decoded (undecodable bytes escaped)."""
        return self.stderr.decode("utf-8", "backslashreplace")

    @property
    def script_status(self) -> int:
        """The exit status the recorder must give a clean run: an uncaught exception is 20."""
        if self.returncode == 1 and self.stderr_text.count("Traceback (most recent call last)"):
            return 20
        return self.returncode


@dataclass
class RunResult:
    """What one traced run did."""

    returncode: int
    stdout: bytes
    stderr: bytes
    trace_dir: Path
    elapsed: float
    timed_out: bool = False
    firings: list[Firing] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def stderr_text(self) -> str:
        """stderr decoded (undecodable bytes escaped)."""
        return self.stderr.decode("utf-8", "backslashreplace")
