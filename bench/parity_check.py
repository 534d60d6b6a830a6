"""The content-parity check of part 1: the golden programs recorded by a baseline and by now.

The golden programs are those the recorder's golden tests compare with reviewed traces: every
``examples/NAME.py`` that has a ``tests/recording/goldens/py312/NAME.jsonl``. Each one is recorded
by the recorder at :data:`BASELINE` (extracted with ``git archive``) and by the current tree, on
3.12 (``sys.monitoring``) and 3.11 (``sys.settrace``), from one copy of ``examples/`` with
``PYTHONHASHSEED=0``; ``trace.json`` and ``trace_paths.json`` are compared after
:func:`bench.parity.normalise`. The runs are not timed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import envs, parity, table
from bench.context import Context
from bench.errors import Unavailable

#: The recorder before issue 24's optimisations (the issue's "before").
BASELINE = "413b02d"
EXAMPLES = envs.REPO / "examples"
GOLDENS = envs.REPO / "tests" / "recording" / "goldens" / "py312"
SERIES: tuple[tuple[str, str], ...] = (("3.12", "monitoring"), ("3.11", "settrace"))
_SHORT = 110


def golden_programs() -> list[str]:
    """Names of the examples with a golden trace."""
    return sorted(p.stem for p in GOLDENS.glob("*.jsonl") if (EXAMPLES / f"{p.stem}.py").is_file())


@dataclass(frozen=True)
class Cell:
    """One program on one interpreter: identical, or where the traces first differ."""

    program: str
    series: str
    difference: str | None = None
    error: str | None = None


def _record(python: Path, backend: str, tree: Path, root: Path, name: str, trace: Path) -> None:
    shutil.rmtree(trace, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CODETRACER_", "RECORDER_"))}
    env.update(PYTHONHASHSEED="0", PYTHONPATH=str(tree), PYTHONDONTWRITEBYTECODE="1")
    subprocess.run([str(python), "-m", "recorder", "--backend", backend, "--trace-dir",
                    str(trace), f"{name}.py"], cwd=root, env=env, capture_output=True,
                   timeout=300, check=False)


def _load(trace: Path, root: Path) -> tuple[list[str], list[str]]:
    events = json.loads((trace / "trace.json").read_text(encoding="utf-8"))
    paths = json.loads((trace / "trace_paths.json").read_text(encoding="utf-8"))
    return parity.normalise(events, str(root)), [parity.mask_text(str(p), str(root)) for p in paths]


def _short(text: str) -> str:
    return text if len(text) <= _SHORT else text[: _SHORT - 3] + "..."


def compare(before: Path, now: Path, root: Path) -> str | None:
    """Where the trace in ``now`` first differs from the one in ``before``; None: identical."""
    (old_events, old_paths), (new_events, new_paths) = _load(before, root), _load(now, root)
    found = parity.first_difference(old_events, new_events)
    if found is not None:
        index, a, b = found
        return f"line {index + 1}: `{_short(a)}` before, `{_short(b)}` now"
    found = parity.first_difference(old_paths, new_paths)
    if found is not None:
        return f"trace_paths.json entry {found[0] + 1}: `{found[1]}` before, `{found[2]}` now"
    return None


def measure(ctx: Context) -> list[Cell]:
    """Record every golden program with both trees on each interpreter and compare."""
    root = ctx.scratch("parity-examples")
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("__pycache__"))
    try:
        baseline = envs.recorder_at(BASELINE, ctx.scratch(f"parity-{BASELINE}"))
    except (Unavailable, OSError, subprocess.SubprocessError) as exc:
        return [Cell(name, s, error=str(exc)) for s, _ in SERIES for name in golden_programs()]
    cells: list[Cell] = []
    for series, backend in SERIES:
        try:
            python = ctx.python(series)
        except Unavailable as exc:
            cells.extend(Cell(name, series, error=str(exc)) for name in golden_programs())
            continue
        ctx.progress(f"content parity on {series} ({backend}) against {BASELINE}")
        for name in golden_programs():
            before = ctx.scratch("traces") / f"parity-{series}-{name}-before"
            now = ctx.scratch("traces") / f"parity-{series}-{name}-now"
            try:
                _record(python, backend, baseline, root, name, before)
                _record(python, backend, envs.REPO, root, name, now)
                cells.append(Cell(name, series, difference=compare(before, now, root)))
            except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
                cells.append(Cell(name, series, error=str(exc) or type(exc).__name__))
            finally:
                shutil.rmtree(before, ignore_errors=True)
                shutil.rmtree(now, ignore_errors=True)
    return cells


def _cell(found: Cell | None) -> str:
    if found is None:
        return "-"
    if found.error is not None:
        return f"unavailable: {found.error}"
    return "identical" if found.difference is None else f"**differs**: {found.difference}"


def render(cells: Sequence[Cell]) -> str:
    """The parity table, the masked fields and the verdict."""
    series = [s for s, _ in SERIES]
    by_key = {(c.program, c.series): c for c in cells}
    programs = sorted({c.program for c in cells})
    rows = [[f"`{p}`", *(_cell(by_key.get((p, s))) for s in series)] for p in programs]
    headers = ("program", *(f"{s} ({b})" for s, b in SERIES))
    out = [
        f"Each golden program (`examples/NAME.py` with a golden in `tests/recording/goldens/`) "
        f"recorded by the recorder at {BASELINE} (before issue 24's optimisations) and by this "
        "tree, `trace.json` and `trace_paths.json` compared after masking only the run-dependent "
        "fields:\n\n",
        *(f"- {field}\n" for field in parity.MASKED_FIELDS),
        "\nEvery run has `PYTHONHASHSEED=0` (set and dict orders of strings would differ from run "
        "to run otherwise). Times, pids, run and trace ids are only in `trace_metadata.json`, "
        "which is not compared.\n\n",
        table.render(headers, rows),
        "\n",
        *(line + "\n" for line in verdicts(cells)),
    ]
    return "".join(out)


def verdicts(cells: Sequence[Cell]) -> list[str]:
    """One line: identical everywhere (met), or which programs differ."""
    if not cells:
        return ["- Content parity: not measured."]
    differs = sorted({f"{c.program} ({c.series})" for c in cells if c.difference is not None})
    missing = sorted({c.series for c in cells if c.error is not None})
    compared = [c for c in cells if c.error is None]
    gaps = f"; not compared on {', '.join(missing)}" if missing else ""
    if differs:
        return [f"- Content parity with {BASELINE}: **differs** on {', '.join(differs)} "
                f"({len(compared) - len(differs)} of {len(compared)} identical){gaps} - "
                "**not met**."]
    if not compared:
        return [f"- Content parity with {BASELINE}: not measured{gaps}."]
    return [f"- Content parity with {BASELINE}: identical on all {len(compared)} program runs "
            f"(golden programs x interpreters){gaps} - met."]
