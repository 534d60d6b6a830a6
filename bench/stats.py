"""Statistics over repeated measurements: medians, ranges and ratios of paired runs.

Benchmarks here are few repetitions of long runs on a shared machine, so we report the median
(robust to one disturbed run) with the min-max range, never a mean. Ratios between two variants
are taken as the ratio of medians; because the variants alternate inside each repetition, the
per-repetition ratios are paired and their min-max shows how stable the ratio is.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from bench.errors import BenchError


@dataclass(frozen=True)
class Summary:
    """Median and range of one variant's repeated measurements."""

    median: float
    low: float
    high: float
    count: int


@dataclass(frozen=True)
class Ratio:
    """``a / b`` as the ratio of medians, with the range of the paired per-repetition ratios."""

    value: float
    low: float
    high: float


def summarize(samples: Sequence[float]) -> Summary:
    """Summarize ``samples``; an empty sequence is a programming error of the caller."""
    if not samples:
        raise BenchError("no samples to summarize")
    return Summary(
        median=statistics.median(samples),
        low=min(samples),
        high=max(samples),
        count=len(samples),
    )


def ratio(a: Sequence[float], b: Sequence[float]) -> Ratio | None:
    """Ratio of ``a`` to ``b``; None when either side has no samples or ``b`` is zero.

    The paired range uses the repetitions both sides have (``zip`` stops at the shorter), which
    are the runs that alternated with each other.
    """
    if not a or not b:
        return None
    med_b = statistics.median(b)
    if med_b == 0:
        return None
    paired = [x / y for x, y in zip(a, b, strict=False) if y != 0]
    value = statistics.median(a) / med_b
    if not paired:
        return Ratio(value, value, value)
    return Ratio(value, min(paired), max(paired))


def rate(amount: float, seconds: float) -> float | None:
    """``amount`` per second, None when the duration is not positive."""
    if seconds <= 0:
        return None
    return amount / seconds


def rotated(items: Sequence[str], rep: int) -> list[str]:
    """The order in which the variants run in repetition ``rep``.

    Rotating (rather than always running A before B) spreads any warm-up or drift effect of a
    position over all variants; with two variants it is exactly ABAB... alternation.
    """
    if not items:
        return []
    shift = rep % len(items)
    return list(items[shift:]) + list(items[:shift])
