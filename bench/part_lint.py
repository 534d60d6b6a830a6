"""Part 2: lint speed on the standard library (tests left out), ours against flake8, ruff and
the cost of ``ast.parse`` itself.

Three corpora: the whole tree for the fast tools (our check, ruff, the ``ast.parse``
reference) and, in a group of their own, ``check`` with and without a baseline of every
finding; every 4th file for flake8 with and without our plugin; and a fixed sample for
``fix`` (libcst), which is one to two orders of magnitude slower. All are copied into a temporary
directory outside the repository, so no tool picks up this project's configuration.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench import corpus, envs
from bench.context import Context, PartResult
from bench.corpus import Corpus
from bench.errors import Unavailable
from bench.lint_report import Section, render, section_verdicts
from bench.runner import Command, Outcome, RunResult, alternate

RUFF_RULES = "T201,S101,TRY002,BLE001,S110"
LINT_OK = frozenset({0, 1})  # 1 = findings, for every tool here
_FINDING = re.compile(r"^\S+?(?::|@)\d+:\d+", re.MULTILINE)

PARSE_1 = "ast.parse, 1 core (reference)"
PARSE_N = "ast.parse, all cores (reference)"
OURS_FAST = "lint_rules check (all cores)"
OURS_FAST_1 = "lint_rules check --jobs 1 (1 core)"
OURS_FAST_WARM = "lint_rules check, second run (cache)"
OURS_BASELINE = "lint_rules check --baseline (every finding recorded)"
OURS_BASELINE_REF = "lint_rules check (all cores), next to --baseline"
RUFF = f"ruff --select {RUFF_RULES}"
RUFF_WARM = "ruff, second run (cache)"
FLAKE8_BASE = "flake8 baseline (plugin not installed)"
FLAKE8_ALL = "flake8 + REC plugin (default checks + REC)"
FLAKE8_REC = "flake8 --select REC"
OURS_FIX = "lint_rules fix --diff (1 core)"
LABELS = {
    "flake8_all": FLAKE8_ALL,
    "flake8_base": FLAKE8_BASE,
    "fast": OURS_FAST,
    "fast_1": OURS_FAST_1,
    "parse_1": PARSE_1,
    "warm": OURS_FAST_WARM,
    "parse_n": PARSE_N,
    "fix": OURS_FIX,
    "baseline": OURS_BASELINE,
    "baseline_ref": OURS_BASELINE_REF,
}


def _findings(cmd: Command, result: RunResult) -> dict[str, float]:
    text = result.stdout_path.read_text(encoding="utf-8", errors="replace")
    return {"findings": float(len(_FINDING.findall(text)))}


def _python_tool(python: Path, tool: str) -> str:
    """The console script ``tool`` next to ``python`` (venvs put them side by side)."""
    candidate = python.parent / tool
    if not candidate.is_file():
        raise Unavailable(f"{tool} is not installed next to {python}")
    return str(candidate)


def _fast_commands(ctx: Context, work: Path, listfile: Path) -> list[Command]:
    py = ctx.python("3.11")
    env = envs.repo_env()
    ours = (str(py), "-m", "lint_rules", "check")
    cmds = [
        Command(
            PARSE_1,
            (str(py), "-m", "bench.helpers.parse_ref", "--jobs", "1", str(listfile)),
            env=env,
            cwd=work,
        ),
        Command(
            PARSE_N,
            (str(py), "-m", "bench.helpers.parse_ref", "--jobs", "0", str(listfile)),
            env=env,
            cwd=work,
        ),
        Command(
            OURS_FAST,
            (*ours, "--cache-dir", str(work / "cold-cache"), "stdlib"),
            env=env,
            cwd=work,
            ok_codes=LINT_OK,
            scratch=work / "cold-cache",
        ),
        Command(
            OURS_FAST_1,
            (*ours, "--jobs", "1", "--cache-dir", str(work / "cold-cache-1"), "stdlib"),
            env=env,
            cwd=work,
            ok_codes=LINT_OK,
            scratch=work / "cold-cache-1",
        ),
        Command(
            OURS_FAST_WARM,
            (*ours, "--cache-dir", str(work / "warm-cache"), "stdlib"),
            env=env,
            cwd=work,
            ok_codes=LINT_OK,
            prime=True,
        ),
    ]
    ruff = _python_tool(py, "ruff")
    ruff_args = ("check", "--isolated", "--select", RUFF_RULES, "--output-format", "concise", "-q")
    cmds.append(
        Command(RUFF, (ruff, *ruff_args, "--no-cache", "stdlib"), cwd=work, ok_codes=LINT_OK)
    )
    cmds.append(
        Command(
            RUFF_WARM,
            (ruff, *ruff_args, "--cache-dir", str(work / "ruff-cache"), "stdlib"),
            cwd=work,
            ok_codes=LINT_OK,
            prime=True,
        )
    )
    return cmds


def _baseline_commands(ctx: Context, work: Path) -> list[Command]:
    """``check`` with and without a baseline of every finding, alone in their group so that
    they alternate only with each other: the same work (cold caches, emptied before each run,
    the same cores) but the lookup.  In the main group each had fixed other neighbours (the
    baseline run always came right after a cold ``--jobs 1`` run and a cache-hit run, the check
    after the parse references), which the ratio measured too."""
    py = ctx.python("3.11")
    env = envs.repo_env()
    ours = (str(py), "-m", "lint_rules", "check")
    recorded = str(_write_baseline(py, work))
    return [
        Command(
            label,
            (*ours, "--cache-dir", str(work / cache), *extra, "stdlib"),
            env=env,
            cwd=work,
            ok_codes=LINT_OK,
            scratch=work / cache,
        )
        for label, cache, extra in (
            (OURS_BASELINE_REF, "cold-cache-a", ()),
            (OURS_BASELINE, "cold-cache-b", ("--baseline", recorded)),
        )
    ]


def _write_baseline(python: Path, work: Path) -> Path:
    """A baseline of every finding in the corpus (untimed), for the baseline lookup's cost."""
    path = work / "all-findings.rec-baseline.json"
    argv = [str(python), "-m", "lint_rules", "check", "--no-cache", "--write-baseline", str(path)]
    done = subprocess.run(
        [*argv, "stdlib"], cwd=work, env=envs.repo_env(), capture_output=True, check=False
    )
    if done.returncode != 0:
        raise Unavailable(f"cannot write the baseline: {done.stderr.decode()[-200:]}")
    return path


def _flake8_commands(ctx: Context, work: Path) -> list[Command]:
    flake8 = _python_tool(ctx.python("3.11"), "flake8")
    return [
        Command(FLAKE8_ALL, (flake8, "--isolated", "stdlib"), cwd=work, ok_codes=LINT_OK),
        Command(
            FLAKE8_REC,
            (flake8, "--isolated", "--select", "REC", "stdlib"),
            cwd=work,
            ok_codes=LINT_OK,
        ),
    ]


def _baseline_command(ctx: Context, work: Path) -> Command:
    base = envs.flake8_baseline_python(ctx.python("3.11"))
    return Command(
        FLAKE8_BASE,
        (_python_tool(base, "flake8"), "--isolated", "stdlib"),
        cwd=work,
        ok_codes=LINT_OK,
    )


# The fix sample gets a façade to import from, so that asserts and raises are fixed too (without
# one only prints are); the other groups keep the default configuration.
FIX_CONFIG = '[tool.lint_rules]\nfacade-modules = ["project.errors"]\n'


def _fix_commands(ctx: Context, work: Path) -> list[Command]:
    py = ctx.python("3.11")
    (work / "pyproject.toml").write_text(FIX_CONFIG, encoding="utf-8")
    cache = work / "check-cache"
    check = (str(py), "-m", "lint_rules", "check", "--cache-dir", str(cache), "stdlib")
    fix = (str(py), "-m", "lint_rules", "fix", "--diff", "stdlib")
    env = envs.repo_env()
    return [
        Command(OURS_FAST, check, env=env, cwd=work, ok_codes=LINT_OK, scratch=cache),
        Command(OURS_FIX, fix, env=env, cwd=work, ok_codes=LINT_OK, timeout=900.0),
    ]


def _measure(
    ctx: Context,
    planned: list[Command],
    missing: dict[str, str],
    reps: int,
) -> dict[str, Outcome]:
    outcomes = alternate(planned, reps, ctx.scratch("out"), _findings, ctx.progress)
    for label, reason in missing.items():
        outcomes[label] = Outcome(Command(label, ()), error=reason)
    return outcomes


def _try(
    build: Callable[[], list[Command] | Command],
    label: str,
    planned: list[Command],
    missing: dict[str, str],
) -> None:
    """Add what ``build`` makes to ``planned``, or record why ``label`` is unavailable."""
    try:
        made = build()
    except Unavailable as exc:
        missing[label] = str(exc)
        return
    planned.extend(made if isinstance(made, list) else [made])


def run(ctx: Context) -> PartResult:
    """Run part 2 and return its Markdown section."""
    stdlib = Path(sysconfig_stdlib(ctx.python("3.11")))
    # flake8 takes about a minute per run on the whole tree here: a quarter of it keeps three
    # alternating runs of each variant inside the time budget, and the ratio is what matters.
    every_big = 8 if ctx.quick else 1
    every_flake8 = 8 if ctx.quick else 4
    every_fix = 64 if ctx.quick else 24
    root = Path(tempfile.mkdtemp(prefix="bench-lint-"))
    try:
        big = corpus.build(stdlib, root / "big" / "stdlib", every=every_big)
        part = corpus.build(stdlib, root / "flake8" / "stdlib", every=every_flake8)
        sample = corpus.build(stdlib, root / "sample" / "stdlib", every=every_fix)
        listfile = corpus.write_list(big, root / "big-files.txt")
        work = big.root.parent
        ctx.progress(f"lint corpus: {len(big.files)} files, {big.lines} lines")
        groups: list[tuple[str, Corpus, str, list[Builder], int]] = [
            (
                f"{_scope(every_big)}: our fast check, ruff and the parse reference",
                big,
                PARSE_N,
                [(lambda: _fast_commands(ctx, work, listfile), OURS_FAST)],
                ctx.reps(full=3, quick=3),
            ),
            (
                f"{_scope(every_big)}: check with and without a baseline of every finding",
                big,
                OURS_BASELINE_REF,
                [(lambda: _baseline_commands(ctx, work), OURS_BASELINE)],
                _pair_reps(ctx),
            ),
            (
                f"{_scope(every_flake8)}: flake8 with and without our plugin",
                part,
                FLAKE8_BASE,
                [
                    (lambda: _baseline_command(ctx, part.root.parent), FLAKE8_BASE),
                    (lambda: _flake8_commands(ctx, part.root.parent), FLAKE8_ALL),
                ],
                ctx.reps(full=3, quick=2),
            ),
            (
                f"{_scope(every_fix)}: fix throughput",
                sample,
                OURS_FAST,
                [(lambda: _fix_commands(ctx, sample.root.parent), OURS_FIX)],
                ctx.reps(full=3, quick=2),
            ),
        ]
        sections = [_group(ctx, *group) for group in groups]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return PartResult(render(sections, RUFF_RULES, LABELS), section_verdicts(sections, LABELS))


Builder = tuple[Callable[[], list[Command] | Command], str]
# The baseline's cost is a few percent of a one-second run, less than one run's noise on a
# shared machine: its pair runs at least this many times in a full run, whatever --reps says.
PAIR_MIN_REPS = 15


def _pair_reps(ctx: Context) -> int:
    return max(ctx.reps(full=PAIR_MIN_REPS, quick=3), 3 if ctx.quick else PAIR_MIN_REPS)


def _scope(every: int) -> str:
    """How much of the standard library a section covers, for its title."""
    return "Whole tree" if every == 1 else f"Every {every}th file"


def _group(
    ctx: Context, title: str, files: Corpus, reference: str, builders: list[Builder], reps: int
) -> Section:
    planned: list[Command] = []
    missing: dict[str, str] = {}
    for build, label in builders:
        _try(build, label, planned, missing)
    ctx.progress(f"lint: {title} ({reps} reps)")
    return Section(title, files, _measure(ctx, planned, missing, reps), reference, reps)


def sysconfig_stdlib(python: Path) -> str:
    """The standard library directory of ``python``."""
    done = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise Unavailable(f"cannot locate the standard library of {python}")
    return done.stdout.strip()
