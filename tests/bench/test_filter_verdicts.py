"""The trace filter part's verdicts, from synthetic outcomes: met, missed, not measured."""

from pathlib import Path

from bench.part_filters import OURS, OURS_FILTERED, RUST_FILTERED, verdicts
from bench.runner import Command, Outcome, RunResult


def _outcome(label: str, walls: list[float]) -> Outcome:
    runs = [RunResult(w, 20 * 1024, 0, Path("out"), "") for w in walls]
    return Outcome(Command(label, ("x",)), runs=runs)


def test_both_targets_met() -> None:
    lines = verdicts({OURS: _outcome(OURS, [1.0, 1.0]),
                      OURS_FILTERED: _outcome(OURS_FILTERED, [1.02, 1.02]),
                      RUST_FILTERED: _outcome(RUST_FILTERED, [2.0, 2.0])})
    assert [line.endswith("- met.") for line in lines] == [True, True]


def test_missed_targets_are_said_plainly() -> None:
    lines = verdicts({OURS: _outcome(OURS, [1.0, 1.0]),
                      OURS_FILTERED: _outcome(OURS_FILTERED, [1.2, 1.2]),
                      RUST_FILTERED: _outcome(RUST_FILTERED, [1.0, 1.0])})
    assert [line.endswith("- **missed**.") for line in lines] == [True, True]


def test_a_missing_variant_is_not_measured() -> None:
    lines = verdicts({OURS: _outcome(OURS, [1.0]), OURS_FILTERED: _outcome(OURS_FILTERED, [1.0]),
                      RUST_FILTERED: Outcome(Command(RUST_FILTERED, ()), error="no venv")})
    assert lines[1] == "- Against the Rust recorder with the same filter: not measured."
