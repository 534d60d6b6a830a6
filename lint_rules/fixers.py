"""``fix_source``: apply the analysis's fixes to a module with libcst.  Decides nothing.

Used by ``python -m lint_rules fix``, the ``rec-fix`` pre-commit hook and the Fixit plugin.
Which findings are fixable and how (constructor, logger, message form, imports) was decided by
the one analysis (:func:`lint_rules.checker.analyse`, :mod:`lint_rules.fixfacts`); a suppressed
(``# noqa``), deselected or ``if TYPE_CHECKING:`` finding never reaches this module.  Here each
:class:`~lint_rules.findings.Fix` is located by position (libcst's ``PositionProvider``), its
node rewritten by a builder from :mod:`lint_rules.codemods` (nested fixes such as
``assert print(x)`` in one pass), and the imports and the logger line are added once.

The result is checked to parse before it is returned; a file libcst cannot parse (syntax newer
than the installed libcst) is returned unchanged.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, ImportItem
from libcst.metadata import MetadataWrapper, PositionProvider

from lint_rules.checker import analyse
from lint_rules.codemods.assert_to_ensure import ensure_statement
from lint_rules.codemods.print_to_logger import add_logger_assignment, logger_call
from lint_rules.codemods.raise_to_facade import TODO_COMMENT, facade_raise
from lint_rules.config import LintConfig
from lint_rules.errors import LintError
from lint_rules.findings import Fix

FIXABLE = ("REC001", "REC002", "REC003")


class FixError(LintError):
    """A fix produced code that does not parse (a bug in a codemod; the file is left alone)."""


def _build(node: cst.CSTNode, fix: Fix) -> cst.CSTNode | None:
    """The node replacing ``node`` (already updated below it), or None if it is not the node
    ``fix`` describes."""
    if fix.node == "Call" and isinstance(node, cst.Call):
        return logger_call(node, fix)
    if fix.node == "Assert" and isinstance(node, cst.Assert):
        return ensure_statement(node, fix)
    if fix.node == "Raise" and isinstance(node, cst.Raise):
        return facade_raise(node, fix)
    return None


_NODE_TYPES: dict[str, type[cst.CSTNode]] = {
    "Call": cst.Call,
    "Assert": cst.Assert,
    "Raise": cst.Raise,
}


def locate(wrapper: MetadataWrapper, fixes: Sequence[Fix]) -> dict[cst.CSTNode, Fix]:
    """The libcst node each fix describes (same type and start; the end tells apart nodes that
    start together, such as ``f(a)(b)``).  A fix whose node is not found is dropped."""
    wanted = {(f.node, f.start) for f in fixes}
    candidates: dict[tuple[str, tuple[int, int]], list[tuple[cst.CSTNode, tuple[int, int]]]] = {}
    for node, where in wrapper.resolve(PositionProvider).items():
        kind = type(node).__name__
        start = (where.start.line, where.start.column)
        if (kind, start) in wanted and isinstance(node, _NODE_TYPES[kind]):
            end = (where.end.line, where.end.column)
            candidates.setdefault((kind, start), []).append((node, end))
    located: dict[cst.CSTNode, Fix] = {}
    for fix in fixes:
        found = candidates.get((fix.node, fix.start), [])
        exact = [node for node, end in found if end == fix.end]
        nodes = exact or [node for node, _end in found]
        if len(nodes) == 1:
            located[nodes[0]] = fix
    return located


class _Apply(cst.CSTTransformer):
    """Rewrite the located nodes; mark statements holding a rewritten raise with the TODO."""

    def __init__(self, located: dict[cst.CSTNode, Fix]) -> None:
        super().__init__()
        self._located = located
        self._marked: list[bool] = []

    # Replacements change the node type (an Assert becomes an Expr): hence the override ignore.
    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
        result = super().on_leave(original_node, updated_node)
        fix = self._located.get(original_node)
        if fix is None or not isinstance(result, cst.CSTNode):
            return result
        replacement = _build(result, fix)
        if replacement is None:
            return result
        if fix.node == "Raise" and self._marked:
            self._marked[-1] = True
        return replacement

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._marked.append(False)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        if not self._marked.pop():
            return updated_node
        trailing = updated_node.trailing_whitespace
        if trailing.comment is None:
            return updated_node.with_changes(trailing_whitespace=_todo(trailing))
        todo = cst.EmptyLine(comment=cst.Comment(TODO_COMMENT))
        return updated_node.with_changes(leading_lines=[*updated_node.leading_lines, todo])

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self._marked.append(False)

    def leave_SimpleStatementSuite(
        self, original_node: cst.SimpleStatementSuite, updated_node: cst.SimpleStatementSuite
    ) -> cst.SimpleStatementSuite:
        trailing = updated_node.trailing_whitespace
        if not self._marked.pop() or trailing.comment is not None:
            return updated_node
        return updated_node.with_changes(trailing_whitespace=_todo(trailing))


def _todo(trailing: cst.TrailingWhitespace) -> cst.TrailingWhitespace:
    comment = cst.Comment(TODO_COMMENT)
    return trailing.with_changes(whitespace=cst.SimpleWhitespace("  "), comment=comment)


def apply_fixes(module: cst.Module, fixes: Sequence[Fix]) -> cst.Module:
    """``module`` with every fix applied and the imports/logger line they need added once."""
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    located = locate(wrapper, fixes)
    if not located:
        return module
    fixed = wrapper.module.visit(_Apply(located))
    applied = list(located.values())
    imports = sorted({item for fix in applied for item in fix.imports}, key=_import_order)
    if imports:
        items = [ImportItem(mod, name) for mod, name in imports]
        fixed = AddImportsVisitor(CodemodContext(), items).transform_module(fixed)
    logger_line = next((fix.logger_line for fix in applied if fix.logger_line), None)
    if logger_line is not None:
        fixed = add_logger_assignment(fixed, logger_line)
    return fixed


def _import_order(item: tuple[str, str | None]) -> tuple[str, str]:
    return item[0], item[1] or ""


def fix_source(source: str, path: str, config: LintConfig) -> str:
    """``source`` with every automatically fixable, reported finding rewritten."""
    fixes = [f.fix for f in analyse(source, path, config) if f.fix is not None]
    return fix_with(source, path, fixes)


def fix_with(source: str, path: str, fixes: Sequence[Fix]) -> str:
    """``source`` with exactly ``fixes`` applied (the fixer's whole contract, testable with
    hand-made fixes)."""
    if not fixes:
        return source
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:
        return source  # syntax the installed libcst does not know yet: nothing can be fixed
    fixed = apply_fixes(module, fixes).code
    _check_parses(fixed, path)
    return fixed


def _check_parses(fixed: str, path: str) -> None:
    try:
        ast.parse(fixed, filename=path)
    except SyntaxError as exc:
        raise FixError(f"{path}: the fix does not parse ({exc.msg}); file left unchanged") from exc

