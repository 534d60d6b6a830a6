"""The start-up section renders from outcomes: ratios to the Rust recorder, what each adds to the
untraced run, and a missing Rust recorder as ``unavailable: <reason>``."""

from pathlib import Path

import pytest

from bench import part_startup, variants
from bench.runner import Command, Outcome, RunResult


def _outcome(label: str, *walls: float) -> Outcome:
    runs = [RunResult(w, 1024, 0, Path("out"), "", cpu=w / 2) for w in walls]
    return Outcome(Command(label, ("x",)), runs=runs)


def _all(rust: Outcome) -> dict[str, Outcome]:
    return {
        variants.UNTRACED_312: _outcome(variants.UNTRACED_312, 0.010, 0.012, 0.011),
        variants.OURS_312: _outcome(variants.OURS_312, 0.050, 0.060, 0.055),
        variants.OURS_313: _outcome(variants.OURS_313, 0.070, 0.070, 0.070),
        variants.OURS_311: Outcome(Command(variants.OURS_311, ()), error="no Python 3.11"),
        variants.RUST_EQ: rust,
    }


def test_rows_and_the_verdict_against_rust() -> None:
    found = part_startup.render(_all(_outcome(variants.RUST_EQ, 0.100, 0.100, 0.110)), 3)
    text = found.markdown
    assert text.startswith(part_startup.TITLE + "\n")
    assert "3 runs per variant, alternating" in text
    assert "| untraced 3.12 | 11.0 ms (10.0-12.0) | 5.5 ms (5.0-6.0) | - | - | - |" in text
    assert "| ours monitoring 3.12 | 55.0 ms (50.0-60.0) | 27.5 ms (25.0-30.0) | 44.0 ms | " \
        "0.55x (0.50-0.60) | 0.55x (0.50-0.60) |" in text
    assert "| ours monitoring 3.13 | 70.0 ms (70.0-70.0) | 35.0 ms (35.0-35.0) | 59.0 ms | " \
        "0.70x (0.64-0.70) | 0.70x (0.64-0.70) |" in text
    assert "| ours settrace 3.11 | unavailable: no Python 3.11 | - | - | - | - |" in text
    assert "| Rust recorder 3.12, same content | 100.0 ms (100.0-110.0) | 50.0 ms (50.0-55.0) | " \
        "89.0 ms | - | - |" in text
    assert found.verdicts == [
        "- start-up and finish (scale 0): ours / Rust on 3.12 = 0.55x (0.50-0.60) (wall), "
        "0.55x (0.50-0.60) (CPU)."]


@pytest.mark.parametrize("rust", [
    Outcome(Command(variants.RUST_EQ, ()), error="pip install failed"),
    Outcome(Command(variants.RUST_EQ, ())),
])
def test_no_rust_recorder_no_ratio(rust: Outcome) -> None:
    found = part_startup.render(_all(rust), 3)
    assert "| Rust recorder 3.12, same content | unavailable: " in found.markdown
    assert "| ours monitoring 3.12 | 55.0 ms (50.0-60.0) | 27.5 ms (25.0-30.0) | 44.0 ms | - " \
        "| - |" in found.markdown
    assert found.verdicts == [
        "- start-up and finish (scale 0): no comparison (a run is unavailable)."]
