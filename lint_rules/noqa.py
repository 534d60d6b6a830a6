"""``# noqa`` handling shared by both engines, with flake8's semantics.

``# noqa`` alone suppresses every code on its line; ``# noqa: REC001,REC002`` (commas and/or
spaces, any case) suppresses only the listed codes, or codes they are a prefix of.  flake8
itself also applies these comments to the plugin's findings; the engines apply them too so that
``python -m lint_rules check`` and the libcst engine behave the same without flake8.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Sequence

# flake8's own pattern (flake8.defaults.NOQA_INLINE_REGEXP), so both honour the same comments.
_NOQA = re.compile(
    r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"[,\s]+")


def noqa_codes(text: str) -> frozenset[str] | None:
    """``None`` if ``text`` has no noqa comment, an empty set for a blanket noqa, else the codes."""
    match = _NOQA.search(text)
    if match is None:
        return None
    codes = match.group("codes")
    if not codes:
        return frozenset()
    return frozenset(code.upper() for code in _SPLIT.split(codes.strip()) if code)


class NoqaIndex:
    """Which line's text a noqa comment is looked up in, exactly as flake8 does it.

    flake8 joins the physical lines of one token run (a triple-quoted string, a backslash
    continuation) so a comment at its end covers all its lines.  The mapping needs the
    tokenizer, so it is built only for files that mention ``noqa`` at all.
    """

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self._mapping: dict[int, str] | None = None
        self._mentions = "noqa" in "\n".join(lines).lower()

    def _text(self, line: int) -> str:
        if self._mapping is None:
            self._mapping = _line_mapping(self.lines)
        return self._mapping.get(line, self.lines[line - 1])

    def suppressed(self, line: int, code: str) -> bool:
        if not self._mentions or line < 1 or line > len(self.lines):
            return False  # fast path: most files have no noqa comment at all
        codes = noqa_codes(self._text(line))
        if codes is None:
            return False
        # Like flake8, a listed code also matches as a prefix (listing REC0 covers REC001).
        return not codes or code.upper().startswith(tuple(codes))


def _line_mapping(lines: Sequence[str]) -> dict[int, str]:
    """flake8's ``FileProcessor._noqa_line_mapping``: line -> joined text of its token run."""
    text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    mapping: dict[int, str] = {}
    first, last = len(lines) + 2, -1
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in (tokenize.ENDMARKER, tokenize.DEDENT):
                continue
            first, last = min(first, token.start[0]), max(last, token.end[0])
            if token.type in (tokenize.NL, tokenize.NEWLINE):
                joined = "".join(lines[first - 1 : last])
                mapping.update(dict.fromkeys(range(first, last + 1), joined))
                first, last = len(lines) + 2, -1
    except (tokenize.TokenError, SyntaxError):
        return {}  # flake8 then falls back to physical lines too
    return mapping


# One index per ``lines`` object: engines call :func:`suppressed` once per finding.
_memo: list[NoqaIndex] = []


def suppressed(lines: Sequence[str], line: int, code: str) -> bool:
    """Whether ``code`` reported on 1-based ``line`` is silenced by a noqa comment (flake8's
    rules, including comments at the end of a multi-line string or continuation)."""
    if not _memo or _memo[0].lines is not lines:
        _memo[:] = [NoqaIndex(lines)]
    return _memo[0].suppressed(line, code)
