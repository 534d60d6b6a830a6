"""Helpers shared by the lint_rules tests: expected codes from comments, running flake8.

Imported as ``lint_helpers`` (pytest puts this directory on sys.path: tests have no packages).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from lint_rules.catalog import EXAMPLE_CONFIG

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
FLAKE8 = [sys.executable, "-m", "flake8"]

# A trailing comment made only of codes: `x = 1  # REC001` or `# REC003 REC004`.
_EXPECT = re.compile(r"#\s*(REC\d{3}(?:[\s,]+REC\d{3})*)\s*$")
# Or one code with the finding's whole message: `raise E  # REC003: raise of untyped ...`.
_EXPECT_MESSAGE = re.compile(r"#\s*(REC\d{3}): (\S.*?)\s*$")


def expected_codes(source: str) -> set[tuple[int, str]]:
    """``{(line, code)}`` from trailing ``# RECnnn`` comments (flake8-bugbear's golden style)."""
    found = set()
    for number, line in enumerate(source.splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            found.update((number, code) for code in re.split(r"[\s,]+", match.group(1)))
        elif match := _EXPECT_MESSAGE.search(line):
            found.add((number, match.group(1)))
    return found


def expected_messages(source: str) -> dict[tuple[int, str], str]:
    """``{(line, code): message}`` for the lines whose comment spells the message out."""
    found = {}
    for number, line in enumerate(source.splitlines(), start=1):
        match = _EXPECT_MESSAGE.search(line)
        if match and not _EXPECT.search(line):
            found[(number, match.group(1))] = match.group(2)
    return found


def marked_lines(source: str) -> set[int]:
    """Lines a catalog example marks with a trailing ``# error``."""
    return {
        number
        for number, line in enumerate(source.splitlines(), start=1)
        if line.rstrip().endswith("# error")
    }


def example_pyproject() -> str:
    """A ``[tool.lint_rules]`` table equal to the catalog's EXAMPLE_CONFIG."""

    def toml_list(values: tuple[str, ...]) -> str:
        return "[" + ", ".join(f'"{v}"' for v in values) + "]"

    cfg = EXAMPLE_CONFIG
    return (
        "[tool.lint_rules]\n"
        f"facade-modules = {toml_list(cfg.facade_modules)}\n"
        f"output-modules = {toml_list(cfg.output_modules)}\n"
        f"entry-modules = {toml_list(cfg.entry_modules)}\n"
        f"test-paths = {toml_list(cfg.test_paths)}\n"
        f"guard-functions = {toml_list(cfg.guard_functions)}\n"
    )


def run_flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """flake8 as a subprocess, one finding per line as ``path:line:col:code``."""
    return subprocess.run(
        [*FLAKE8, "--format=%(path)s:%(row)d:%(col)d:%(code)s", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def parse_flake8(stdout: str) -> set[tuple[str, int, str]]:
    rows = set()
    for line in stdout.splitlines():
        path, row, _col, code = line.rsplit(":", 3)
        rows.add((path.removeprefix("./"), int(row), code))
    return rows
