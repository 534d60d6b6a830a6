"""The libcst engine: ``check_source`` on a concrete syntax tree (``check --engine cst``).

It finds exactly what :mod:`lint_rules.ast_engine` finds (a test compares them on a corpus and on
generated programs) but works on the tree the fixers rewrite.  Designed for speed:

* one parse and one :class:`~libcst.metadata.MetadataWrapper` per file, built without the
  defensive deep copy (the tree is never mutated here);
* one visitor for all rules (:mod:`lint_rules.cst_collect`), rules evaluated afterwards on the few
  collected nodes (:mod:`lint_rules.cst_rules`);
* names resolved from a binding table the walk builds (:mod:`lint_rules.cst_bindings`), not
  libcst's ``ScopeProvider``; ``ExpressionContextProvider`` runs only if a bare ``__stdout__``
  name occurs;
* positions only for reported nodes, and only when there is a finding
  (:mod:`lint_rules.cst_positions`: a bare codegen pass over just the statements that hold
  them, instead of ``PositionProvider``'s range for every node).

Syntax is decided by the running interpreter's own parser (``ast.parse``, shared with the ast
engine): libcst accepts some syntax the interpreter rejects (``type X = int`` on 3.11,
``f(x=1, x=2)``) and such a file must be REC000 in both engines, never checked by one only.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping

import libcst as cst
from libcst.metadata import ExpressionContext, ExpressionContextProvider, MetadataWrapper

from lint_rules import config as cfgmod
from lint_rules.ast_engine import parse as ast_parse
from lint_rules.catalog import BY_CODE
from lint_rules.config import LintConfig
from lint_rules.cst_collect import Collected, Collector
from lint_rules.cst_positions import start_positions, start_positions_by_unit
from lint_rules.cst_rules import (
    FileRole,
    Hit,
    check_asserts,
    check_calls,
    check_handlers,
    check_raises,
    check_stdout_refs,
)
from lint_rules.cst_scopes import Resolver
from lint_rules.findings import Finding
from lint_rules.noqa import suppressed


def file_role(path: str, config: LintConfig) -> tuple[FileRole, str, str]:
    """The file's role plus its module and package names (same answers as the ast engine)."""
    module = cfgmod.module_name_for(path, cfgmod.config_root(config))
    role = FileRole(
        is_facade=cfgmod.module_matches(module, config.facade_modules),
        is_output=cfgmod.module_matches(module, config.output_modules),
        is_entry=cfgmod.module_matches(module, config.entry_modules),
        is_test=cfgmod.is_test_path(path, config),
    )
    return role, module, cfgmod.package_of(module, path)


def parse_module(source: str, path: str) -> cst.Module | Finding:
    """The libcst tree, or the REC000 finding explaining why there is none."""
    parsed = parse_both(source, path)
    return parsed if isinstance(parsed, Finding) else parsed[0]


def parse_both(source: str, path: str) -> tuple[cst.Module, ast.Module] | Finding:
    """The libcst tree and the interpreter's ``ast`` tree, or the REC000 finding."""
    checked = ast_parse(source, path)
    if isinstance(checked, Finding):
        return checked
    try:
        return cst.parse_module(source), checked
    except cst.ParserSyntaxError as exc:
        # The interpreter accepted it but libcst did not: still a report, never a crash.
        message = BY_CODE["REC000"].format(f"libcst: {exc.message}")
        return Finding(path, exc.raw_line, exc.raw_column, "REC000", message)
    except RecursionError as exc:
        detail = f"libcst: {type(exc).__name__}"
        return Finding(path, 1, 0, "REC000", BY_CODE["REC000"].format(detail))


def analyse(wrapper: MetadataWrapper, path: str, config: LintConfig) -> tuple[list[Hit], Resolver]:
    """Every rule hit before noqa and select/ignore filtering, plus the file's resolver."""
    hits, resolver, _ = _analyse(wrapper, path, config)
    return hits, resolver


def _analyse(
    wrapper: MetadataWrapper, path: str, config: LintConfig
) -> tuple[list[Hit], Resolver, Collected]:
    role, module, package = file_role(path, config)
    resolver = Resolver(wrapper, config.facade_modules, package)
    out = Collector(resolver, module, config.guard_functions).run(wrapper.module)

    def is_reference(name: cst.Name) -> bool:
        contexts = wrapper.resolve(ExpressionContextProvider)
        return contexts.get(name) in (ExpressionContext.LOAD, ExpressionContext.DEL)

    hits: list[Hit] = []
    hits += check_calls(out, role, resolver)
    hits += check_asserts(out, role)
    hits += check_raises(out, role, resolver)
    hits += check_handlers(out, resolver)
    hits += check_stdout_refs(out, role, resolver, is_reference)
    return hits, resolver, out


def hits_for_module(wrapper: MetadataWrapper, path: str, config: LintConfig) -> list[Hit]:
    """Every rule hit before noqa and select/ignore filtering."""
    return analyse(wrapper, path, config)[0]


def _byte_column(lines: list[str], line: int, column: int) -> int:
    """ast reports UTF-8 byte offsets; libcst reports characters."""
    if 1 <= line <= len(lines):
        return len(lines[line - 1][:column].encode("utf-8"))
    return column


def findings_from_hits(
    hits: Iterable[Hit],
    wrapper: MetadataWrapper,
    path: str,
    lines: list[str],
    config: LintConfig,
    located: tuple[Mapping[cst.CSTNode, tuple[int, ...]], ast.Module] | None = None,
) -> list[Finding]:
    """Apply select/ignore and noqa, format messages, deduplicate and sort.

    ``located`` (collected node -> its statement, and the ``ast`` tree) lets the positions pass
    generate only the statements holding a finding."""
    hits = [h for h in hits if config.enabled(h[1])]
    if not hits:
        return []  # the common case: no code generation pass for positions at all
    nodes = [node for node, _, _ in hits]
    if located is None:
        positions = start_positions(wrapper.module, nodes)
    else:
        positions = start_positions_by_unit(wrapper.module, located[1], nodes, located[0])
    seen: set[Finding] = set()
    for node, code, detail in hits:
        line, column = positions[node]
        if suppressed(lines, line, code):
            continue
        col = _byte_column(lines, line, column)
        seen.add(Finding(path, line, col, code, BY_CODE[code].format(detail)))
    return sorted(seen)


def check_source(source: str, path: str, config: LintConfig) -> list[Finding]:
    """All findings for one file's text, sorted (the same API as the ast engine)."""
    parsed = parse_both(source, path)
    if isinstance(parsed, Finding):
        return [parsed] if config.enabled("REC000") else []
    wrapper = MetadataWrapper(parsed[0], unsafe_skip_copy=True)
    hits, _, out = _analyse(wrapper, path, config)
    # Same line splitting as the ast engine so that noqa comments land on the same lines.
    lines = source.splitlines()
    return findings_from_hits(hits, wrapper, path, lines, config, (out.top_of, parsed[1]))
