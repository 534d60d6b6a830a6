"""Whole sections render from outcomes, and a broken tool shows as ``unavailable: <reason>``."""

from pathlib import Path

from bench import lint_report, recorder_report
from bench.corpus import Corpus
from bench.runner import Command, Outcome, RunResult
from bench.variants import ALL, RECORDERS, RUST_EQ, UNTRACED_312
from bench.workloads import WORKLOADS


def _outcome(label: str, wall: float, **facts: float) -> Outcome:
    run = RunResult(wall, 30 * 1024, 0, Path("out"), "")
    return Outcome(Command(label, ("x",)), runs=[run, run], facts=dict(facts))


def test_recorder_section_with_a_missing_peer() -> None:
    outcomes = {label: _outcome(label, 1.0) for label in ALL}
    for label in RECORDERS:
        outcomes[label] = _outcome(label, 2.0, bytes=1000.0, events=100.0, steps=50.0)
    outcomes[RUST_EQ] = Outcome(Command(RUST_EQ, ()), error="pip install failed: no network")
    results = [recorder_report.WorkloadResult(w, w.quick, outcomes) for w in WORKLOADS]
    memory = [
        recorder_report.MemoryRow(f, f, {UNTRACED_312: _outcome(UNTRACED_312, 1.0)}) for f in (1, 2)
    ]
    text = recorder_report.render(results, memory, reps=2, mem_reps=1)
    assert text.count("unavailable: pip install failed: no network") == len(WORKLOADS) * 2
    for w in WORKLOADS:
        assert f"### Workload `{w.name}`" in text
    assert (
        "- calls, lines, values, gen_exc: no comparison with the Rust recorder (its "
        "same-content run is unavailable)." in text
    )
    assert "Workload scales (the script's argument): calls 2, lines 2, values 800," in text
    assert (
        "| ours monitoring 3.12 | 2 s | 2x | - | 1x | 30.0 MiB | 1000 B | 100 | 50 | 50 events/s |"
        in text
    )


def test_lint_section_with_a_missing_tool() -> None:
    corpus = Corpus(Path("/c"), (Path("a.py"), Path("b.py")), 1000, Path("/lib"))
    fast = {"parse": _outcome("parse", 0.5), "fast": _outcome("fast", 1.0, findings=7.0)}
    cst = {"fast": _outcome("fast", 1.0), "fixit": Outcome(Command("fixit", ()), error="boom")}
    sections = [
        lint_report.Section("Tree", corpus, fast, "parse", 3),
        lint_report.Section("Sample", corpus, cst, "fast", 2),
    ]
    labels = dict.fromkeys(("flake8_all", "flake8_base", "warm", "cst"), "absent")
    labels |= {"fast": "fast", "parse_n": "parse", "fixit": "fixit"}
    text = lint_report.render(sections, "T201", labels)
    assert "| fast | 1 s | - | 1k lines/s | 2x | 7 |" in text  # no CPU time measured
    assert "| fixit | unavailable: boom | - | - | - | - |" in text
    assert "2 files, 1k lines, 3 run(s) per tool." in text
    assert "- fast check near the cost of `ast.parse`" in text


def test_lint_rows_show_cpu_time_next_to_wall_time() -> None:
    corpus = Corpus(Path("/c"), (Path("a.py"),), 1000, Path("/lib"))
    runs = [RunResult(w, 1024, 0, Path("out"), "", cpu) for w, cpu in ((1.0, 1.9), (1.2, 2.1))]
    fast = {"fast": Outcome(Command("fast", ("x",)), runs=runs), "parse": _outcome("parse", 0.5)}
    labels = dict.fromkeys(("flake8_all", "flake8_base", "warm"), "absent")
    labels |= {"fast": "fast", "parse_n": "parse"}
    text = lint_report.render([lint_report.Section("Tree", corpus, fast, "parse", 2)], "T", labels)
    assert "| tool | wall, median (min-max) | CPU, median (min-max) |" in text
    assert "| fast | 1.1 s (1-1.2) | 2 s (1.9-2.1) | 909 lines/s | 2.2x (2-2.4) | - |" in text


def test_targets_at_a_glance_collects_every_part() -> None:
    from bench.context import PartResult
    from bench.report import glance, unavailable_section

    parts = [
        PartResult("## 1\n", ["- one - met."]),
        unavailable_section("lint", "flake8 missing"),
        PartResult("## 3\n", []),
    ]
    assert parts[1].markdown == "## 2. Lint speed\n\nunavailable: flake8 missing\n"
    assert glance(parts) == (
        "## Targets at a glance\n\n- one - met.\n- 2. Lint speed: unavailable.\n\n"
    )
    assert glance([PartResult("x", [])]) == ""
