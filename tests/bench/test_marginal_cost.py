"""Per-event cost against the no-op floor: run times at S and 4S in, ns per event and ratios out."""

import sys
from pathlib import Path

import pytest

from bench import marginal
from bench.runner import Command, Outcome, RunResult
from bench.stats import Summary
from bench.variants import BARE_312, FLOOR_312, OURS_312, UNTRACED_312


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


def test_the_bare_recorder_sits_beside_the_floor() -> None:
    runs = {
        "small": {UNTRACED_312: [0.10, 0.12], FLOOR_312: [0.12, 0.14], OURS_312: [0.50, 0.52],
                  BARE_312: [0.20, 0.22]},
        "big": {UNTRACED_312: [0.40, 0.42], FLOOR_312: [0.60, 0.57], OURS_312: [2.00, 2.12],
                BARE_312: [0.80, 0.85]},
    }
    small, big = ({label: _outcome(label, cpus, events=1e6 if side == "small" else 4e6)
                   for label, cpus in runs[side].items()} for side in ("small", "big"))
    row = marginal.compute("lines", "3.12", 20, small, big)
    # d(bare) = 0.60, 0.63 over d(untraced) = 0.30, 0.30: 100 and 110 ns per event; the floor's
    # 60 and 43.3 ns give 1.667x and 2.538x.
    assert row.bare_ns is not None and row.bare_ratio is not None
    assert (row.bare_ns.low, row.bare_ns.high) == (pytest.approx(100.0), pytest.approx(110.0))
    assert (row.bare_ratio.low, row.bare_ratio.high) == (
        pytest.approx(100 / 60), pytest.approx(110 / 43.333, abs=1e-3))
    rendered = marginal.render([row], 2)
    assert "| 105 ns (100-110) | 2.1x (1.7-2.5) | <= 4x | **not met** |" in rendered
    assert "; the bare Python recorder: 2.1x (1.7-2.5), 105 ns (100-110))" in (
        marginal.verdicts([row])[0])
    # Without the bare runs the row stands, and says nothing of it.
    del small[BARE_312]
    alone = marginal.compute("lines", "3.12", 20, small, big)
    assert alone.ratio == row.ratio and alone.bare_ns is None and alone.bare_ratio is None
    assert "bare" not in marginal.verdicts([alone])[0]


def _two_lines(a: int) -> int:
    b = a + 1
    return b


@pytest.mark.skipif(sys.version_info < (3, 12), reason="sys.monitoring is 3.12+")
def test_the_bare_recorder_keeps_one_text_per_event() -> None:
    from bench.helpers import bare_monitoring as bare

    bare.install()
    try:
        counts = (len(bare._out), _two_lines(1), len(bare._out))  # one line: no event of ours
    finally:
        bare.uninstall()
    # Start: Step, Value a, Call; line 1: Step, Value a; line 2: Step, Values a and b; Return.
    assert counts[2] - counts[0] == 3 + 2 + 3 + 1


def test_every_hook_variant_runs_an_existing_helper() -> None:
    from bench import variants

    hooks = {variants.FLOOR_311, variants.FLOOR_312, variants.FLOOR_313, BARE_312,
             variants.BARE_313}
    assert set(variants.HELPERS) == hooks
    root = Path(variants.__file__).resolve().parent.parent
    for module in variants.HELPERS.values():
        assert (root / (module.replace(".", "/") + ".py")).is_file(), module
    assert variants.HELPERS[BARE_312].endswith("bare_monitoring")
    assert variants.HELPERS[FLOOR_312].endswith("noop_monitoring")
