"""Golden files (flake8-bugbear style): each line's expected codes are in a trailing comment.

Each file is checked as if it were ``pkg/<name>.py`` with the catalog's example configuration,
so it is an ordinary module: not a test path, façade, output or entry module.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_helpers import GOLDEN, expected_codes

from lint_rules.ast_engine import check_source
from lint_rules.catalog import EXAMPLE_CONFIG

GOLDEN_FILES = sorted(GOLDEN.glob("*.py"))


@pytest.mark.parametrize("golden", GOLDEN_FILES, ids=lambda p: p.stem)
def test_golden_file(golden: Path) -> None:
    source = golden.read_text(encoding="utf-8")
    expected = expected_codes(source)
    assert expected or "no expectations" in source, "a golden file must expect something"
    found = {(f.line, f.code) for f in check_source(source, f"pkg/{golden.name}", EXAMPLE_CONFIG)}
    assert sorted(found) == sorted(expected)


def test_there_are_golden_files() -> None:
    assert len(GOLDEN_FILES) >= 8
