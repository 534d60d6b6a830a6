"""A real program nobody here wrote, whose output a ``repr``-calling recorder changes.

``python -m markdown -x tables`` renders a table; recorded with its site-packages traced and
values taken by ``repr()`` it drops the table, because markdown's ``Registry.__repr__`` iterates
the registry, iterating sorts it and marks it sorted, and a ``repr`` taken inside
``Registry.register`` leaves it marked sorted while it is not. In the default ``safe`` mode the
traced output is byte for byte the untraced one. Markdown comes from the ``dev`` extra.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from recorder.trace_check import check_trace_dir

markdown = pytest.importorskip("markdown", reason="markdown is installed by the dev extra")

DOC = "| a | b |\n|---|---|\n| 1 | 2 |\n\n# Title\n\nSome *text*.\n"


def render(tmp_path: Path, *recorder_args: str) -> bytes:
    doc = tmp_path / "doc.md"
    doc.write_text(DOC, encoding="utf-8")
    command = [sys.executable, "-m", "markdown", "-x", "tables", str(doc)]
    if recorder_args:
        # The package's __main__ run as a script: the same code `python -m markdown` runs.
        module_main = Path(markdown.__file__).parent / "__main__.py"
        command = [sys.executable, "-m", "recorder", "--include", "*/site-packages/*",
                   *recorder_args, "--trace-dir", str(tmp_path / "trace"), str(module_main),
                   "-x", "tables", str(doc)]
    done = subprocess.run(command, capture_output=True, timeout=300, check=True, cwd=tmp_path)
    return done.stdout


def test_markdown_tables_are_rendered_identically_when_traced(tmp_path: Path) -> None:
    untraced = render(tmp_path)
    assert b"<table>" in untraced
    assert render(tmp_path, "--value-repr", "safe") == untraced
    assert check_trace_dir(tmp_path / "trace") == []
    steps = (tmp_path / "trace" / "trace.json").read_text(encoding="utf-8").count('"Step"')
    assert steps > 1000  # markdown's own code was recorded, not just the entry point


def test_repr_mode_changes_the_output_as_documented(tmp_path: Path) -> None:
    untraced = render(tmp_path)
    changed = render(tmp_path, "--value-repr", "repr")
    assert changed != untraced and b"<table>" not in changed
