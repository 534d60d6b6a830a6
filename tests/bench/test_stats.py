"""Statistics of repeated runs: medians, ranges, paired ratios, alternation order."""

import pytest

from bench.errors import BenchError
from bench.stats import Ratio, Summary, rate, ratio, rotated, summarize


@pytest.mark.parametrize(
    ("samples", "expected"),
    [
        ([3.0], Summary(3.0, 3.0, 3.0, 1)),
        ([5.0, 1.0, 3.0], Summary(3.0, 1.0, 5.0, 3)),
        ([4.0, 1.0, 2.0, 3.0], Summary(2.5, 1.0, 4.0, 4)),
        ([2.0, 2.0, 100.0], Summary(2.0, 2.0, 100.0, 3)),  # one disturbed run moves no median
    ],
)
def test_summarize(samples: list[float], expected: Summary) -> None:
    assert summarize(samples) == expected


def test_summarize_refuses_nothing() -> None:
    with pytest.raises(BenchError):
        summarize([])


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ([2.0, 4.0, 6.0], [1.0, 2.0, 3.0], Ratio(2.0, 2.0, 2.0)),
        # ratio of medians (3/2) with the range of the paired ratios (1/1 .. 5/2)
        ([1.0, 3.0, 5.0], [1.0, 2.0, 2.0], Ratio(1.5, 1.0, 2.5)),
        # unequal lengths: pairs stop at the shorter side, the medians use all samples
        ([1.0, 2.0, 3.0], [1.0, 1.0], Ratio(2.0, 1.0, 2.0)),
    ],
)
def test_ratio(a: list[float], b: list[float], expected: Ratio) -> None:
    assert ratio(a, b) == expected


@pytest.mark.parametrize(("a", "b"), [([], [1.0]), ([1.0], []), ([1.0], [0.0])])
def test_ratio_undefined(a: list[float], b: list[float]) -> None:
    assert ratio(a, b) is None


def test_rate() -> None:
    assert rate(10.0, 2.0) == 5.0
    assert rate(10.0, 0.0) is None


@pytest.mark.parametrize(
    ("rep", "expected"),
    [(0, ["A", "B", "C"]), (1, ["B", "C", "A"]), (2, ["C", "A", "B"]), (3, ["A", "B", "C"])],
)
def test_rotated_order(rep: int, expected: list[str]) -> None:
    assert rotated(["A", "B", "C"], rep) == expected


def test_two_variants_alternate() -> None:
    order = [label for rep in range(4) for label in rotated(["A", "B"], rep)]
    assert order == ["A", "B", "B", "A", "A", "B", "B", "A"]
    assert rotated([], 3) == []
