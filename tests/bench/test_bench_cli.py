"""Argument parsing of ``python -m bench`` (the run itself is not exercised here)."""

from pathlib import Path

import pytest

from bench.cli import parse_args
from bench.context import PARTS, Settings
from bench.errors import UsageError


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], Settings()),
        (["--quick"], Settings(quick=True)),
        (["--quick", "--out", "x.md"], Settings(quick=True, out=Path("x.md"))),
        (["--parts", "lint"], Settings(parts=("lint",))),
        # typed order does not matter: reports always list the parts in the same order
        (["--parts", "faults, recorder"], Settings(parts=("recorder", "faults"))),
        (["--reps", "3", "--work-dir", "/tmp/w"], Settings(reps=3, work=Path("/tmp/w"))),
    ],
)
def test_parse(argv: list[str], expected: Settings) -> None:
    assert parse_args(argv) == expected


def test_default_runs_every_part() -> None:
    assert parse_args([]).parts == PARTS == ("recorder", "lint", "faults", "pytest", "values",
                                           "filters", "iocap", "threads", "startup")


@pytest.mark.parametrize("argv", [["--parts", "lnit"], ["--parts", ","], ["--reps", "0"]])
def test_bad_values_are_usage_errors(argv: list[str]) -> None:
    with pytest.raises(UsageError):
        parse_args(argv)


def test_unknown_flag_exits_like_argparse() -> None:
    with pytest.raises(SystemExit) as info:
        parse_args(["--fast"])
    assert info.value.code == 2
