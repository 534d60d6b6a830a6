"""Minimal Fixit rules matching REC001-REC005, so Fixit is timed on the same work as our engines.

Fixit ships no rule for ``print``, ``assert``, untyped raises or swallowed exceptions (its closest
built-ins, e.g. ``NoAssertTrueForComparisons``, check other things), so the benchmark brings its
own. They are written the way a Fixit user would write them: libcst visitors with the metadata
providers a correct rule needs (qualified names, so a shadowed ``print`` is not reported, as our
engines do). They are deliberately no smarter than that: the comparison is of engines, not rules.

Loaded by ``fixit --rules bench.fixit_rules.rec_equivalents lint ...`` inside the Fixit venv; the
module imports ``fixit``, which the project's own environment does not have.
"""

from __future__ import annotations

import builtins

import libcst as cst
from fixit import LintRule  # type: ignore[import-not-found, unused-ignore]
from libcst.metadata import QualifiedNameProvider, QualifiedNameSource

_BUILTIN_EXCEPTIONS = frozenset(
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)
_BROAD = frozenset({"Exception", "BaseException"})


def _is_builtin(rule: LintRule, node: cst.CSTNode, names: frozenset[str]) -> bool:
    qualified = rule.get_metadata(QualifiedNameProvider, node, set())
    return any(
        q.source == QualifiedNameSource.BUILTIN and q.name.removeprefix("builtins.") in names
        for q in qualified
    )


class RecNoPrint(LintRule):  # type: ignore[misc, unused-ignore]
    """REC001: a call to the builtin ``print``."""

    METADATA_DEPENDENCIES = (QualifiedNameProvider,)
    MESSAGE = "REC001 print() call"

    def visit_Call(self, node: cst.Call) -> None:
        if _is_builtin(self, node.func, frozenset({"print"})):
            self.report(node)


class RecNoAssert(LintRule):  # type: ignore[misc, unused-ignore]
    """REC002: an ``assert`` statement."""

    MESSAGE = "REC002 assert statement"

    def visit_Assert(self, node: cst.Assert) -> None:
        self.report(node)


class RecNoBuiltinRaise(LintRule):  # type: ignore[misc, unused-ignore]
    """REC003: raising a builtin exception class (or an instance of one)."""

    METADATA_DEPENDENCIES = (QualifiedNameProvider,)
    MESSAGE = "REC003 raise of an untyped exception"

    def visit_Raise(self, node: cst.Raise) -> None:
        exc = node.exc
        if exc is None:
            return
        target = exc.func if isinstance(exc, cst.Call) else exc
        if _is_builtin(self, target, _BUILTIN_EXCEPTIONS):
            self.report(node)


class RecNoForeignReraise(LintRule):  # type: ignore[misc, unused-ignore]
    """REC004: a bare ``raise`` inside an ``except`` clause (no façade configured here)."""

    MESSAGE = "REC004 bare raise of a foreign exception"

    def __init__(self) -> None:
        super().__init__()
        self._handlers = 0

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        self._handlers += 1

    def leave_ExceptHandler(self, original_node: cst.ExceptHandler) -> None:
        self._handlers -= 1

    def visit_Raise(self, node: cst.Raise) -> None:
        if node.exc is None and self._handlers > 0:
            self.report(node)


class RecNoSwallow(LintRule):  # type: ignore[misc, unused-ignore]
    """REC005: a bare or broad ``except`` whose body neither raises nor converts."""

    METADATA_DEPENDENCIES = (QualifiedNameProvider,)
    MESSAGE = "REC005 handler swallows errors"

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        broad = node.type is None or _is_builtin(self, node.type, _BROAD)
        if broad and not _contains_raise(node.body):
            self.report(node)


class _RaiseFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def visit_Raise(self, node: cst.Raise) -> None:
        self.found = True


def _contains_raise(body: cst.BaseSuite) -> bool:
    finder = _RaiseFinder()
    body.visit(finder)
    return finder.found
