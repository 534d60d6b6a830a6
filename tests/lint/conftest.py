"""Fixtures for the lint_rules tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_helpers import example_pyproject


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    """An empty project whose pyproject.toml holds the catalog's example configuration."""
    (tmp_path / "pyproject.toml").write_text(example_pyproject(), encoding="utf-8")
    return tmp_path
