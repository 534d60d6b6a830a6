"""The lint corpus: the standard library of the 3.11 interpreter without its tests, copied.

Every tool lints the same copy, under a scratch directory, because some tools skip files under
hidden directories (some ignore everything below ``~/.pyenv``) and caches must not be written
into the interpreter's own tree. Quick mode takes a deterministic subset (every Nth file).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

# Test suites and fixtures (lib2to3's contain Python 2 on purpose), and third-party packages.
_EXCLUDED_PARTS = frozenset({"test", "tests", "idle_test", "site-packages", "__pycache__"})


@dataclass(frozen=True)
class Corpus:
    """The copied files, relative to ``root``, with their total line count."""

    root: Path
    files: tuple[Path, ...]
    lines: int
    source: Path


def stdlib_files(stdlib: Path, every: int = 1) -> list[Path]:
    """The ``.py`` files under ``stdlib`` (relative), tests excluded; every ``every``-th one."""
    found = sorted(
        p.relative_to(stdlib)
        for p in stdlib.rglob("*.py")
        if not _EXCLUDED_PARTS.intersection(p.relative_to(stdlib).parts[:-1])
    )
    return found[::every]


def count_lines(path: Path) -> int:
    """Physical lines of ``path`` (a final line without newline counts)."""
    data = path.read_bytes()
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def build(stdlib: Path, dest: Path, every: int = 1) -> Corpus:
    """Copy the selected stdlib files into ``dest`` (emptied first) and describe the copy."""
    shutil.rmtree(dest, ignore_errors=True)
    files = stdlib_files(stdlib, every)
    lines = 0
    for rel in files:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(stdlib / rel, target)
        lines += count_lines(target)
    return Corpus(root=dest, files=tuple(files), lines=lines, source=stdlib)


def write_list(corpus: Corpus, path: Path) -> Path:
    """Write the corpus's absolute file paths, one per line, for helpers that read a list."""
    path.write_text("".join(f"{corpus.root / rel}\n" for rel in corpus.files), encoding="utf-8")
    return path
