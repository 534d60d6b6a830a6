"""Reading the number of explored fault points from a sweep report."""

from typing import Any

import pytest

from bench.sweep_report import points_from_report


@pytest.mark.parametrize(
    ("report", "points"),
    [
        ({"points_explored": 42}, 42),
        ({"summary": {"explored": 7}}, 7),
        ({"rows": [{"explored": 3}, {"explored": 4}]}, 7),
        ({"rows": [{"explored": 3}, {"name": "no count"}]}, None),
        ({"explored": True}, None),  # a flag, not a count
        ([], None),
        ({}, None),
    ],
)
def test_points_from_report(report: Any, points: int | None) -> None:
    assert points_from_report(report) == points


def test_whole_sweep_size_needs_point_counts() -> None:
    from bench.sweep_report import whole_sweep_size

    assert whole_sweep_size({}) is None
    assert whole_sweep_size({"fault_points": "many"}) is None
    # A scenario that passes no seam at all has nothing to sweep.
    assert whole_sweep_size({"fault_points": {"empty": {}}}) in (0, None)
