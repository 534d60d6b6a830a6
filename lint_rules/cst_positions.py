"""Start positions of a few nodes, at the cost of one bare code-generation pass.

libcst's ``PositionProvider`` records a ``CodeRange`` for every node of the module, which costs
about ten times a plain ``module.code``; a lint run needs the start of the handful of nodes it
reports.  This is the same computation (libcst's own codegen, the same "syntactic position" rule
for nodes that own leading whitespace) restricted to the requested nodes, and without building
the output text.  ``tests/lint/test_cst_engine.py`` checks it against ``PositionProvider``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
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
