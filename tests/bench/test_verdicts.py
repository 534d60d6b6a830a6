"""Verdicts against the issue's targets, derived from (synthetic) measured outcomes."""

from pathlib import Path

from bench import lint_report, recorder_report
from bench.recorder_verdicts import memory_verdicts
from bench.runner import Command, Outcome, RunResult
from bench.variants import OURS_311, OURS_312, OURS_313, RUST_312, RUST_EQ, UNTRACED_312
from bench.workloads import WORKLOADS


def _outcome(
    label: str,
    walls: list[float],
    rss_mib: float = 20.0,
    cpus: list[float] | None = None,
    **facts: float,
) -> Outcome:
    cpu = cpus or [0.0] * len(walls)
    rss = int(rss_mib * 1024)
    runs = [RunResult(w, rss, 0, Path("out"), "", c) for w, c in zip(walls, cpu, strict=True)]
    return Outcome(Command(label, ("x",)), runs=runs, facts=dict(facts))


def _broken(label: str, reason: str) -> Outcome:
    return Outcome(Command(label, ()), error=reason)


def test_ours_against_rust_per_interpreter_and_target() -> None:
    def four(ours: list[float], settrace: list[float], rust: list[float]) -> dict[str, Outcome]:
        # The default-content Rust run is deliberately faster: it must not be the yardstick.
        return {
            OURS_312: _outcome(OURS_312, ours),
            OURS_311: _outcome(OURS_311, settrace),
            RUST_EQ: _outcome(RUST_EQ, rust),
            RUST_312: _outcome(RUST_312, [0.1] * len(rust)),
        }

    results = [
        recorder_report.WorkloadResult(WORKLOADS[0], 1, four([1.0, 1.0], [1.4, 1.4], [2.0, 2.0])),
        recorder_report.WorkloadResult(WORKLOADS[1], 1, four([3.0, 3.2], [1.5, 1.7], [2.0, 2.0])),
        recorder_report.WorkloadResult(WORKLOADS[2], 1, four([1.0, 1.2], [1.8, 2.0], [2.0, 2.0])),
        # biglist has no target: not judged
        recorder_report.WorkloadResult(WORKLOADS[4], 1, four([9.0], [9.0], [1.0])),
    ]
    assert recorder_report.verdicts(results, []) == [
        "- Ours 3.12 (sys.monitoring) / Rust recorder 3.12 at equal content (target <= 0.6x): "
        "calls 0.50x; lines 1.55x (1.5-1.6) **not met**; values 0.55x (0.50-0.60) - **not met** "
        "on 1 of 3.",
        "- Ours 3.11 (sys.settrace) / Rust recorder 3.12 at equal content (target <= 0.8x): "
        "calls 0.70x; lines 0.80x (0.75-0.85); values 0.95x (0.90-1) **not met** - **not met** "
        "on 1 of 3.",
    ]


def test_all_met() -> None:
    outcomes = {OURS_313: _outcome(OURS_313, [1.0]), RUST_EQ: _outcome(RUST_EQ, [2.0])}
    lines = recorder_report.verdicts(
        [recorder_report.WorkloadResult(WORKLOADS[0], 1, outcomes)], []
    )
    assert lines == [
        "- Ours 3.13 (sys.monitoring) / Rust recorder 3.12 at equal content (target <= 0.6x): "
        "calls 0.50x - met."
    ]


def test_no_comparison_when_rust_unavailable() -> None:
    outcomes = {OURS_312: _outcome(OURS_312, [1.0]), RUST_EQ: _broken(RUST_EQ, "pip failed")}
    lines = recorder_report.verdicts(
        [recorder_report.WorkloadResult(WORKLOADS[0], 1, outcomes)], []
    )
    assert lines == ["- calls: no comparison with the Rust recorder (its same-content run is "
                     "unavailable)."]


def test_memory_flat_or_growing() -> None:
    def row(factor: int, ours: float, rust: float) -> recorder_report.MemoryRow:
        return recorder_report.MemoryRow(
            factor,
            factor,
            {
                UNTRACED_312: _outcome(UNTRACED_312, [1.0], 10.0),
                OURS_312: _outcome(OURS_312, [1.0], ours),
                OURS_311: _broken(OURS_311, "crashed"),
                RUST_312: _outcome(RUST_312, [1.0], rust),
            },
        )

    lines = memory_verdicts([row(1, 30.0, 50.0), row(4, 31.0, 150.0)])
    assert lines == [
        f"- Peak RSS of {OURS_312} from x1 to x4 run length: 30.0 -> 31.0 MiB (1.03x): flat.",
        f"- Peak RSS of {RUST_312} from x1 to x4 run length: 50.0 -> 150.0 MiB (3.00x): "
        "**grows**, above the 100 MiB target.",
    ]


#: The lint report's row keys -> the labels of the outcomes these tests make.
LINT_NAMES = {"flake8_all": "all", "flake8_base": "base", "fast": "fast", "warm": "warm",
              "parse_n": "parse"}


def test_lint_targets() -> None:
    names = {**LINT_NAMES, "cst": "cst", "fixit": "fixit"}
    fast = {
        "base": _outcome("base", [10.0, 10.0]),
        "all": _outcome("all", [10.5, 10.5]),
        "parse": _outcome("parse", [1.0, 1.0]),
        "fast": _outcome("fast", [3.0, 3.0]),
        "warm": _outcome("warm", [0.1, 0.1]),
    }
    cst = {"cst": _outcome("cst", [2.0, 2.0]), "fixit": _broken("fixit", "pip failed")}
    lines = lint_report.verdicts(fast, cst, names)
    assert lines == [
        "- flake8 plugin adds under 10% to flake8's baseline: it adds +5.0% - met.",
        "- fast check near the cost of `ast.parse` on all cores (within 1.6x): 3x the parse time"
        " - **not met**.",
        "- second run over unchanged files near-instant (under 20% of a cold run): 0.03x of the"
        " cold run - met.",
    ]


def test_the_baseline_is_judged_on_cpu_time_against_the_check_it_alternated_with() -> None:
    names = {**LINT_NAMES, "baseline": "with", "baseline_ref": "without"}
    fast = {
        "fast": _outcome("fast", [0.5, 0.5], cpus=[0.9, 0.9]),  # another group's: not the yardstick
        "without": _outcome("without", [1.0, 1.0], cpus=[2.0, 2.0]),
        # The wall time says +9% (a disturbed run), the CPU time +3%.
        "with": _outcome("with", [1.06, 1.12], cpus=[2.04, 2.08]),
    }
    lines = lint_report.verdicts(fast, {}, names)
    assert lines[2] == (
        "- a baseline of every finding adds under 5% to check: it adds +3.0% (+2.0% to +4.0%) CPU"
        " time (wall time +9.0% (+6.0% to +12.0%)) - met."
    )
    slower = {**fast, "with": _outcome("with", [1.0, 1.0], cpus=[2.12, 2.08])}
    assert lint_report.verdicts(slower, {}, names)[2].endswith("- **not met**.")


def test_without_cpu_times_the_baseline_is_judged_on_wall_time() -> None:
    names = dict.fromkeys(("flake8_all", "flake8_base", "warm", "parse_n"), "absent")
    names |= {"fast": "fast", "baseline": "with", "baseline_ref": "without"}
    fast = {"without": _outcome("without", [1.0, 1.0]), "with": _outcome("with", [1.06, 1.04])}
    line = lint_report.verdicts(fast, {}, names)[2]
    assert line == (
        "- a baseline of every finding adds under 5% to check: it adds +5.0% (+4.0% to +6.0%) wall"
        " time (CPU time not measured) - **not met**."
    )


def test_seams_verdict() -> None:
    from bench.part_faults import seams_verdict
    from bench.stats import Ratio

    assert seams_verdict(Ratio(1.01, 0.9, 1.12)).endswith(
        "no measurable cost (not slower in every pair by more than 3%) - met."
    )
    assert seams_verdict(Ratio(0.83, 0.77, 0.9)).endswith("- met.")
    assert seams_verdict(Ratio(1.2, 1.1, 1.3)) == (
        "+20.0% (+10.0% to +30.0%), slower in every pair: **a measurable cost**."
    )
