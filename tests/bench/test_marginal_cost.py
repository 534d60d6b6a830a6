"""Per-event cost against the no-op floor: run times at S and 4S in, ns per event and ratios out."""

from pathlib import Path

import pytest

from bench import marginal
from bench.runner import Command, Outcome, RunResult
from bench.stats import Summary
from bench.variants import FLOOR_312, OURS_312, UNTRACED_312


def _outcome(label: str, cpus: list[float], **facts: float) -> Outcome:
    runs = [RunResult(c + 0.5, 20 * 1024, 0, Path("out"), "", cpu=c) for c in cpus]
    return Outcome(Command(label, ("x",)), runs=runs, facts=dict(facts))


@pytest.mark.parametrize(
    ("small", "big", "expected"),
    [
        ([1.0, 2.0], [4.0, 5.5], [3.0, 3.5]),
        ([1.0, 2.0, 3.0], [4.0], [3.0]),  # only the repetitions both sides have
        ([], [1.0], []),
    ],
)
def test_differences(small: list[float], big: list[float], expected: list[float]) -> None:
    assert marginal.differences(small, big) == pytest.approx(expected)


def test_per_event_ns_and_ratios() -> None:
    # 0.3 s more than untraced over 1,000,000 extra events: 300 ns per event.
    ours = marginal.per_event_ns([0.4, 0.5], [0.1, 0.1], 1_000_000)
    floor = marginal.per_event_ns([0.15, 0.1], [0.1, 0.1], 1_000_000)
    assert ours == pytest.approx([300.0, 400.0])
    assert floor == pytest.approx([50.0, 0.0])
    # A floor lost in the noise (0 ns) has no ratio.
    assert marginal.paired_ratios(ours, floor) == pytest.approx([6.0])
    assert marginal.per_event_ns([1.0], [0.0], 0) == []


def test_a_row_from_outcomes() -> None:
    small = {
        UNTRACED_312: _outcome(UNTRACED_312, [0.10, 0.12]),
        FLOOR_312: _outcome(FLOOR_312, [0.12, 0.14]),
        OURS_312: _outcome(OURS_312, [0.50, 0.52], events=1_000_000.0),
    }
    big = {
        UNTRACED_312: _outcome(UNTRACED_312, [0.40, 0.42]),
        FLOOR_312: _outcome(FLOOR_312, [0.60, 0.57]),
        OURS_312: _outcome(OURS_312, [2.00, 2.12], events=4_000_000.0),
    }
    row = marginal.compute("calls", "3.12", 16, small, big)
    # d(untraced) = 0.30, 0.30; d(noop) = 0.48, 0.43; d(ours) = 1.50, 1.60; 3M extra events.
    assert row.events == (1_000_000.0, 4_000_000.0)
    assert row.ours_ns == Summary(pytest.approx(416.667, abs=1e-3), pytest.approx(400.0),
                                  pytest.approx(433.333, abs=1e-3), 2)
    assert row.floor_ns is not None and row.floor_ns.low == pytest.approx(43.333, abs=1e-3)
    assert row.floor_ns.high == pytest.approx(60.0)
    assert row.ratio is not None
    assert (row.ratio.low, row.ratio.high) == (pytest.approx(400 / 60), pytest.approx(1.3 / 0.13))
    assert marginal.verdict(row) == "**not met**"
    assert "| calls | 3.12 | 16 -> 64 | 1M -> 4M | 417 ns (400-433) | 52 ns (43-60) |" in (
        marginal.render([row], 2)
    )


def test_a_missing_variant_makes_the_row_unavailable() -> None:
    small = {
        UNTRACED_312: _outcome(UNTRACED_312, [0.1]),
        FLOOR_312: Outcome(Command(FLOOR_312, ()), error="no Python 3.12"),
        OURS_312: _outcome(OURS_312, [0.5], events=10.0),
    }
    row = marginal.compute("lines", "3.12", 20, small, dict(small))
    assert row.ratio is None and row.error == f"{FLOOR_312}: no Python 3.12"
    assert marginal.verdicts([row]) == [
        f"- Per event, ours / floor (lines, 3.12): not measured ({FLOOR_312}: no Python 3.12)."
    ]


@pytest.mark.parametrize(
    ("workload", "median", "expected"),
    [("calls", 3.9, "met"), ("lines", 4.1, "**not met**"), ("values", 7.5, "met"),
     ("gen_exc", 30.0, "reported (no target)")],
)
def test_targets(workload: str, median: float, expected: str) -> None:
    row = marginal.MarginalRow(workload, "3.13", 1, (1.0, 4.0), ratio=Summary(median, 1, 99, 3))
    assert marginal.verdict(row) == expected
