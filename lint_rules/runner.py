"""Checking many files: discovery, the result cache and a process pool.

Files whose cache entry is valid are answered without parsing; the rest are checked by the one
analysis (:mod:`lint_rules.checker`, never libcst) in a process pool when there are enough of them
to pay for the workers' start-up (a handful of files are checked in-process).
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from lint_rules.cache import ResultCache, cache_key
from lint_rules.catalog import BY_CODE
from lint_rules.checker import check_source, with_fingerprints
from lint_rules.config import LintConfig
from lint_rules.errors import LintUsageError
from lint_rules.findings import Finding

SKIP_DIRS = frozenset(
    {".git", ".hg", ".venv", "venv", "__pycache__", "build", "dist", "node_modules", ".tox"}
)
# Below this many files to check, a pool costs more than it saves.
POOL_THRESHOLD = 16

def discover(paths: Iterable[str]) -> list[str]:
    """Python files named or found under directories (hidden and tool dirs skipped), sorted."""
    found: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            found.add(raw)
        elif path.is_dir():
            for directory, subdirs, files in os.walk(path):
                subdirs[:] = [d for d in subdirs if d not in SKIP_DIRS and not d.startswith(".")]
                found.update(
                    os.path.join(directory, name) for name in files if name.endswith(".py")
                )
        else:
            raise LintUsageError(f"no such file or directory: {raw}")
    return sorted(found)


def import_optional(module_name: str, what: str) -> ModuleType:
    """Import a libcst-backed module, turning a missing dependency into a usage error."""
    try:
        return importlib.import_module(module_name)
    except ImportError as exc:
        if exc.name == "libcst":
            hint = "it needs libcst: install lint_rules with the 'lint' extra"
        else:
            hint = f"{exc}"
        raise LintUsageError(f"{what} is not available ({hint})") from exc


def decode(content: bytes, path: str) -> str | Finding:
    """Source text honouring PEP 263 coding cookies, or a REC000 finding."""
    try:
        return importlib.util.decode_source(content)
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
        return Finding(path, 1, 0, "REC000", BY_CODE["REC000"].format(f"cannot decode: {exc}"))


def check_file(
    path: str, content: bytes, config: LintConfig, fingerprint: int = 0
) -> list[Finding]:
    """One file's findings (with baseline fingerprints of that version if asked, 0: none)."""
    source = decode(content, path)
    if isinstance(source, Finding):
        found = [source] if config.enabled("REC000") else []
        return with_fingerprints(None, found, [], fingerprint) if fingerprint else found
    return check_source(source, path, config, fingerprint=fingerprint)


Job = tuple[str, bytes, LintConfig, str, ResultCache, int]


def _check_one(job: Job) -> list[Finding]:
    """The pool worker: check one file and store its cache entry (the writes are spread over
    the workers instead of queueing in the parent)."""
    path, content, config, key, cache, fingerprint = job
    result = check_file(path, content, config, fingerprint)
    cache.put(key, result)
    return result


@dataclass
class RunStats:
    files: int = 0
    cached: int = 0


Keep = Callable[[list[Finding]], list[Finding]]
# ``keep`` takes whole files' findings in batches of about this many: one call per file cost
# about three times the CPU of one call for all (each call began with caches cold from the
# analysis of a file), and one call for all, after the pool, would not overlap the workers.
KEEP_BATCH = 1024


def check_paths(
    files: list[str],
    config_for: Callable[[str], LintConfig],
    cache: ResultCache,
    jobs: int,
    fingerprint: int = 0,
    keep: Keep | None = None,
) -> tuple[list[Finding], RunStats]:
    """Findings for every file, sorted by path, line and column (with baseline fingerprints
    of version ``fingerprint``, if not 0).  ``keep`` filters the findings as they arrive, whole
    files' at a time (a baseline lookup, :mod:`lint_rules.lookup`): its work overlaps the
    pool's."""
    stats = RunStats(files=len(files))
    findings: list[Finding] = []
    cached_results: list[list[Finding]] = []
    todo: list[tuple[str, bytes, LintConfig, str]] = []
    for path in files:
        try:
            content = Path(path).read_bytes()
        except OSError as exc:
            raise LintUsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
        config = config_for(path)
        settings = config.fingerprint() + (f";fp{fingerprint}" if fingerprint else "")
        key = cache_key(content, path, settings)
        cached = cache.get(key)
        if cached is None:
            todo.append((path, content, config, key))
        else:
            stats.cached += 1
            cached_results.append(cached)
    work = [(path, content, config, key, cache, fingerprint) for path, content, config, key in todo]
    for result in _kept(itertools.chain(cached_results, _run(work, jobs)), keep):
        findings.extend(result)
    return sorted(findings), stats


def _kept(results: Iterable[list[Finding]], keep: Keep | None) -> Iterator[list[Finding]]:
    """Each file's findings, or what ``keep`` keeps of batches of them (:data:`KEEP_BATCH`)."""
    if keep is None:
        yield from results
        return
    batch: list[Finding] = []
    for result in results:
        batch.extend(result)
        if len(batch) >= KEEP_BATCH:
            yield keep(batch)
            batch = []
    yield keep(batch)


def _run(work: list[Job], jobs: int) -> Iterator[list[Finding]]:
    if jobs <= 1 or len(work) < POOL_THRESHOLD:
        yield from map(_check_one, work)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_check_one, work, chunksize=max(1, len(work) // (jobs * 4)))
