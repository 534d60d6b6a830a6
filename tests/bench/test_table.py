"""Markdown rendering and number formats of the report."""

import pytest

from bench import table
from bench.stats import Ratio, Summary


def test_render_table() -> None:
    text = table.render(("tool", "time"), [["a|b", "1 s"], ["c"]], right=(1,))
    assert text == ("| tool | time |\n| --- | ---: |\n| a\\|b | 1 s |\n| c |  |\n")


def test_render_escapes_newlines() -> None:
    assert table.render(("x",), [["two\nlines"]]).splitlines()[2] == "| two lines |"


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.04213, "0.0421 s"), (1.234, "1.23 s"), (12.34, "12.3 s"), (123.4, "123 s")],
)
def test_seconds(value: float, text: str) -> None:
    assert table.seconds(value) == text


def test_timing() -> None:
    assert table.timing(Summary(1.5, 1.25, 2.0, 3)) == "1.5 s (1.25-2)"
    assert table.timing(Summary(1.5, 1.5, 1.5, 1)) == "1.5 s"


@pytest.mark.parametrize(
    ("r", "text"),
    [
        (None, "-"),
        (Ratio(2.0, 2.0, 2.0), "2x"),
        (Ratio(12.34, 11.9, 12.8), "12.3x (11.9-12.8)"),
        (Ratio(0.5, 0.45, 0.55), "0.50x (0.45-0.55)"),
        (Ratio(150.0, 140.0, 160.0), "150x (140-160)"),
    ],
)
def test_times(r: Ratio | None, text: str) -> None:
    assert table.times(r) == text


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (512, "512 B"),
        (2048, "2 KiB"),
        (3.5 * 1024 * 1024, "3.5 MiB"),
        (5 * 1024**4, "5.12e+03 GiB"),
    ],
)
def test_size(n: float, text: str) -> None:
    assert table.size(n) == text


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (950, "950"),
        (12_300, "12.3k"),
        (4_560_000, "4.56M"),
        (2e9, "2G"),
        (0.4312, "0.431"),
        (0, "0"),
    ],
)
def test_count(n: float, text: str) -> None:
    assert table.count(n) == text


def test_per_second_and_percent() -> None:
    assert table.per_second(1_200_000, "events") == "1.2M events/s"
    assert table.per_second(None) == "-"
    assert table.percent(Ratio(1.08, 1.08, 1.08)) == "+8.0%"
    assert table.percent(Ratio(0.99, 0.97, 1.02)) == "-1.0% (-3.0% to +2.0%)"
    assert table.percent(None) == "-"
