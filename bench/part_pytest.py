"""Part 4: recording a real test suite with ``-m pytest`` (toolz 1.0.0's own tests, its sdist).

Three variants on Python 3.12, alternating within each repetition, from the unpacked sdist:
untraced ``python -m pytest``, ours (``python -m recorder -m pytest``, ``sys.monitoring``), and
the Rust recorder (which runs scripts only: ``bench/helpers/run_pytest.py`` is ``-m pytest``)
with ``rust_pytest_same_content.toml``, so that both record toolz's own files and neither
records site-packages or the standard library. Event counts stand beside the times: the content
is comparable, not identical, and the table shows by how much.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from bench import envs, table
from bench.context import Context, PartResult
from bench.errors import Unavailable
from bench.runner import Command, Outcome, RunResult, alternate
from bench.stats import ratio, summarize
from bench.traces import count_events, directory_size, find_trace

TOOLZ = "toolz==1.0.0"
PYTEST = "pytest==9.0.2"
HERE = Path(__file__).resolve().parent
FILTER = HERE / "rust_pytest_same_content.toml"
WRAPPER = HERE / "helpers" / "run_pytest.py"
UNTRACED = "untraced 3.12"
OURS = "ours monitoring 3.12"
RUST = "Rust recorder 3.12, same content"
PYTEST_ARGS = ("-q", "-p", "no:cacheprovider", "toolz/tests")


def _toolz_tree(ctx: Context) -> Path:
    sdists = ctx.scratch("sdists")
    archive = sdists / "toolz-1.0.0.tar.gz"
    if not archive.is_file():
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                               "--no-binary", ":all:", "-d", str(sdists), TOOLZ],
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0 or not archive.is_file():
            raise Unavailable(f"cannot download {TOOLZ}: {done.stderr.strip()[-200:]}")
    target = ctx.scratch("pytest-sdist")
    shutil.rmtree(target / "toolz-1.0.0", ignore_errors=True)
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target / "toolz-1.0.0"


def _commands(ctx: Context, tree: Path) -> list[Command]:
    python = envs.ensure_venv(".venv-pytest-312", ctx.python("3.12"), [PYTEST])
    rust = envs.ensure_venv(".venv-rust-pytest-312", ctx.python("3.12"),
                            [envs.RUST_RECORDER, PYTEST])
    traces = ctx.scratch("traces")
    ours_trace, rust_trace = traces / "pytest-ours", traces / "pytest-rust"
    return [
        Command(UNTRACED, (str(python), "-m", "pytest", *PYTEST_ARGS), cwd=tree),
        Command(OURS, (str(python), "-m", "recorder", "--backend", "monitoring", "--trace-dir",
                       str(ours_trace), "-m", "pytest", *PYTEST_ARGS),
                env=envs.repo_env(), cwd=tree, scratch=ours_trace),
        Command(RUST, (str(rust), "-m", "codetracer_python_recorder", "--format", "json",
                       "--trace-dir", str(rust_trace), "--trace-filter", str(FILTER),
                       str(WRAPPER), *PYTEST_ARGS), cwd=tree, scratch=rust_trace),
    ]


def _inspect(cmd: Command, result: RunResult) -> dict[str, float]:
    if cmd.scratch is None:
        return {}
    counts = count_events(find_trace(cmd.scratch))
    facts = {"bytes": float(directory_size(cmd.scratch)),
             "events": float(sum(counts.values()))}
    for name in ("Step", "Call", "Value"):
        facts[name] = float(counts.get(name, 0))
    return facts


def run(ctx: Context) -> PartResult:
    """Run part 4 and return its Markdown section."""
    reps = ctx.reps(full=3, quick=1)
    try:
        commands = _commands(ctx, _toolz_tree(ctx))
    except Unavailable as exc:
        raise Unavailable(f"-m pytest workload: {exc}") from exc
    ctx.progress(f"workload -m pytest (toolz 1.0.0's suite, {reps} reps)")
    outcomes = alternate(commands, reps, ctx.scratch("out"), _inspect, ctx.progress)
    for cmd in commands:
        if cmd.scratch is not None:
            shutil.rmtree(cmd.scratch, ignore_errors=True)
    return render(outcomes, reps)


def _row(label: str, outcome: Outcome, base: Outcome | None) -> list[str]:
    if outcome.error is not None or not outcome.runs:
        return [label, f"unavailable: {outcome.error}", "", "", "", "", "", ""]
    facts = outcome.facts
    times = (table.times(ratio(outcome.walls, base.walls))
             if base is not None and base.runs and outcome is not base else "")
    return [label, table.timing(summarize(outcome.walls)), times,
            f"{summarize(outcome.rss_kib).median / 1024:.0f} MiB",
            table.size(facts["bytes"]) if "bytes" in facts else "-",
            *(table.count(facts[name]) if name in facts else "-"
              for name in ("Step", "Call", "Value"))]


def render(outcomes: dict[str, Outcome], reps: int) -> PartResult:
    """The section and its verdict line, from the measured outcomes only."""
    base = outcomes.get(UNTRACED)
    rows = [_row(label, outcomes[label], base) for label in (UNTRACED, OURS, RUST)
            if label in outcomes]
    text = (
        "## 4. Recording a test suite (`-m pytest`)\n\n"
        f"toolz 1.0.0's own test suite from its sdist, `-q -p no:cacheprovider toolz/tests`, "
        f"{reps} repetitions. Ours: `python -m recorder -m pytest ...` (site-packages and the "
        "standard library not traced by default); the Rust recorder: `run_pytest.py` with "
        "`bench/rust_pytest_same_content.toml` (toolz only, globals dropped).\n\n"
        + table.render(("variant", "wall", "x untraced", "peak RSS", "trace", "steps", "calls",
                        "values"), rows, right=(1, 2, 3, 4, 5, 6, 7))
    )
    ours, rust = outcomes.get(OURS), outcomes.get(RUST)
    verdict = "- `-m pytest` (toolz suite): not compared (a variant is unavailable)."
    if ours is not None and rust is not None and ours.runs and rust.runs:
        verdict = (f"- `-m pytest` (toolz suite): ours {table.times(ratio(ours.walls, rust.walls))}"
                   f" the Rust recorder's wall time at comparable content (steps: ours "
                   f"{table.count(ours.facts.get('Step', 0))}, Rust "
                   f"{table.count(rust.facts.get('Step', 0))}).")
    return PartResult(text, [verdict])
