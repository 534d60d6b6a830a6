"""docs/error-codes.md is generated from the catalog; this fails when the two differ."""

from __future__ import annotations

from pathlib import Path

from recorder.errors import CATALOG
from recorder.errors.docs import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "error-codes.md"


def test_generated_doc_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), "run `make docs` and commit the result"


def test_doc_lists_every_code_with_its_remedy() -> None:
    text = render()
    for code, entry in CATALOG.items():
        assert f"`{code.value}`" in text and entry.remedy in text
