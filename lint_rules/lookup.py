"""Applying a baseline to ``check``'s findings file by file, while the pool still works.

The lookup's cost is the parent's: reading the baseline file, keying findings, matching them.
Done after the pool, all of it added to a check's wall time; here the findings are matched as
they arrive, whole files' at a time (from the cache, or from the workers while they still
run), and the file itself is read when the first findings arrive, after the pool has been given
its work.

Only the fingerprint version must be known before the work is handed out (the workers make
fingerprints of that version).  A file this package wrote starts with it
(``{"version": 2, ...``): :func:`peek_version` reads that head only.  A file of any other shape
is read in full first, as before; so are unreadable ones, so that a missing file or an unknown
version is still reported before anything is checked.  A malformed entry further in is
reported when the file is read, after the check (the same usage error, exit status 2).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from lint_rules.baseline import READABLE_VERSIONS, Baseline, Key
from lint_rules.findings import Finding

# The head of a file written by Baseline.text(): the version is its first key.
_HEAD = re.compile(rb'\A\s*\{\s*"version"\s*:\s*(\d{1,4})\s*,')
_HEAD_BYTES = 64


def peek_version(path: Path) -> int | None:
    """The format version a baseline file starts with, if it is one this package reads and
    the file is in the shape it writes; None otherwise (then the whole file must be read)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(_HEAD_BYTES)
    except OSError:
        return None  # Baseline.read reports it
    found = _HEAD.match(head)
    version = int(found.group(1)) if found else None
    return version if version in READABLE_VERSIONS else None


class Lookup:
    """One baseline applied to one ``check``: :meth:`keep` each file's findings as they
    arrive, then :meth:`stale`.  ``version`` is known from the start; :attr:`baseline` is read
    at first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._read: Baseline | None = None
        peeked = peek_version(path)
        if peeked is None:
            self._read = Baseline.read(path)
            peeked = self._read.version
        self.version = peeked
        self.matched: set[Key] = set()

    @property
    def baseline(self) -> Baseline:
        if self._read is None:
            self._read = Baseline.read(self.path, expected=self.version)
        return self._read

    def keep(self, findings: list[Finding]) -> list[Finding]:
        """The findings the baseline does not hold, in their order; ``findings`` hold whole
        files' findings (one file's or several files').

        Occurrence indexes count within the findings given at once, per file: a file is checked
        once (two spellings of one file, ``./x.py`` and ``x.py``, are two checks of it, matched
        on their own when they come in different calls)."""
        if not findings:
            return findings
        new, matched = self.baseline.split(findings)
        self.matched |= matched
        return new

    def stale(self, checked_files: Iterable[str]) -> set[Key]:
        """Entries of the checked files that no finding matched (their findings were fixed)."""
        return self.baseline.stale(self.matched, checked_files)
