"""Result cache for ``python -m lint_rules check``: unchanged files are not parsed again.

A cache entry is keyed by the SHA-256 of (tool version, configuration fingerprint, path,
file content), so editing a file, the configuration or upgrading the tool all miss naturally;
there is nothing to invalidate.  Entries are small JSON files under ``.lint_rules_cache/`` written
atomically (temp file + rename), so concurrent runs never read half an entry.  They sit in one
flat directory and the temp file is named after the entry and the writing process: a cold run
writes one entry per file, and a shard directory or ``tempfile.mkstemp`` per entry cost a
fifth of a cold ``check``.  The cache is an
optimisation only: any I/O problem with it is ignored and the file is simply checked.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from lint_rules.catalog import VERSION
from lint_rules.findings import Finding

CACHE_DIR_NAME = ".lint_rules_cache"
_LAYOUT = "v2"


def cache_key(content: bytes, path: str, fingerprint: str) -> str:
    digest = hashlib.sha256()
    for part in (VERSION, fingerprint, path):
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    digest.update(content)
    return digest.hexdigest()


class ResultCache:
    """Maps cache keys to findings; ``directory=None`` disables it."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory / _LAYOUT if directory is not None else None
        self.hits = 0
        self.misses = 0

    def _entry(self, key: str) -> Path | None:
        return None if self.directory is None else self.directory / f"{key}.json"

    def get(self, key: str) -> list[Finding] | None:
        entry = self._entry(key)
        if entry is None:
            return None
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
            findings = [Finding.from_dict(item) for item in data]
        except (OSError, ValueError, TypeError, KeyError):
            self.misses += 1
            return None
        self.hits += 1
        return findings

    def put(self, key: str, findings: list[Finding]) -> None:
        entry = self._entry(key)
        if entry is None:
            return
        payload = json.dumps([f.to_dict() for f in findings]).encode("utf-8")
        # Unique among concurrent writers: one process writes one entry at a time.
        temp = f"{entry}.{os.getpid()}.tmp"
        try:
            try:
                _write(temp, payload)
            except FileNotFoundError:  # the first entry: make the directory (pool workers
                entry.parent.mkdir(parents=True, exist_ok=True)  # race for it, harmlessly)
                self._ignore_in_git(entry.parents[1])
                _write(temp, payload)
            os.replace(temp, entry)
        except OSError:
            # A read-only checkout or a full disk only costs speed: the result is still correct.
            self.directory = None

    @staticmethod
    def _ignore_in_git(root: Path) -> None:
        marker = root / ".gitignore"
        if not marker.exists():
            marker.write_text("# created by lint_rules\n*\n", encoding="utf-8")


def _write(path: str, payload: bytes) -> None:
    with open(path, "wb") as stream:
        stream.write(payload)
