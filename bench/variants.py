"""The ways of running a workload that the recorder benchmark compares, as runnable commands.

Each variant runs the workload script as ``__main__`` with the same argument, from a scratch
working directory: untraced, under no-op hooks (the floor any recorder pays), under our recorder
with either backend, and under the Rust recorder (3.12 only; ours on 3.11 and 3.13 is compared
with it across versions). A variant that cannot be set up (no Python 3.12 or 3.13, the Rust
recorder's venv failed to install) becomes an unavailable outcome with the reason.

No variant inherits ``PYTHONDONTWRITEBYTECODE`` (see :mod:`bench.bytecode`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench import envs
from bench.bytecode import UNSET
from bench.context import Context
from bench.errors import Unavailable
from bench.runner import Command

UNTRACED_311 = "untraced 3.11"
FLOOR_311 = "no-op settrace 3.11"
OURS_311 = "ours settrace 3.11"
UNTRACED_312 = "untraced 3.12"
FLOOR_312 = "no-op monitoring 3.12"
OURS_312 = "ours monitoring 3.12"
UNTRACED_313 = "untraced 3.13"
FLOOR_313 = "no-op monitoring 3.13"
OURS_313 = "ours monitoring 3.13"
# The plainest recorder written in Python (bench.helpers.bare_monitoring).
BARE_312 = "bare Python recorder 3.12"
BARE_313 = "bare Python recorder 3.13"
RUST_312 = "Rust recorder 3.12"
RUST_EQ = "Rust recorder 3.12, same content"
RUST_FILTER = Path(__file__).resolve().parent / "rust_same_content.toml"

ALL: tuple[str, ...] = (
    UNTRACED_312,
    FLOOR_312,
    OURS_312,
    RUST_312,
    RUST_EQ,
    UNTRACED_313,
    FLOOR_313,
    OURS_313,
    UNTRACED_311,
    FLOOR_311,
    OURS_311,
)
RECORDERS: tuple[str, ...] = (OURS_312, OURS_313, OURS_311, RUST_312, RUST_EQ)

# Interpreter series of each of our variants, and the backend ours uses there.
SERIES = {
    UNTRACED_311: "3.11",
    FLOOR_311: "3.11",
    OURS_311: "3.11",
    UNTRACED_312: "3.12",
    FLOOR_312: "3.12",
    OURS_312: "3.12",
    UNTRACED_313: "3.13",
    FLOOR_313: "3.13",
    OURS_313: "3.13",
    BARE_312: "3.12",
    BARE_313: "3.13",
}
UNTRACED = (UNTRACED_311, UNTRACED_312, UNTRACED_313)
# The module each hook variant runs the workload under.
HELPERS = {
    FLOOR_311: "bench.helpers.noop_settrace",
    FLOOR_312: "bench.helpers.noop_monitoring",
    FLOOR_313: "bench.helpers.noop_monitoring",
    BARE_312: "bench.helpers.bare_monitoring",
    BARE_313: "bench.helpers.bare_monitoring",
}
OURS = (OURS_311, OURS_312, OURS_313)

# The untraced run each variant is compared with: the same interpreter.
BASELINE = {
    UNTRACED_311: UNTRACED_311,
    FLOOR_311: UNTRACED_311,
    OURS_311: UNTRACED_311,
    UNTRACED_312: UNTRACED_312,
    FLOOR_312: UNTRACED_312,
    OURS_312: UNTRACED_312,
    UNTRACED_313: UNTRACED_313,
    FLOOR_313: UNTRACED_313,
    OURS_313: UNTRACED_313,
    RUST_312: UNTRACED_312,
    RUST_EQ: UNTRACED_312,
}


@dataclass(frozen=True)
class Missing:
    """A variant that could not be set up, and why."""

    label: str
    reason: str


def _rust_python(ctx: Context) -> Path:
    return envs.rust_recorder_python(ctx.python("3.12"))


def build(
    ctx: Context, labels: tuple[str, ...], script: Path, args: list[str], tag: str
) -> list[Command | Missing]:
    """Commands for ``labels`` running ``script args``; ``tag`` keeps scratch dirs apart."""
    planned: list[Command | Missing] = []
    for label in labels:
        try:
            planned.append(_command(ctx, label, script, args, tag))
        except Unavailable as exc:
            planned.append(Missing(label, str(exc)))
    return planned


def _command(ctx: Context, label: str, script: Path, args: list[str], tag: str) -> Command:
    slug = "".join(c if c.isalnum() else "-" for c in f"{tag}-{label}")
    cwd = ctx.scratch("cwd")
    trace = ctx.scratch("traces") / slug
    target = [str(script), *args]
    env = envs.repo_env()
    if label in UNTRACED:
        python = ctx.python(SERIES[label])
        # Exactly ``python SCRIPT ARGS``: no PYTHONPATH, nothing imported from the project.
        return Command(label, (str(python), *target), cwd=cwd, unset=UNSET)
    if label in HELPERS:
        python = ctx.python(SERIES[label])
        argv = (str(python), "-m", HELPERS[label], *target)
        return Command(label, argv, env=env, cwd=cwd, unset=UNSET)
    if label in OURS:
        python = ctx.python(SERIES[label])
        backend = "settrace" if label == OURS_311 else "monitoring"
        argv = (str(python), "-m", "recorder", "--backend", backend, "--trace-dir", str(trace))
        return Command(
            label, (*argv, "--", *target), env=env, cwd=cwd, scratch=trace, unset=UNSET
        )
    if label in (RUST_312, RUST_EQ):
        python = _rust_python(ctx)
        rust: tuple[str, ...] = (
            str(python),
            "-m",
            "codetracer_python_recorder",
            "--format",
            "json",
        )
        if label == RUST_EQ:
            rust = (*rust, "--trace-filter", str(RUST_FILTER))
        # No PYTHONPATH: the Rust recorder's venv must not see the project's packages.
        return Command(
            label, (*rust, "--trace-dir", str(trace), *target), cwd=cwd, scratch=trace, unset=UNSET
        )
    raise Unavailable(f"unknown variant {label!r}")
