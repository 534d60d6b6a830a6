"""The generic sweep's throughput, one core against all, and what the bootstrap costs a clean run.

Throughput: the same engine swept two ways - the save-settings fixture program (careful version,
every point, the program sweep) and a seeded sample of the recorder's ``functions`` scenario
(the recorder's configuration) - once with ``--jobs 1`` and once with ``--jobs`` = every core;
the rate is fault points explored per second of wall time, clean runs included.

Bootstrap overhead: a clean run of the fixture program without and with the bootstrap (seams
loaded, nothing planned, counting under its directory), alternating; the paired ratio against
the issue's target (under 10%).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from bench import envs, table
from bench.context import Context
from bench.errors import Unavailable
from bench.runner import Command, alternate
from bench.stats import ratio, summarize

FIXTURE = envs.REPO / "tests" / "fault_injection" / "fixtures" / "save_settings" / "careful"
PROGRAM = ("save_settings.py", "theme=dark")
RECORDER_SAMPLE = {True: 16, False: 60}  # quick, full
OVERHEAD_TARGET = 0.10


def _sweep_command(ctx: Context, python: Path, what: str, jobs: int) -> tuple[Command, Path]:
    report = ctx.scratch("program-sweep") / f"{what}-jobs{jobs}.json"
    report.unlink(missing_ok=True)
    common = ("--jobs", str(jobs), "--json", str(report))
    if what == "program":
        args: tuple[str, ...] = ("--fixture", str(FIXTURE), "--oracle",
                                 str(FIXTURE / "fault-oracle.toml"), *common, "--", str(python),
                                 *PROGRAM)
    else:
        args = ("--scenario", "functions", "--sample", str(RECORDER_SAMPLE[ctx.quick]),
                "--seed", "2026", *common)
    argv = (str(python), "-m", "fault_injection", "sweep", *args)
    label = f"{what} sweep, --jobs {jobs}"
    return Command(label, argv, env=envs.repo_env(), cwd=ctx.scratch("program-sweep"),
                   ok_codes=frozenset({0, 1}), timeout=900.0), report


def rates(ctx: Context) -> str:
    """The throughput table: both configurations, one core and all cores."""
    python = ctx.python("3.11")
    cores = os.cpu_count() or 2
    rows: list[list[str]] = []
    for what in ("program", "recorder"):
        for jobs in sorted({1, cores}):
            cmd, report = _sweep_command(ctx, python, what, jobs)
            ctx.progress(f"generic sweep: {cmd.label}")
            outcome = alternate([cmd], 1, ctx.scratch("out"), None, ctx.progress)[cmd.label]
            if outcome.error is not None or not outcome.runs:
                rows.append([cmd.label, f"unavailable: {outcome.error}", "-", "-", "-"])
                continue
            data = json.loads(report.read_text(encoding="utf-8"))
            wall = summarize(outcome.walls).median
            rows.append([cmd.label, str(data["explored"]), str(data["failed"]),
                         table.seconds(wall), table.per_second(data["explored"] / wall, "points")])
    sample = RECORDER_SAMPLE[ctx.quick]
    note = (f"\nOne run each on this machine ({cores} cores, shared). The program sweep runs "
            "every point of the fixture program (`tests/fault_injection/fixtures/save_settings/"
            f"careful`); the recorder sweep a seeded sample of {sample} runs of its `functions` "
            "scenario. Wall times include each configuration's clean runs.\n")
    return table.render(("configuration", "fault points explored", "failed", "wall",
                         "fault points/s"), rows, right=(1, 2, 3, 4)) + note


PYTEST_FILE = """
import sys
from fault_injection.pytest_sweep import fault_sweep

@fault_sweep([sys.executable, "save_settings.py", "theme=dark"], fixture={fixture!r},
             oracle={oracle!r})
def test_sweep(fault_run):
    fault_run.check()
"""


def pytest_rates(ctx: Context) -> str:
    """The same sweep as one pytest item per run under ``pytest -n 2``, against ``--jobs 2``."""
    python = Path(sys.executable)  # the bench's own environment has pytest and pytest-xdist
    work = ctx.scratch("pytest-sweep")
    (work / "test_fixture_sweep.py").write_text(PYTEST_FILE.format(
        fixture=str(FIXTURE), oracle=str(FIXTURE / "fault-oracle.toml")), encoding="utf-8")
    report = work / "cli.json"
    cli = Command("CLI sweep, --jobs 2", (
        str(python), "-m", "fault_injection", "sweep", "--fixture", str(FIXTURE), "--oracle",
        str(FIXTURE / "fault-oracle.toml"), "--jobs", "2", "--progress", "0", "--json",
        str(report), "--", str(python), *PROGRAM), env=envs.repo_env(), cwd=work)
    through_pytest = Command("pytest -n 2 (fault_sweep)", (
        str(python), "-m", "pytest", "-q", "-n", "2", "-p", "no:cacheprovider",
        "test_fixture_sweep.py"), env=envs.repo_env(), cwd=work)
    reps = ctx.reps(full=3, quick=1)
    ctx.progress(f"pytest -n 2 against --jobs 2: {reps} reps")
    outcomes = alternate([cli, through_pytest], reps, ctx.scratch("out"), None, ctx.progress)
    runs = json.loads(report.read_text(encoding="utf-8"))["explored"] if report.exists() else 0
    rows = []
    for cmd in (cli, through_pytest):
        found = outcomes[cmd.label]
        if found.error is not None or not found.runs:
            rows.append([cmd.label, f"unavailable: {found.error}", "-"])
            continue
        wall = summarize(found.walls)
        rows.append([cmd.label, table.timing(wall), table.per_second(runs / wall.median, "runs")])
    return (table.render(("how", "wall, median (min-max)", "runs/s"), rows, right=(1, 2))
            + f"\n{runs} runs (the careful fixture program, every point), {reps} alternating "
              "repetitions; both include the two clean runs (pytest: in each worker's "
              "collection).\n")


def _overhead_commands(ctx: Context, python: Path) -> list[Command]:
    from fault_injection.bootenv import seams_env
    from fault_injection.plan import FaultPlan

    out: list[Command] = []
    for label in ("without the bootstrap", "with the bootstrap (no plan)"):
        work = ctx.scratch("bootstrap-overhead") / label.split()[0]
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(FIXTURE, work)
        env = {**envs.repo_env(), "PYTHONHASHSEED": "0"}
        if label.startswith("with "):
            env = seams_env(env, FaultPlan(), (".",))
        out.append(Command(label, (str(python), *PROGRAM), env=env, cwd=work))
    return out


def overhead(ctx: Context) -> tuple[str, str]:
    """The bootstrap's cost on a clean run of the fixture program, and its verdict line."""
    python = ctx.python("3.11")
    reps = ctx.reps(full=20, quick=8)
    commands = _overhead_commands(ctx, python)
    ctx.progress(f"bootstrap overhead: {reps} reps")
    outcomes = alternate(commands, reps, ctx.scratch("out"), None, ctx.progress)
    plain, seamed = (outcomes[c.label] for c in commands)
    if plain.error or seamed.error or not plain.runs or not seamed.runs:
        raise Unavailable(f"the fixture program did not run: {plain.error or seamed.error}")
    r = ratio(seamed.walls, plain.walls)
    rows = [[c.label, table.timing(summarize(outcomes[c.label].walls))] for c in commands]
    met = r is not None and r.value - 1 < OVERHEAD_TARGET
    verdict = (f"- Bootstrap overhead on a clean run of the fixture program: {table.percent(r)} "
               f"(target under {OVERHEAD_TARGET:.0%}) - {'met' if met else '**not met**'}.")
    text = (table.render(("variant", "wall, median (min-max)"), rows, right=(1,))
            + f"\n{reps} runs per variant, alternating, `{python.name} {' '.join(PROGRAM)}` "
            f"(Python {sys.version_info.major}.{sys.version_info.minor} runs the bench). "
            f"Paired ratio with the bootstrap: {table.times(r)} ({table.percent(r)}).\n\n"
            + verdict + "\n")
    return text, verdict
