"""Golden files (flake8-bugbear style): each line's expected codes are in a trailing comment,
``# RECnnn`` or, with the whole message, ``# RECnnn: message``.

Each file is checked as if it were ``pkg/<name>.py`` with the catalog's example configuration,
so it is an ordinary module: not a test path, façade, output or entry module.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_helpers import GOLDEN, expected_codes, expected_messages

from lint_rules.catalog import EXAMPLE_CONFIG
from lint_rules.checker import check_source

GOLDEN_FILES = sorted(GOLDEN.glob("*.py"))


@pytest.mark.parametrize("golden", GOLDEN_FILES, ids=lambda p: p.stem)
def test_golden_file(golden: Path) -> None:
    source = golden.read_text(encoding="utf-8")
    expected = expected_codes(source)
    assert expected or "no expectations" in source, "a golden file must expect something"
    findings = check_source(source, f"pkg/{golden.name}", EXAMPLE_CONFIG)
    found = {(f.line, f.code) for f in findings}
    assert sorted(found) == sorted(expected)
    messages = {(f.line, f.code): f.message for f in findings}
    for place, message in expected_messages(source).items():
        assert messages[place] == message, place


def test_the_golden_files_check_messages_of_every_rule() -> None:
    spelled = set()
    for golden in GOLDEN_FILES:
        spelled |= {code for _line, code in expected_messages(golden.read_text(encoding="utf-8"))}
    assert spelled >= {"REC001", "REC002", "REC003", "REC004", "REC005", "REC006", "REC007"}


def test_there_are_golden_files() -> None:
    assert len(GOLDEN_FILES) >= 8
