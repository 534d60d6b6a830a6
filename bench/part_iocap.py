"""Part 6: what ``--io-capture proxies+fd`` costs per write, beside ``proxies`` and untraced.

``helpers/write_loop.py`` writes COUNT 64-byte lines to a file (the runner's stdout), either with
``os.write(1, ...)`` or with ``print()``, from a loop the recorder does not trace (``--exclude``
``*/write_body.py``: only the capture of the writes is measured, not the recording of the loop's
lines); our recorder runs it with ``--io-capture`` ``off``, ``proxies`` and ``proxies+fd``,
alternating with the untraced run, on Python 3.12 (``sys.monitoring``) and 3.11
(``sys.settrace``). The figures: each variant's wall time, its ratio to ``proxies`` (paired
runs), and the extra cost per write of ``proxies+fd`` over ``proxies`` (the difference of the
medians divided by COUNT). With ``print()`` the extra is the ledger's bookkeeping and the reader
thread's forwarding; with ``os.write`` it is forwarding and recording bytes ``proxies`` does not
record at all.
"""

from __future__ import annotations

from pathlib import Path

from bench import envs, table
from bench.context import Context, PartResult
from bench.errors import Unavailable
from bench.runner import Command, Outcome, alternate
from bench.stats import ratio, summarize

SCRIPT = Path(__file__).resolve().parent / "helpers" / "write_loop.py"
UNTRACED = "untraced"
MODES = ("off", "proxies", "proxies+fd")
ROUTES = ("raw", "print")


def _commands(ctx: Context, series: str, backend: str, route: str, count: int) -> list[Command]:
    python = str(ctx.python(series))
    cwd = ctx.scratch("cwd")
    out = [Command(UNTRACED, (python, str(SCRIPT), route, str(count)), env=envs.repo_env(),
                   cwd=cwd)]
    for mode in MODES:
        trace = ctx.scratch("traces") / f"iocap-{backend}-{route}-{mode.replace('+', '-')}"
        argv = (python, "-m", "recorder", "--backend", backend, "--io-capture", mode,
                "--exclude", "*/write_body.py", "--trace-dir", str(trace), str(SCRIPT), route,
                str(count))
        out.append(Command(mode, argv, env=envs.repo_env(), cwd=cwd, scratch=trace))
    return out


def _per_write(outcomes: dict[str, Outcome], count: int) -> str:
    fd, proxies = outcomes["proxies+fd"], outcomes["proxies"]
    if not fd.runs or not proxies.runs:
        return "-"
    extra = summarize(fd.walls).median - summarize(proxies.walls).median
    return f"{extra / count * 1e6:+.2f} µs"


def _rows(ctx: Context, reps: int, count: int) -> tuple[list[list[str]], list[str]]:
    rows: list[list[str]] = []
    verdicts: list[str] = []
    for series, backend in (("3.12", "monitoring"), ("3.11", "settrace")):
        for route in ROUTES:
            name = f"{backend} ({series}), {route}"
            try:
                commands = _commands(ctx, series, backend, route, count)
            except Unavailable as exc:
                rows.append([name, f"unavailable: {exc}", "-", "-"])
                continue
            ctx.progress(f"io capture: {name}, {reps} reps")
            outcomes = alternate(commands, reps, ctx.scratch("out"), None, ctx.progress)
            base = outcomes["proxies"]
            for label, found in outcomes.items():
                if found.error is not None or not found.runs:
                    rows.append([f"{name}: {label}", f"unavailable: {found.error}", "-", "-"])
                    continue
                r = ratio(found.walls, base.walls) if base.runs else None
                per = _per_write(outcomes, count) if label == "proxies+fd" else ""
                rows.append([f"{name}: {label}", table.timing(summarize(found.walls)),
                             table.times(r), per])
            verdicts.append(f"- fd capture, {name}: {_per_write(outcomes, count)} per write "
                            "over proxies.")
    return rows, verdicts


def run(ctx: Context) -> PartResult:
    """Run part 6 and return its Markdown section."""
    reps = ctx.reps(full=5, quick=3)
    count = 100_000 if ctx.quick else 400_000
    rows, verdicts = _rows(ctx, reps, count)
    body = table.render(("variant", "wall, median (min-max)", "x proxies", "extra per write"),
                        rows, right=(1, 2, 3))
    intro = (f"## 7. I/O capture\n\n`helpers/write_loop.py`, {count:,} lines of 64 bytes to a "
             f"file from an untraced loop, {reps} runs per variant, alternating.\n\n")
    return PartResult(intro + body + "\n" + "".join(v + "\n" for v in verdicts), verdicts)
