"""Markdown rendering: tables and the number formats used in BENCHMARKS.md.

Every cell is produced from measured values by these formatters, so the report never carries
typed-in figures. A missing measurement renders as an explicit text (e.g. ``unavailable: ...``)
rather than an empty cell.
"""

from __future__ import annotations

from collections.abc import Sequence

from bench.stats import Ratio, Summary

_KIB = 1024.0
_UNITS = ("B", "KiB", "MiB", "GiB")


def escape(cell: str) -> str:
    """Make ``cell`` safe inside a Markdown table cell (pipes and newlines break rows)."""
    return cell.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def render(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """A GitHub-flavoured Markdown table; columns whose index is in ``right`` align right."""
    width = len(headers)
    lines = ["| " + " | ".join(escape(h) for h in headers) + " |"]
    lines.append("| " + " | ".join("---:" if i in right else "---" for i in range(width)) + " |")
    for row in rows:
        cells = [escape(c) for c in row] + [""] * (width - len(row))
        lines.append("| " + " | ".join(cells[:width]) + " |")
    return "\n".join(lines) + "\n"


def seconds(value: float) -> str:
    """A duration with three significant figures (``0.0421 s``, ``1.23 s``, ``123 s``)."""
    if value >= 100:
        return f"{value:.0f} s"
    return f"{value:.3g} s"


def timing(summary: Summary) -> str:
    """``median (min-max)`` of a duration."""
    if summary.count == 1 or summary.low == summary.high:
        return seconds(summary.median)
    return f"{seconds(summary.median)} ({_bare(summary.low)}-{_bare(summary.high)})"


def _bare(value: float) -> str:
    return f"{value:.0f}" if value >= 100 else f"{value:.3g}"


def times(r: Ratio | None) -> str:
    """A ratio as ``12.3x (11.9-12.8)``; ``-`` when it could not be computed."""
    if r is None:
        return "-"
    main = _factor(r.value)
    if r.low == r.high:
        return main
    return f"{main} ({_factor(r.low, unit=False)}-{_factor(r.high, unit=False)})"


def _factor(value: float, unit: bool = True) -> str:
    text = f"{value:.0f}" if value >= 100 else f"{value:.3g}" if value >= 1 else f"{value:.2f}"
    return text + ("x" if unit else "")


def size(num_bytes: float) -> str:
    """A byte count in binary units (``512 B``, ``3.4 MiB``)."""
    value = float(num_bytes)
    for unit in _UNITS:
        if value < _KIB or unit == _UNITS[-1]:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.3g} {unit}"
        value /= _KIB
    return f"{value:.3g} {_UNITS[-1]}"


def count(value: float) -> str:
    """A count or rate with a metric suffix (``950``, ``12.3k``, ``4.56M``, ``0.43``)."""
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.3g}{suffix}"
    if value == int(value):
        return f"{value:.0f}"
    # A small rate (0.43 points/s) must not round to 0.
    return f"{value:.3g}"


def per_second(value: float | None, what: str = "") -> str:
    """A throughput such as ``1.2M events/s``; ``-`` when unknown."""
    if value is None:
        return "-"
    suffix = f" {what}/s" if what else "/s"
    return count(value) + suffix


def percent(r: Ratio | None) -> str:
    """A ratio as the percentage it adds (1.08 -> ``+8.0%``), with the paired range."""
    if r is None:
        return "-"
    main = f"{(r.value - 1) * 100:+.1f}%"
    if r.low == r.high:
        return main
    return f"{main} ({(r.low - 1) * 100:+.1f}% to {(r.high - 1) * 100:+.1f}%)"
