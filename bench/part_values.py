"""Part 4: what recording values costs on real programs, ours beside the Rust recorder.

Five command lines of pure-Python packages nobody here wrote (pygments, markdown, docutils,
sqlparse, jinja2), on small inputs, with their site-packages traced (ours: ``--include
'*/site-packages/*'``; the Rust recorder traces site-packages by default). For each: wall time,
trace size, events, bytes per event and peak memory of both recorders in the same run, whether the
traced run printed exactly what the untraced run printed, and the variables that take the most
bytes in our trace. The issue's targets: pygments at most 160 MB and 10 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench import envs, table
from bench.context import Context, PartResult
from bench.errors import Unavailable

PACKAGES = ["pygments==2.21.0", "markdown==3.11.4", "docutils==0.23.1", "sqlparse==0.6.1",
            "jinja2==3.1.6"]
TARGET_BYTES, TARGET_SECONDS = 160e6, 10.0

_MARKDOWN = "| a | b |\n|---|---|\n| 1 | 2 |\n\n# Title\n\nSome *text* and a [link](x).\n"
_RST = "Title\n=====\n\nSome *text*.\n\n- one\n- two\n\n.. note:: A note.\n"
_SQL = "select a, b from t where a = 1 and b in (select c from u) order by a;\n"
_JINJA = ("import jinja2\nenv = jinja2.Environment()\n"
          "t = env.from_string('{% for x in xs %}<li>{{ x|upper }}</li>{% endfor %}')\n"
          "print(t.render(xs=['a', 'b', 'c']))\n")


@dataclass
class Run:
    seconds: float
    peak_kb: int
    stdout: bytes
    trace: Path | None = None


def _inputs(work: Path) -> dict[str, list[str]]:
    """Program name -> command (relative to the venv's bin, or a script) and arguments."""
    sample = work / "sample.py"
    sample.write_text((envs.REPO / "recorder" / "events.py").read_text()[:1000])
    (work / "doc.md").write_text(_MARKDOWN)
    (work / "doc.rst").write_text(_RST)
    (work / "query.sql").write_text(_SQL)
    (work / "render.py").write_text(_JINJA)
    return {
        "pygments": ["pygmentize", "-l", "python", "-f", "html", "-O", "full", str(sample)],
        "markdown": ["markdown_py", "-x", "tables", str(work / "doc.md")],
        "docutils": ["docutils", str(work / "doc.rst")],
        "sqlparse": ["sqlformat", "--reindent", "--keywords", "upper", str(work / "query.sql")],
        "jinja2": [str(work / "render.py")],
    }


def _run(argv: list[str], cwd: Path, env: dict[str, str] | None = None,
         trace: Path | None = None) -> Run:
    timed = ["/usr/bin/time", "-f", "%M", "-o", str(cwd / "peak.txt"), *argv]
    started = time.perf_counter()
    done = subprocess.run(timed, cwd=cwd, env=env, capture_output=True, timeout=900, check=False)
    seconds = time.perf_counter() - started
    peak = (cwd / "peak.txt").read_text().strip().splitlines()[-1]
    return Run(seconds, int(peak) if peak.isdigit() else 0, done.stdout, trace)


def _facts(trace: Path) -> tuple[int, int, list[tuple[str, int]]]:
    """(bytes, events, the three variables with the most Value bytes) of ``trace.json``."""
    path = trace / "trace.json"
    events = json.loads(path.read_text(encoding="utf-8"))
    names = [e["VariableName"] for e in events if "VariableName" in e]
    sizes: Counter[str] = Counter()
    for event in events:
        if "Value" in event:
            sizes[names[event["Value"]["variable_id"]]] += len(json.dumps(event))
    return path.stat().st_size, len(events), sizes.most_common(3)


def run(ctx: Context) -> PartResult:
    """Run part 4 and return its Markdown section."""
    python = envs.ensure_venv(".venv-values-312", ctx.python("3.12"),
                              [envs.RUST_RECORDER, *PACKAGES])
    bin_dir = python.parent
    work = ctx.scratch("values")
    rows: list[list[str]] = []
    top: list[str] = []
    verdicts: list[str] = []
    base_env = dict(os.environ)
    ours_env = {**base_env, **envs.repo_env()}
    for name, command in _inputs(work).items():
        ctx.progress(f"values: {name}")
        script = command[0] if command[0].startswith("/") else str(bin_dir / command[0])
        argv = [script, *command[1:]]
        plain = _run([str(python), *argv], work, base_env)
        ours = _run([str(python), "-m", "recorder", "--include", "*/site-packages/*",
                     "--trace-dir", str(work / f"ours-{name}"), *argv], work, ours_env,
                    work / f"ours-{name}")
        rust = _run([str(python), "-m", "codetracer_python_recorder", "--format", "json",
                     "--trace-dir", str(work / f"rust-{name}"), *argv], work, base_env,
                    work / f"rust-{name}")
        for label, result in (("ours", ours), ("Rust 0.3.0", rust)):
            try:
                size, count, largest = _facts(result.trace) if result.trace else (0, 0, [])
            except (OSError, ValueError) as exc:
                raise Unavailable(f"{label} left no readable trace for {name}: {exc}") from exc
            same = "yes" if result.stdout == plain.stdout else "**no**"
            rows.append([name, label, table.seconds(result.seconds), table.size(size),
                         table.count(count), f"{size / max(count, 1):.0f}",
                         table.size(result.peak_kb * 1024), same])
            if label == "ours":
                top.append(f"{name}: " + ", ".join(f"`{v}` {table.size(b)}" for v, b in largest))
                if name == "pygments":
                    ok = size <= TARGET_BYTES and result.seconds <= TARGET_SECONDS
                    verdicts.append(
                        f"values, pygments: {table.size(size)} in {table.seconds(result.seconds)}"
                        f" (target <= 160 MB and <= 10 s): {'met' if ok else 'NOT met'}")
        rows.append([name, "untraced", table.seconds(plain.seconds), "", "", "",
                     table.size(plain.peak_kb * 1024), ""])
    headers = ["program", "recorder", "time", "trace.json", "events", "bytes/event",
               "peak memory", "output as untraced"]
    text = "\n".join([
        "## 5. Values on real programs (site-packages traced, Python 3.12)", "",
        __doc__.split("\n\n")[1].replace("\n", " ") if __doc__ else "", "",
        table.render(headers, rows, right=[2, 3, 4, 5, 6]), "",
        "Largest variables in our traces (bytes of `Value` events):", "",
        *[f"- {line}" for line in top], "",
    ])
    return PartResult(text, verdicts)
