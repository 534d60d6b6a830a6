"""Baselines: today's findings recorded so that a gate fails only on new ones.

An entry is keyed by file, code and a *fingerprint* of the offending statement's normalised
source, plus an occurrence index among identical statements of that file (never by line
number), so moving code or editing other lines keeps an old finding baselined, while copying an
offending line elsewhere makes a new one.

* The fingerprint hashes the normalised source of the innermost statement holding the finding
  (comments, spacing and quote characters do not matter); a compound statement counts by its
  header only (``if``'s test, ``with``'s items...), not its body.  For REC005 it covers the
  ``except`` clause and the handler's last statement (the one that lets the error go), not the
  whole handler.  Only statements holding a finding are looked at: the descent from the module
  bisects each body by line, and the text is sliced from the source (format version 2).
  Version 1 files hashed ``ast.unparse`` of the same statements instead, several times slower;
  they are still read, matched with version 1 fingerprints and pruned in place
  (``--write-baseline`` rewrites one as version 2).
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
import operator
import os
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path, PurePosixPath

from lint_rules.errors import LintUsageError
from lint_rules.findings import Finding

FORMAT_VERSION = 2
# Versions read: 1 (fingerprints of ``ast.unparse``) and the current one.
READABLE_VERSIONS = (1, FORMAT_VERSION)
_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")
_LINENO = operator.attrgetter("lineno")  # C speed as bisect's key
_PATH, _CODE = operator.attrgetter("path"), operator.attrgetter("code")
_PRINT = operator.attrgetter("fingerprint")
_POSITIONS = operator.attrgetter("lineno", "col_offset", "end_lineno", "end_col_offset")
# The fields holding nested statements, by node type (looking up only these halves the cost of
# finding a statement); anything else holds none.
_NESTED: dict[type, tuple[str, ...]] = {
    cls: tuple(name for name in _BODIES if name in getattr(cls, "_fields", ()))
    for cls in (*ast.stmt.__subclasses__(), ast.Module, ast.ExceptHandler, ast.match_case)
}
_NESTED = {cls: names for cls, names in _NESTED.items() if names}
# A string literal on one line (kept), or a comment (dropped).
_COMMENT = re.compile(r"""("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|#[^\n]*""")

# (file, code, fingerprint, occurrence)
Key = tuple[str, str, str, int]


class BaselineError(LintUsageError):
    """The baseline file cannot be read or is not one this version understands."""

    code = "BASELINE_INVALID"

    def __str__(self) -> str:
        return f"[{self.code}] {super().__str__()}"


def _spanning(tree: ast.AST, line: int) -> list[ast.AST]:
    """The statements and ``except`` clauses spanning ``line``, outermost first.

    One bisection per body on the way down (bodies are in line order), never a walk of the
    file.  Several siblings span a line only when they share it (``a; b``); only a compound
    statement, of which a line holds at most one per level, is descended into."""
    found: list[ast.AST] = []
    node: ast.AST | None = tree
    while node is not None:
        inner: ast.AST | None = None
        for name in _NESTED.get(type(node), ()):
            body = getattr(node, name)
            if not body:
                continue
            if name == "cases":  # a ``case`` has no position of its own, nor a record here
                for case in body:
                    if case.pattern.lineno <= line <= (case.body[-1].end_lineno or line):
                        inner = case
                continue
            index = bisect_right(body, line, key=_LINENO) - 1
            while index >= 0 and (body[index].end_lineno or body[index].lineno) >= line:
                child = body[index]
                found.append(child)
                if type(child) in _NESTED:  # compound statements and handlers only
                    inner = child
                index -= 1
        node = inner
    return found


def _unparsed_header(node: ast.AST) -> str:
    """Version 1: a statement's ``ast.unparse`` without its nested bodies."""
    shallow = copy.copy(node)
    for name in _BODIES:
        if isinstance(getattr(shallow, name, None), list):
            setattr(shallow, name, [])
    if isinstance(shallow, ast.ExceptHandler):
        return f"except {ast.unparse(shallow.type) if shallow.type else ''} as {shallow.name}"
    return ast.unparse(shallow)


def _cut(line: str, start: int, end: int | None) -> str:
    """``line`` between two of ``ast``'s UTF-8 byte columns."""
    if line.isascii():
        return line[start:end]
    return line.encode()[start:end].decode("utf-8", "replace")


class _Source:
    """Slices of one file's text at ``ast`` positions, normalised for fingerprints."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines

    def segment(self, first: int, col: int, last: int, end_col: int | None) -> str:
        lines = self.lines
        if not 0 < first <= last <= len(lines):
            return ""
        if first == last:
            return _cut(lines[first - 1], col, end_col)
        head, tail = _cut(lines[first - 1], col, None), _cut(lines[last - 1], 0, end_col)
        return "\n".join([head, *lines[first : last - 1], tail])

    def header(self, node: ast.AST) -> str:
        """The statement's text up to its first nested statement (all of it for a simple
        one), without comments and whitespace, ``'`` read as ``"``."""
        # Statements and except clauses have all four positions: one C call reads them.
        first, col, last, end_col = _POSITIONS(node)
        body = getattr(node, "body", None)
        if body and isinstance(body, list):
            last, end_col = body[0].lineno, body[0].col_offset
        line = self.lines[first - 1] if first == last and 0 < first <= len(self.lines) else None
        if line is not None and line.isascii():  # most: one line of ASCII, no call to slice it
            text = line[col:end_col]
        else:
            text = self.segment(first, col, last or first, end_col)
        if "#" in text:
            text = _COMMENT.sub(lambda found: found.group(1) or "", text)
        return "".join(text.replace("'", '"').split())


def _contains(node: ast.AST, line: int, col: int) -> bool:
    start = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
    end_line = getattr(node, "end_lineno", None) or start[0]
    end = (end_line, getattr(node, "end_col_offset", None) or 0)
    return start <= (line, col) <= end


def _holding(
    tree: ast.Module, line: int, col: int, spanning: dict[int, list[ast.AST]]
) -> ast.AST | None:
    """The innermost statement holding a finding at ``(line, col)``: the last of its line
    containing it (``spanning`` memoises each line's statements)."""
    candidates = spanning.get(line)
    if candidates is None:
        candidates = spanning[line] = _spanning(tree, line)
    return next((s for s in reversed(candidates) if _contains(s, line, col)), None)


# Where a finding is, for fingerprinting: (line, col, code).
Place = tuple[int, int, str]


def fingerprints(
    tree: ast.Module,
    findings: Sequence[Finding],
    lines: Sequence[str] = (),
    version: int = FORMAT_VERSION,
    anchors: Mapping[Place, ast.AST] | None = None,
) -> list[str]:
    """The fingerprint of each finding (same order), from the file's tree and (version 2) its
    source ``lines`` as the parser numbers them (:func:`source_lines`).

    ``anchors`` maps ``(line, col, code)`` to the statement or ``except`` clause a finding is
    *itself* (a ``raise``, an ``assert``, a swallowing handler): that is the innermost
    statement holding it, so it is not searched for.  Most findings are such, and the search
    was most of the cost of fingerprinting."""
    places = [(f.line, f.col, f.code) for f in findings]
    return fingerprints_at(tree, places, lines, version, anchors)


def fingerprints_at(
    tree: ast.Module,
    places: Iterable[Place],
    lines: Sequence[str] = (),
    version: int = FORMAT_VERSION,
    anchors: Mapping[Place, ast.AST] | None = None,
) -> list[str]:
    """:func:`fingerprints` of findings not made yet, by their ``(line, col, code)`` (the
    checker fingerprints its hits before making their findings, so that each is made once)."""
    header = _Source(lines).header if version != 1 else _unparsed_header
    spanning: dict[int, list[ast.AST]] = {}
    known = anchors or {}
    sha256 = hashlib.sha256
    result = []
    for place in places:
        line, col, code = place
        holding = known.get(place)
        if holding is None:
            holding = _holding(tree, line, col, spanning)
        if holding is None:
            text = f"{line}"  # nothing to anchor to (REC000): the line it is on
        elif code == "REC005" and isinstance(holding, ast.ExceptHandler):
            last = header(holding.body[-1]) if holding.body else ""
            text = header(holding) + "\n" + last
        else:
            text = header(holding)
        result.append(sha256(f"{code}\0{text}".encode()).hexdigest()[:20])
    return result


_NEWLINE = re.compile(r"\r\n|\r|\n")


def source_lines(source: str) -> list[str]:
    """``source`` split into lines the way the parser counts them (not ``str.splitlines``,
    which also splits at form feeds and other separators)."""
    return _NEWLINE.split(source) if "\r" in source else source.split("\n")


def normalise(path: str, root: Path) -> str:
    """``path`` relative to ``root`` (the baseline's directory) in POSIX form when inside it.

    String operations on ``os.path.abspath``'s normal form, not pathlib (it was most of the
    cost of matching a large baseline)."""
    absolute, base = os.path.abspath(path), os.path.abspath(root)
    if absolute == base:
        text = "."
    elif absolute.startswith(base.rstrip(os.sep) + os.sep):
        text = absolute[len(base.rstrip(os.sep)) + 1 :].replace(os.sep, "/")
    else:
        text = PurePosixPath(path.replace("\\", "/")).as_posix()
    while text.startswith("./"):
        text = text[2:]
    return text


def keys(
    findings: Sequence[Finding], root: Path, files: dict[str, str] | None = None
) -> list[Key]:
    """Each finding's key (same order); occurrence indexes count identical statements of a
    file in line order.  ``files`` memoises :func:`normalise` for ``root`` across calls."""
    return _keys(findings, root, files)[0]


def _keys(
    findings: Sequence[Finding], root: Path, files: dict[str, str] | None
) -> tuple[list[Key], set[Key]]:
    """:func:`keys`, and the set of them (a set keeps its members' hashes: the lookup's set
    operations then hash each key once)."""
    # A file has many findings; normalising its path once per file, not per finding, matters
    # with a large baseline (path resolution was most of a baseline's cost).
    files = {} if files is None else files
    paths = list(map(_PATH, findings))
    for path in set(paths) - files.keys():
        files[path] = normalise(path, root)
    prints = list(map(_PRINT, findings))
    if None in prints:  # not fingerprinted (no baseline asked for them): one key per statement
        prints = [p or "" for p in prints]
    # Most statements are unique in their file (occurrence 0, the keys made by built-in loops,
    # not a Python one per finding); only repeated ones are counted, in line order.
    result: list[Key] = list(
        zip(map(files.__getitem__, paths), map(_CODE, findings), prints, repeat(0), strict=False)
    )
    unique = set(result)
    if len(unique) == len(result):
        return result, unique
    counts = Counter(result)
    repeated = [i for i, key in enumerate(result) if counts[key] > 1]
    repeated.sort(key=lambda i: (findings[i].line, findings[i].col))
    seen: dict[Key, int] = {}
    for index in repeated:
        base = result[index]
        occurrence = seen.get(base, 0)
        seen[base] = occurrence + 1
        result[index] = (*base[:3], occurrence)
    return result, set(result)


@dataclass
class Baseline:
    """The recorded keys and where the file lives (its directory anchors the file names);
    ``version`` says how its fingerprints were made (a pruned file keeps its version)."""

    path: Path
    entries: set[Key]
    version: int = FORMAT_VERSION
    # normalise() memoised for this baseline's root (split and stale name the same files).
    _files: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def root(self) -> Path:
        return self.path.parent

    @classmethod
    def read(cls, path: Path, expected: int | None = None) -> Baseline:
        """The file at ``path``; ``expected`` is the version its head said (peeked before the
        check, :mod:`lint_rules.lookup`), which the whole file must have."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BaselineError(f"cannot read baseline {path}: {exc}") from exc
        found = data.get("version") if isinstance(data, dict) else None
        if found not in READABLE_VERSIONS or type(found) is not int:
            readable = " and ".join(map(str, READABLE_VERSIONS))
            raise BaselineError(
                f"baseline {path} has format version {found!r}; this lint_rules reads "
                f"versions {readable} (write a new one with --write-baseline)"
            )
        if expected is not None and found != expected:  # rewritten meanwhile, or two versions
            raise BaselineError(
                f"baseline {path} changed while it was read (version {expected}, then {found}); "
                "run the check again"
            )
        try:
            entries = {
                (str(e["file"]), str(e["code"]), str(e["fingerprint"]), int(e["occurrence"]))
                for e in data["entries"]
            }
        except (KeyError, TypeError, ValueError) as exc:
            raise BaselineError(f"baseline {path} has a malformed entry: {exc!r}") from exc
        return cls(path, entries, found)

    def text(self) -> str:
        """Stable, sorted JSON (meant to be committed)."""
        rows = [
            {"file": f, "code": c, "fingerprint": p, "occurrence": n}
            for f, c, p, n in sorted(self.entries)
        ]
        document = {"version": self.version, "tool": "lint_rules", "entries": rows}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    def split(self, findings: Sequence[Finding]) -> tuple[list[Finding], set[Key]]:
        """(The findings not in the baseline, the keys that matched one)."""
        found, unique = _keys(findings, self.root, self._files)
        entries = self.entries
        if unique <= entries:  # the usual case: every finding recorded
            return [], unique
        new = [f for f, key in zip(findings, found, strict=True) if key not in entries]
        return new, unique & entries

    def stale(self, matched: set[Key], checked_files: Iterable[str]) -> set[Key]:
        """Entries of the checked files that no finding matched any more (fixed)."""
        unmatched = self.entries - matched
        if not unmatched:  # the usual case: no checked file needs normalising then
            return unmatched
        files = {self._name(path) for path in checked_files}
        return {key for key in unmatched if key[0] in files}

    def _name(self, path: str) -> str:
        name = self._files.get(path)
        if name is None:
            name = self._files[path] = normalise(path, self.root)
        return name
