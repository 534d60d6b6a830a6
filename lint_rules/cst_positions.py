"""Start positions of a few nodes, at the cost of one bare code-generation pass.

libcst's ``PositionProvider`` records a ``CodeRange`` for every node of the module, which costs
about ten times a plain ``module.code``; a lint run needs the start of the handful of nodes it
reports.  This is the same computation (libcst's own codegen, the same "syntactic position" rule
for nodes that own leading whitespace) restricted to the requested nodes, and without building
the output text.  ``tests/lint/test_cst_engine.py`` checks it against ``PositionProvider``.

When the interpreter's ``ast`` tree of the same source is at hand (the engine parses with both),
only the top-level statements that hold a requested node are generated: ``ast`` knows the line
each top-level statement starts on, and libcst's ``leading_lines`` (one blank or comment line
each) say how many lines before it the libcst statement begins.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterator, Mapping
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


def statement_lines(module: cst.Module, tree: ast.Module) -> list[int] | None:
    """The line each libcst top-level statement starts on (its leading lines included), from
    the ``ast`` tree of the same source; None if the two trees do not line up."""
    lines: list[int] = []
    position = 0
    for stmt in module.body:
        if position >= len(tree.body):
            return None
        first = tree.body[position]
        line = first.lineno
        skipped = len(stmt.leading_lines)
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
        lines.append(line - skipped)
    return lines if position == len(tree.body) else None


def start_positions_by_statement(
    module: cst.Module,
    nodes: Collection[cst.CSTNode],
    top_of: Mapping[cst.CSTNode, int],
    first_lines: list[int],
) -> dict[cst.CSTNode, tuple[int, int]]:
    """Like :func:`start_positions`, generating only the top-level statements (``top_of``:
    node -> index in ``module.body``; ``first_lines`` from :func:`statement_lines`) that hold
    ``nodes``."""
    by_statement: dict[int, set[cst.CSTNode]] = {}
    for node in nodes:
        index = top_of.get(node, -1)
        if not 0 <= index < len(first_lines):
            return start_positions(module, nodes)  # not a collected node: the full pass
        by_statement.setdefault(index, set()).add(node)
    starts: dict[cst.CSTNode, tuple[int, int]] = {}
    for index, targets in by_statement.items():
        state = _StartsState(
            default_indent=module.default_indent,
            default_newline=module.default_newline,
            targets=targets,
            line=first_lines[index],
        )
        module.body[index]._codegen(state)
        starts.update(state.starts)
    return starts
