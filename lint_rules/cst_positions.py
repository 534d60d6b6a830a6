"""Start positions of a few nodes, at the cost of one bare code-generation pass.

libcst's ``PositionProvider`` records a ``CodeRange`` for every node of the module, which costs
about ten times a plain ``module.code``; a lint run needs the start of the handful of nodes it
reports.  This is the same computation (libcst's own codegen, the same "syntactic position" rule
for nodes that own leading whitespace) restricted to the requested nodes, and without building
the output text.  ``tests/lint/test_cst_engine.py`` checks it against ``PositionProvider``.

When the interpreter's ``ast`` tree of the same source is at hand (the engine parses with both),
only the statements that hold a requested node are generated (the innermost statement of a
module, class or function body): ``ast`` knows the line each statement starts on, and libcst's
``leading_lines`` (one blank or comment line each) say how many lines before it the libcst
statement begins; its indentation is that of the enclosing blocks.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import libcst as cst
from libcst._nodes.internal import CodegenState

_NEWLINE = re.compile(r"\r\n?|\n")


@dataclass
class _StartsState(CodegenState):
    """A codegen state that only tracks line/column and notes where the targets start."""

    targets: Collection[cst.CSTNode] = ()
    starts: dict[cst.CSTNode, tuple[int, int]] = field(default_factory=dict)
    line: int = 1
    column: int = 0

    def _advance(self, value: str) -> None:
        if "\n" not in value and "\r" not in value:
            self.column += len(value)
            return
        segments = _NEWLINE.split(value)
        self.line += len(segments) - 1
        self.column = len(segments[-1])

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self._advance(token)

    def add_token(self, value: str) -> None:
        self._advance(value)

    def before_codegen(self, node: cst.CSTNode) -> None:
        if node in self.targets:
            self.starts[node] = (self.line, self.column)

    @contextmanager
    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> Iterator[None]:
        # Nodes owning leading lines (statements, ``except``) start after them, like
        # PositionProvider.  ``start_node`` hoisting is only used by statement lines, which
        # are never targets.
        if node in self.targets:
            self.starts[node] = (self.line, self.column)
        yield


def start_positions(
    module: cst.Module, nodes: Collection[cst.CSTNode]
) -> dict[cst.CSTNode, tuple[int, int]]:
    """``{node: (line, column)}`` (1-based line, 0-based character column) for ``nodes``."""
    state = _StartsState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        targets=set(nodes),
    )
    module._codegen(state)
    return state.starts


def _body_lines(
    body: Sequence[cst.BaseStatement], tree_body: list[ast.stmt]
) -> list[tuple[int, int]] | None:
    """For each libcst statement of a body: the line it starts on (its leading lines included)
    and its first ``ast`` statement; None if the two bodies do not line up."""
    found: list[tuple[int, int]] = []
    position = 0
    for stmt in body:
        if position >= len(tree_body):
            return None
        first = tree_body[position]
        line = first.lineno
        skipped = len(getattr(stmt, "leading_lines", ()))
        found.append((line, position))
        if isinstance(stmt, cst.SimpleStatementLine):
            position += len(stmt.body)
        else:
            position += 1
            decorators = getattr(stmt, "decorators", ())
            if decorators:
                # The libcst statement starts at its leading lines, then the first decorator's.
                listed = getattr(first, "decorator_list", [])
                if not listed:
                    return None
                line = min(d.lineno for d in listed)
                skipped += len(decorators[0].leading_lines)
        found[-1] = (line - skipped, found[-1][1])
    return found if position == len(tree_body) else None


def _unit(
    module: cst.Module, tree: ast.Module, path: tuple[int, ...]
) -> tuple[cst.BaseStatement, int, list[str]] | None:
    """The statement at ``path`` (see ``Context.top`` in :mod:`lint_rules.cst_collect`), the
    line it starts on and the indentation it is generated under; None if unsure."""
    body: Sequence[cst.BaseStatement] = module.body
    tree_body: list[ast.stmt] = tree.body
    indents: list[str] = []
    for depth, index in enumerate(path):
        lines = _body_lines(body, tree_body)
        if lines is None or not 0 <= index < len(body):
            return None
        stmt = body[index]
        if depth == len(path) - 1:
            return stmt, lines[index][0], indents
        inner = tree_body[lines[index][1]]
        if not isinstance(stmt, cst.FunctionDef | cst.ClassDef) or not isinstance(
            stmt.body, cst.IndentedBlock
        ):
            return None
        if not isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return None
        indent = stmt.body.indent
        indents.append(module.default_indent if indent is None else indent)
        body, tree_body = stmt.body.body, inner.body
    return None


def start_positions_by_unit(
    module: cst.Module,
    tree: ast.Module,
    nodes: Collection[cst.CSTNode],
    unit_of: Mapping[cst.CSTNode, tuple[int, ...]],
) -> dict[cst.CSTNode, tuple[int, int]]:
    """Like :func:`start_positions`, generating only the statements (``unit_of``: node -> its
    innermost module/class/function body statement) that hold ``nodes``; ``tree`` is the
    ``ast`` tree of the same source, which says where those statements start."""
    by_unit: dict[tuple[int, ...], set[cst.CSTNode]] = {}
    for node in nodes:
        by_unit.setdefault(unit_of.get(node, ()), set()).add(node)
    starts: dict[cst.CSTNode, tuple[int, int]] = {}
    for path, targets in by_unit.items():
        unit = _unit(module, tree, path) if path else None
        if unit is None:
            return start_positions(module, nodes)  # the trees do not line up: the full pass
        stmt, line, indents = unit
        state = _StartsState(
            default_indent=module.default_indent,
            default_newline=module.default_newline,
            targets=targets,
            line=line,
        )
        state.indent_tokens.extend(indents)
        stmt._codegen(state)
        starts.update(state.starts)
    return starts
