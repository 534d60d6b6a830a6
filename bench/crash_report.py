"""The crash explorer's rate: crash states built and checked per second, one core and two.

Two subjects, each explored with both models (``--model all``) once with ``--jobs 1`` and once
with ``--jobs 2``, side by side in one run: the durable settings saver
(``tests/crash/fixtures/settings/durable``) and the recorder publishing a trace over an older one
(``tests/crash/fixtures/recorder``, the older trace recorded first). The rate is distinct states
checked per second of wall time, the clean run included; the table also gives the states each
model allows and the distinct ones checked, and the ratio of the two wall times.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from bench import envs, table
from bench.context import Context
from bench.errors import Unavailable
from bench.runner import Command, alternate
from bench.stats import summarize

FIXTURES = envs.REPO / "tests" / "crash" / "fixtures"


def _subjects(ctx: Context, python: Path) -> dict[str, tuple[Path, Path, tuple[str, ...]]]:
    """name -> (fixture, oracle, command)."""
    settings = FIXTURES / "settings" / "durable"
    recorder = ctx.scratch("crash") / "recorder-replace"
    shutil.rmtree(recorder, ignore_errors=True)
    shutil.copytree(FIXTURES / "recorder", recorder)
    record = (str(python), "-m", "recorder", "--trace-dir", "trace", "hello.py")
    done = subprocess.run(record, cwd=recorder, env=envs.repo_env(), capture_output=True,
                          timeout=300, check=False)
    if done.returncode != 0:
        raise Unavailable(f"the older trace could not be recorded (exit {done.returncode})")
    return {
        "settings saver (durable)": (settings, settings / "fault-oracle.toml",
                                     (str(python), "save_settings.py", "theme=dark")),
        "recorder, replacing a trace": (recorder, recorder / "crash-oracle.toml", record),
    }


def rates(ctx: Context) -> str:
    """The table: per subject and --jobs, states per model, wall, states per second."""
    python = ctx.python("3.11")
    rows: list[list[str]] = []
    for name, (fixture, oracle, command) in _subjects(ctx, python).items():
        walls: dict[int, float] = {}
        for jobs in (1, 2):
            report = ctx.scratch("crash") / f"{len(rows)}-jobs{jobs}.json"
            report.unlink(missing_ok=True)
            cmd = Command(f"{name}, --jobs {jobs}", (
                str(python), "-m", "fault_injection", "crash", "--fixture", str(fixture),
                "--oracle", str(oracle), "--model", "all", "--jobs", str(jobs), "--progress",
                "0", "--json", str(report), "--", *command), env=envs.repo_env(),
                cwd=ctx.scratch("crash"), ok_codes=frozenset({0, 1}), timeout=900.0)
            ctx.progress(f"crash explorer: {cmd.label}")
            found = alternate([cmd], 1, ctx.scratch("out"), None, ctx.progress)[cmd.label]
            if found.error is not None or not found.runs:
                rows.append([cmd.label, f"unavailable: {found.error}", "-", "-", "-", "-"])
                continue
            data = json.loads(report.read_text(encoding="utf-8"))
            wall = walls[jobs] = summarize(found.walls).median
            allowed = "; ".join(line.split(",")[0] for line in data["coverage"]
                                if line.startswith(("process-crash:", "power-loss:")))
            rows.append([cmd.label, allowed, str(data["explored"]), str(data["failed"]),
                         table.seconds(wall), table.per_second(data["explored"] / wall, "states")])
        if len(walls) == 2:
            rows.append([f"{name}: wall --jobs 2 / --jobs 1", "", "", "", "",
                         f"{walls[2] / walls[1]:.2f}x"])
    return (table.render(("subject", "states allowed per model", "distinct states checked",
                          "broken", "wall", "states/s"), rows, right=(2, 3, 4, 5))
            + "\nOne run each, side by side, on this machine (shared cores); the wall time "
              "includes the clean run and building every state. Each state runs the oracle's "
              "`recover` command (a Python process), which dominates the cost.\n")
