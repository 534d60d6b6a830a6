"""The one analysis: ``check_source`` on the standard library's ``ast`` (no libcst).

Every rule is decided here, and only here: the flake8 plugin, ``python -m lint_rules check``,
``fix`` and the Fixit plugin all run it.  One parse, one iterative pass
(:mod:`lint_rules.collect`), then the rule checks (:mod:`lint_rules.rules`) on the few collected
nodes.  A file that does not parse yields one REC000 finding.  :func:`analyse` adds the fixer's
facts (:mod:`lint_rules.fixfacts`) to the findings a codemod can rewrite.
"""

from __future__ import annotations

import ast
import gc
import itertools
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from lint_rules import baseline
from lint_rules import config as cfgmod
from lint_rules.catalog import BY_CODE
from lint_rules.collect import Collector
from lint_rules.config import LintConfig
from lint_rules.findings import Finding
from lint_rules.fixfacts import FactFinder, with_fixes
from lint_rules.noqa import suppressed
from lint_rules.prefilter import Triggers
from lint_rules.rules import (
    Classifier,
    FileRole,
    Hit,
    check_asserts,
    check_calls,
    check_handlers,
    check_raises,
    check_stdout_refs,
)


def file_role(path: str, config: LintConfig) -> tuple[FileRole, str, str]:
    """The file's role plus its module and package names."""
    module = cfgmod.module_name_for(path, cfgmod.config_root(config))
    role = FileRole(
        is_facade=cfgmod.module_matches(module, config.facade_modules),
        is_output=cfgmod.module_matches(module, config.output_modules),
        is_entry=cfgmod.module_matches(module, config.entry_modules),
        is_test=cfgmod.is_test_path(path, config),
    )
    return role, module, cfgmod.package_of(module, path)


def _hits(
    tree: ast.Module, path: str, config: LintConfig, source: str | None
) -> tuple[list[Hit], Collector]:
    role, module, package = file_role(path, config)
    triggers = Triggers.of(source) if source is not None else None
    collector = Collector(module, package, config.guard_functions, triggers)
    collected = collector.run(tree)
    if collector.missed and triggers is not None:
        # An alias hid a trigger word (lint_rules.prefilter): walk everything instead.
        collector.release()
        collector = Collector(module, package, config.guard_functions)
        collected = collector.run(tree)
    classifier = Classifier(config.facade_modules)
    hits = list(
        itertools.chain(
            check_calls(collected, role, classifier),
            check_asserts(collected, role),
            check_raises(collected, role, classifier),
            check_handlers(collected, classifier),
            check_stdout_refs(collected, role),
        )
    )
    return hits, collector


def hits_for_tree(
    tree: ast.Module, path: str, config: LintConfig, source: str | None = None
) -> list[Hit]:
    """Every rule hit in ``tree`` before noqa and select/ignore filtering, with the contexts
    the fixer's facts are derived from.  With the ``source`` text, statements no rule can care
    about are skipped (:mod:`lint_rules.prefilter`); the hits are the same."""
    return _hits(tree, path, config, source)[0]


# (line, col, code, detail): a hit without its node and context.
Decided = tuple[int, int, str, str]
# Hits that are themselves a statement or an ``except`` clause (raise, assert, re-raise,
# swallowing handler: most findings), by (line, col, code): the node a fingerprint is made of,
# known without searching the tree for it (baseline.fingerprints).
Anchors = dict[tuple[int, int, str], ast.AST]
_ANCHORS = (ast.stmt, ast.ExceptHandler)


def _decided(hits: Iterable[Hit]) -> list[Decided]:
    return [
        (getattr(h.node, "lineno", 1), getattr(h.node, "col_offset", 0), h.code, h.detail)
        for h in hits
    ]


def _anchors(hits: Iterable[Hit]) -> Anchors:
    return {
        (h.node.lineno, h.node.col_offset, h.code): h.node
        for h in hits
        if isinstance(h.node, _ANCHORS)
    }


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector around one file's parse and analysis.

    Both allocate many small objects that die together; reference counting frees them (the
    analysis breaks its own cycles, :meth:`Collector.release`), and the cyclic collector would
    only rescan them: a quarter of ``check``'s time on the standard library."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def decide(
    tree: ast.Module, path: str, config: LintConfig, source: str | None = None
) -> list[Decided]:
    """Every hit as ``(line, col, code, detail)``: what ``check`` and the flake8 plugin need
    (``source`` as for :func:`hits_for_tree`)."""
    return _decide(tree, path, config, source, anchored=False)[0]


def decide_anchored(
    tree: ast.Module, path: str, config: LintConfig, source: str | None = None
) -> tuple[list[Decided], Anchors]:
    """:func:`decide`'s hits and their :data:`Anchors`, for fingerprinting the findings."""
    return _decide(tree, path, config, source, anchored=True)


def _decide(
    tree: ast.Module, path: str, config: LintConfig, source: str | None, anchored: bool
) -> tuple[list[Decided], Anchors]:
    with gc_paused():
        hits, collector = _hits(tree, path, config, source)
        decided, anchors = _decided(hits), _anchors(hits) if anchored else {}
        collector.release()
    return decided, anchors


def findings_from_hits(
    hits: Iterable[Decided], path: str, lines: list[str], config: LintConfig
) -> list[Finding]:
    """Apply select/ignore and noqa, format messages, deduplicate and sort."""
    return [Finding(path, *row) for row in _kept(hits, lines, config)]


# A finding's (line, col, code, message) before it is made.
_Row = tuple[int, int, str, str]


def _kept(hits: Iterable[Decided], lines: list[str], config: LintConfig) -> list[_Row]:
    """The rows of :func:`findings_from_hits`, in its order (one file: its findings sort by
    these fields)."""
    seen: set[_Row] = set()
    for line, col, code, detail in hits:
        if not config.enabled(code) or suppressed(lines, line, code):
            continue
        seen.add((line, col, code, BY_CODE[code].format(detail)))
    return sorted(seen)


def parse(source: str, path: str) -> ast.Module | Finding:
    """The tree, or the REC000 finding explaining why there is none."""
    try:
        with warnings.catch_warnings():
            # Invalid escape sequences and the like are not our business.
            warnings.simplefilter("ignore")
            return ast.parse(source, filename=path)
    except SyntaxError as exc:
        line, col = exc.lineno or 1, max((exc.offset or 1) - 1, 0)
        detail = f"{type(exc).__name__}: {exc.msg}"
    except (ValueError, RecursionError, MemoryError) as exc:
        # ValueError: NUL bytes; RecursionError/MemoryError: absurd nesting in the parser.
        line, col, detail = 1, 0, f"{type(exc).__name__}: {exc}"
    return Finding(path, line, col, "REC000", BY_CODE["REC000"].format(detail))


def check_source(
    source: str, path: str, config: LintConfig, *, fingerprint: int = 0
) -> list[Finding]:
    """All findings for one file's text, sorted; with a ``fingerprint`` version (see
    :mod:`lint_rules.baseline`; 0 for none), each carries its baseline fingerprint."""
    with gc_paused():
        parsed = parse(source, path)
        if isinstance(parsed, Finding):
            found = [parsed] if config.enabled("REC000") else []
            return with_fingerprints(None, found, [], fingerprint) if fingerprint else found
        anchors: Anchors | None = None
        if fingerprint:
            decided, anchors = decide_anchored(parsed, path, config, source)
        else:
            decided = decide(parsed, path, config, source)
        # Numbered as the parser numbers them (str.splitlines also splits at form feeds).
        lines = baseline.source_lines(source) if decided else []
        rows = _kept(decided, lines, config)
        if fingerprint and rows:
            # Fingerprinted before the findings are made: each is made once, with its print.
            places = [row[:3] for row in rows]
            prints = baseline.fingerprints_at(parsed, places, lines, fingerprint, anchors)
            findings = [
                Finding(path, *row, None, p) for row, p in zip(rows, prints, strict=True)
            ]
        else:
            findings = [Finding(path, *row) for row in rows]
        del parsed  # freed here, while the collector is still paused
    return findings


def with_fingerprints(
    tree: ast.Module | None,
    findings: list[Finding],
    lines: list[str],
    version: int = baseline.FORMAT_VERSION,
    anchors: Anchors | None = None,
) -> list[Finding]:
    """``findings`` carrying their baseline fingerprints of ``version``, from the file's tree
    and lines (:func:`lint_rules.baseline.source_lines`), and the hits' ``anchors`` if known
    (the same fingerprints, found faster)."""
    if not findings:
        return findings
    module = tree or ast.Module(body=[], type_ignores=[])
    prints = baseline.fingerprints(module, findings, lines, version, anchors)
    return [
        Finding(f.path, f.line, f.col, f.code, f.message, f.fix, p)
        for f, p in zip(findings, prints, strict=True)
    ]


def analyse(source: str, path: str, config: LintConfig) -> list[Finding]:
    """``check_source``'s findings, those a codemod can rewrite carrying their ``fix`` facts."""
    parsed = parse(source, path)
    if isinstance(parsed, Finding):
        return [parsed] if config.enabled("REC000") else []
    hits = hits_for_tree(parsed, path, config, source)
    findings = findings_from_hits(_decided(hits), path, baseline.source_lines(source), config)
    role = file_role(path, config)[0]
    # REC002/REC003 fixes import from the façade: none without one, none inside it.
    facade = config.facade_modules[0] if config.facade_modules and not role.is_facade else None
    return with_fixes(findings, hits, FactFinder(source, parsed, facade))
