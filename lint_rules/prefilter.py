"""Which lines of a file can matter to a rule: the walk skips statements that touch none.

Most statements of a file cannot lead to a finding: a rule only looks at calls that may name
``print``, a stdout write or an exit function, at ``raise``, ``assert`` and ``except``, and at
``__stdout__``.  Each such construct spells one of a few words on its own lines (``sys.exit``,
``os.write``, ``out.write``...), unless a name holding one is imported under an alias that does
not (``from os import write as w``).  :meth:`Triggers.of` finds the lines holding any of the
words with ``str.find`` (C speed; a regular expression with this many alternatives was slower
than the walk it saves); :class:`~lint_rules.collect.Collector` then skips the expressions of
statements spanning no such line, keeping only the bindings they make, which is where most of a
check's walk went.  An alias that hides a word (:func:`hides_trigger`) is seen by the walk, which
then reports that its skipping was unsound, and the file is walked again in full.

The test is conservative, never exact: a word in a string or a comment only costs a walk.
``global``/``nonlocal`` (they move a binding out of a skipped function), ``:=`` (it binds in
the enclosing scope from inside an expression) and any non-ASCII character (identifiers are
NFKC-normalised, so ``ｐｒｉｎｔ`` is ``print``) count as triggers too.
"""

from __future__ import annotations

import re
from bisect import bisect_left

# Words whose absence proves a statement irrelevant to every rule (see the module docstring);
# ``exit`` covers ``_exit``, ``stdout`` covers ``__stdout__`` and ``write`` covers ``writelines``.
WORDS = (
    "print", "write", "exit", "quit", "stdout", "raise", "assert", "except", "global",
    "nonlocal", ":=",
)
# The rest of the line is consumed: one match per line.
_NON_ASCII = re.compile(r"[^\x00-\x7f][^\n]*")


def _has_word(text: str) -> bool:
    return any(word in text for word in WORDS)


def hides_trigger(name: str, asname: str | None) -> bool:
    """Whether ``import name as asname`` lets code call a trigger word by a name without one."""
    return asname is not None and _has_word(name.rpartition(".")[2]) and not _has_word(asname)


class Triggers:
    """The sorted numbers of the lines a rule may care about, for one source text."""

    def __init__(self, lines: list[int]) -> None:
        self.lines = lines

    @classmethod
    def of(cls, source: str) -> Triggers | None:
        """The trigger lines of ``source``; None (nothing may be skipped) when its line
        numbering could differ from the parser's (a lone carriage return)."""
        if "\r" in source:
            return None
        find = source.find
        offsets: list[int] = []
        for word in WORDS:
            at = find(word)
            while at >= 0:
                offsets.append(at)
                # One offset per line and word is enough: go on from the next line.
                end = find("\n", at)
                at = find(word, end + 1) if end >= 0 else -1
        if not source.isascii():
            offsets += [match.start() for match in _NON_ASCII.finditer(source)]
        offsets.sort()
        lines: list[int] = []
        line, last = 1, 0
        for offset in offsets:
            line += source.count("\n", last, offset)
            last = offset
            lines.append(line)
        return cls(lines)

    def touch(self, first: int, last: int) -> bool:
        """Whether a trigger line lies in ``first..last`` (inclusive)."""
        lines = self.lines
        index = bisect_left(lines, first)
        return index < len(lines) and lines[index] <= last
