"""The test tree's own rules: pytest imports test modules by basename (rootdir mode, no
packages), so two test files with one name in different folders break collection of the whole
suite. Each branch alone passes; only the merge fails."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_test_module_basenames_are_unique() -> None:
    names = Counter(p.name for p in TESTS.rglob("test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []
