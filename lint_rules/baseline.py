"""Baselines: today's findings recorded so that a gate fails only on new ones.

An entry is keyed by file, code and a *fingerprint* of the offending statement's normalised
source, plus an occurrence index among identical statements of that file (never by line
number), so moving code or editing other lines keeps an old finding baselined, while copying an
offending line elsewhere makes a new one.

* The fingerprint hashes ``ast.unparse`` of the innermost statement holding the finding (comments,
  spacing and quoting do not matter); a compound statement counts by its header only (``if``'s
  test, ``with``'s items...), not its body.  For REC005 it covers the ``except`` clause and the
  handler's last statement (the one that lets the error go), not the whole handler.
* Files are keyed relative to the baseline file's directory, in POSIX form: ``./x.py`` (flake8)
  and ``x.py`` (the CLI) are the same file.
* The file is sorted JSON with a format version; one that cannot be read, or has another
  version, is a :class:`BaselineError` (exit status 2), never a silently empty baseline.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import os
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lint_rules.errors import LintUsageError
from lint_rules.findings import Finding

FORMAT_VERSION = 1
_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")

# (file, code, fingerprint, occurrence)
Key = tuple[str, str, str, int]


class BaselineError(LintUsageError):
    """The baseline file cannot be read or is not one this version understands."""

    code = "BASELINE_INVALID"

    def __str__(self) -> str:
        return f"[{self.code}] {super().__str__()}"


def _covering(tree: ast.AST, lines: list[int]) -> dict[int, list[ast.AST]]:
    """Line -> the statements and ``except`` clauses spanning it, outermost first, for the
    given (sorted) lines only; subtrees spanning none of them are not visited."""
    covering: dict[int, list[ast.AST]] = {}
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.stmt | ast.ExceptHandler):
            start, end = node.lineno, node.end_lineno or node.lineno
            for line in lines[bisect_left(lines, start) : bisect_right(lines, end)]:
                covering.setdefault(line, []).append(node)
        for name in _BODIES:
            for child in getattr(node, name, None) or ():
                first: int | None = getattr(child, "lineno", None)
                if first is None:  # a ``case``: no position of its own, look inside
                    stack.append(child)
                    continue
                last: int = getattr(child, "end_lineno", None) or first
                index = bisect_left(lines, first)
                if index < len(lines) and lines[index] <= last:
                    stack.append(child)
    return covering


def _header(node: ast.AST) -> str:
    """A statement's normalised source without its nested bodies."""
    shallow = copy.copy(node)
    for name in _BODIES:
        if isinstance(getattr(shallow, name, None), list):
            setattr(shallow, name, [])
    if isinstance(shallow, ast.ExceptHandler):
        return f"except {ast.unparse(shallow.type) if shallow.type else ''} as {shallow.name}"
    if isinstance(shallow, ast.match_case):
        return f"case {ast.unparse(shallow.pattern)}"
    return ast.unparse(shallow)


def _contains(node: ast.AST, line: int, col: int) -> bool:
    start = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
    end_line = getattr(node, "end_lineno", None) or start[0]
    end = (end_line, getattr(node, "end_col_offset", None) or 0)
    return start <= (line, col) <= end


def fingerprints(tree: ast.Module, findings: Sequence[Finding]) -> list[str]:
    """The fingerprint of each finding (same order), from the file's tree."""
    covering = _covering(tree, sorted({f.line for f in findings})) if findings else {}
    result = []
    for finding in findings:
        candidates = covering.get(finding.line, [])
        # The innermost statement holding the finding: the last of its line containing it.
        holding = next(
            (s for s in reversed(candidates) if _contains(s, finding.line, finding.col)), None
        )
        if holding is None:
            text = f"{finding.line}"  # nothing to anchor to (REC000): the line it is on
        elif finding.code == "REC005" and isinstance(holding, ast.ExceptHandler):
            last = _header(holding.body[-1]) if holding.body else ""
            text = _header(holding) + "\n" + last
        else:
            text = _header(holding)
        digest = hashlib.sha256(f"{finding.code}\0{text}".encode()).hexdigest()
        result.append(digest[:20])
    return result


def normalise(path: str, root: Path) -> str:
    """``path`` relative to ``root`` (the baseline's directory) in POSIX form when inside it."""
    absolute = Path(os.path.abspath(path))
    try:
        text = absolute.relative_to(Path(os.path.abspath(root))).as_posix()
    except ValueError:
        text = PurePosixPath(path.replace("\\", "/")).as_posix()
    while text.startswith("./"):
        text = text[2:]
    return text


def keys(findings: Sequence[Finding], root: Path) -> list[Key]:
    """Each finding's key (same order); occurrence indexes count identical statements of a
    file in line order."""
    order = sorted(range(len(findings)), key=lambda i: (findings[i].line, findings[i].col))
    seen: dict[tuple[str, str, str], int] = {}
    result: list[Key | None] = [None] * len(findings)
    for index in order:
        finding = findings[index]
        base = (normalise(finding.path, root), finding.code, finding.fingerprint or "")
        occurrence = seen.get(base, 0)
        seen[base] = occurrence + 1
        result[index] = (*base, occurrence)
    return [key for key in result if key is not None]


@dataclass
class Baseline:
    """The recorded keys and where the file lives (its directory anchors the file names)."""

    path: Path
    entries: set[Key]

    @property
    def root(self) -> Path:
        return self.path.parent

    @classmethod
    def read(cls, path: Path) -> Baseline:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BaselineError(f"cannot read baseline {path}: {exc}") from exc
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            found = data.get("version") if isinstance(data, dict) else None
            raise BaselineError(
                f"baseline {path} has format version {found!r}; this lint_rules reads "
                f"version {FORMAT_VERSION} (write a new one with --write-baseline)"
            )
        try:
            entries = {
                (str(e["file"]), str(e["code"]), str(e["fingerprint"]), int(e["occurrence"]))
                for e in data["entries"]
            }
        except (KeyError, TypeError, ValueError) as exc:
            raise BaselineError(f"baseline {path} has a malformed entry: {exc!r}") from exc
        return cls(path, entries)

    def text(self) -> str:
        """Stable, sorted JSON (meant to be committed)."""
        rows = [
            {"file": f, "code": c, "fingerprint": p, "occurrence": n}
            for f, c, p, n in sorted(self.entries)
        ]
        document = {"version": FORMAT_VERSION, "tool": "lint_rules", "entries": rows}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    def split(self, findings: Sequence[Finding]) -> tuple[list[Finding], set[Key]]:
        """(The findings not in the baseline, the keys that matched one)."""
        new, matched = [], set()
        for finding, key in zip(findings, keys(findings, self.root), strict=True):
            if key in self.entries:
                matched.add(key)
            else:
                new.append(finding)
        return new, matched

    def stale(self, matched: set[Key], checked_files: Iterable[str]) -> set[Key]:
        """Entries of the checked files that no finding matched any more (fixed)."""
        files = {normalise(path, self.root) for path in checked_files}
        return {key for key in self.entries - matched if key[0] in files}
