"""``fix_source``: the codemods that retrofit a legacy module to the error policy.

Used by ``python -m lint_rules fix`` and the ``rec-fix`` pre-commit hook.  It rewrites exactly
what the libcst engine reports and the catalog says can be fixed -- never a suppressed
(``# noqa``) or deselected finding, never code under ``if TYPE_CHECKING:`` -- and adds the imports
the rewrites need once:

* REC001 ``print(...)`` -> ``logger.info(...)`` (:mod:`lint_rules.codemods.print_to_logger`);
* REC002 ``assert c, m`` -> ``ensure_internal(c, ErrorCode.INVARIANT_VIOLATED, m)``
  (:mod:`lint_rules.codemods.assert_to_ensure`);
* REC003 ``raise ValueError(m)`` -> ``raise usage(ErrorCode.UNKNOWN, m)`` with a TODO comment
  (:mod:`lint_rules.codemods.raise_to_facade`).

Façade names are imported from ``config.facade_modules[0]``: this package never imports the
project it fixes.  The result is idempotent (a fixed node is no longer reported, and nothing is
added when nothing was fixed) and is checked to parse before it is returned.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, ImportItem
from libcst.metadata import MetadataWrapper

from lint_rules import semantics
from lint_rules.codemods.assert_to_ensure import ENSURE, ERROR_CODE, ensure_statement
from lint_rules.codemods.print_to_logger import (
    add_logger_assignment,
    choose_logger_name,
    logger_call,
)
from lint_rules.codemods.raise_to_facade import TODO_COMMENT, facade_raise
from lint_rules.config import LintConfig
from lint_rules.cst_engine import analyse, file_role, parse_module
from lint_rules.cst_positions import start_positions
from lint_rules.cst_scopes import Resolver
from lint_rules.errors import LintError
from lint_rules.findings import Finding
from lint_rules.noqa import suppressed

FIXABLE = ("REC001", "REC002", "REC003")


class FixError(LintError):
    """A fix produced code that does not parse (a bug in a codemod; the file is left alone)."""


Builder = Callable[[cst.CSTNode], cst.CSTNode | None]


@dataclass
class _Plan:
    """Nodes to rewrite (by identity, with a builder applied to the node as updated below it,
    so that nested fixes such as ``assert print(x)`` happen in one pass) and the imports needed."""

    builders: dict[cst.CSTNode, Builder] = field(default_factory=dict)
    raises: set[cst.CSTNode] = field(default_factory=set)
    facade_names: set[str] = field(default_factory=set)
    needs_logger: bool = False


class _Apply(cst.CSTTransformer):
    """Rewrite the planned nodes; mark rewritten raises with the TODO comment."""

    def __init__(self, plan: _Plan) -> None:
        super().__init__()
        self._plan = plan
        self._marked: list[bool] = []

    # Replacements change the node type (an Assert becomes an Expr): hence the override ignore.
    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
        result = super().on_leave(original_node, updated_node)
        builder = self._plan.builders.get(original_node)
        if builder is None or not isinstance(result, cst.CSTNode):
            return result
        replacement = builder(result)
        if replacement is None:
            return result
        if original_node in self._plan.raises and self._marked:
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
            comment = cst.Comment(TODO_COMMENT)
            new = trailing.with_changes(whitespace=cst.SimpleWhitespace("  "), comment=comment)
            return updated_node.with_changes(trailing_whitespace=new)
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
        comment = cst.Comment(TODO_COMMENT)
        new = trailing.with_changes(whitespace=cst.SimpleWhitespace("  "), comment=comment)
        return updated_node.with_changes(trailing_whitespace=new)


def _plan(
    wrapper: MetadataWrapper, source: str, path: str, config: LintConfig, logger: str
) -> _Plan:
    plan = _Plan()
    role = file_role(path, config)[0]
    all_hits, resolver = analyse(wrapper, path, config)
    # Without a façade module there is nothing to import ensure_internal/usage from.
    fixable = FIXABLE if config.facade_modules and not role.is_facade else ("REC001",)
    hits = [h for h in all_hits if h[1] in fixable and config.enabled(h[1])]
    if not hits:
        return plan
    positions = start_positions(wrapper.module, [node for node, _, _ in hits])
    lines = source.splitlines()
    for node, code, _detail in hits:
        if suppressed(lines, positions[node][0], code):
            continue
        if code == "REC001" and isinstance(node, cst.Call):
            file_arg = next(
                (a.value for a in node.args if a.keyword and a.keyword.value == "file"), None
            )
            file_names = None if file_arg is None else resolver.qualified_names(file_arg)
            if _logger_is_shadowed(resolver, node, logger):
                continue
            if logger_call(node, logger, file_names) is not None:
                plan.builders[node] = _print_builder(logger, file_names)
                plan.needs_logger = True
        elif code == "REC002" and isinstance(node, cst.Assert):
            plan.builders[node] = _assert_builder
            plan.facade_names |= {ENSURE, ERROR_CODE}
        elif code == "REC003" and isinstance(node, cst.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, cst.Call) else node.exc
            builtins_raised = {
                name
                for q in resolver.qualified_names(target)
                if (name := semantics.builtin_name(q)) in semantics.BUILTIN_EXCEPTIONS
            }
            if len(builtins_raised) != 1:
                continue
            builtin = builtins_raised.pop()
            fixed = facade_raise(node, builtin)
            if fixed is not None:
                plan.builders[node] = _raise_builder(builtin)
                plan.raises.add(node)
                plan.facade_names |= {fixed[1], ERROR_CODE}
    return plan


def _print_builder(logger: str, file_names: frozenset[str] | None) -> Builder:
    def build(node: cst.CSTNode) -> cst.CSTNode | None:
        return logger_call(node, logger, file_names) if isinstance(node, cst.Call) else None

    return build


def _assert_builder(node: cst.CSTNode) -> cst.CSTNode | None:
    return ensure_statement(node) if isinstance(node, cst.Assert) else None


def _raise_builder(builtin: str) -> Builder:
    def build(node: cst.CSTNode) -> cst.CSTNode | None:
        fixed = facade_raise(node, builtin) if isinstance(node, cst.Raise) else None
        return None if fixed is None else fixed[0]

    return build


def _logger_is_shadowed(resolver: Resolver, call: cst.Call, logger: str) -> bool:
    """A local/parameter named like the logger would capture ``logger.info`` in a function."""
    scope = resolver.scope_of(call)
    if scope is None:
        return False
    return any(a.scope is not scope.globals for a in scope[logger])


def fix_source(source: str, path: str, config: LintConfig) -> str:
    """``source`` with every automatically fixable, reported finding rewritten."""
    parsed = parse_module(source, path)
    if isinstance(parsed, Finding):
        return source  # nothing to fix in a file that does not parse: check reports REC000
    logger, add_logger_line = choose_logger_name(parsed)
    wrapper = MetadataWrapper(parsed, unsafe_skip_copy=True)
    plan = _plan(wrapper, source, path, config, logger)
    if not plan.builders:
        return source
    module = wrapper.module.visit(_Apply(plan))
    imports = [ImportItem(config.facade_modules[0], name) for name in sorted(plan.facade_names)]
    if plan.needs_logger and add_logger_line:
        imports.append(ImportItem("logging"))
    if imports:
        module = AddImportsVisitor(CodemodContext(), imports).transform_module(module)
    if plan.needs_logger and add_logger_line:
        module = add_logger_assignment(module, logger)
    fixed = module.code
    try:
        ast.parse(fixed, filename=path)
    except SyntaxError as exc:
        raise FixError(f"{path}: the fix does not parse ({exc.msg}); file left unchanged") from exc
    return fixed
