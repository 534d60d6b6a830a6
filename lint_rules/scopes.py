"""Binding tables for the ``ast`` engine: what a name refers to, pyflakes-style and cheap.

The collector (:mod:`lint_rules.checker`) records every binding while it walks the file once;
questions are answered afterwards, when all bindings are known, which gives the flow-insensitive
"may refer to" semantics described in :mod:`lint_rules.semantics` (the same answers as libcst's
scope analysis).  Only names at interesting places (callees, raised and caught exceptions) are
ever resolved, so the cost is a few dict lookups per such node.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from typing import Literal

ScopeKind = Literal["module", "class", "function", "comprehension"]
BindingKind = Literal["import", "class", "except", "other"]

_BUILTIN_NAMES = frozenset(dir(builtins))


@dataclass(eq=False)
class Binding:
    """One place that binds a name.  ``qualified`` is set for imports, ``node`` for classes and
    ``except ... as`` handlers, ``scope`` is where the binding lives (to resolve class bases)."""

    kind: BindingKind
    scope: Scope
    qualified: str | None = None
    node: ast.AST | None = None


@dataclass(eq=False)
class Scope:
    kind: ScopeKind
    parent: Scope | None
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    global_names: set[str] = field(default_factory=set)
    nonlocal_names: set[str] = field(default_factory=set)

    def module(self) -> Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def _target(self, name: str) -> Scope:
        """The scope an assignment to ``name`` here really binds in (``global``/``nonlocal``)."""
        if name in self.global_names:
            return self.module()
        if name in self.nonlocal_names:
            scope = self.parent
            while scope is not None and scope.kind not in ("function", "module"):
                scope = scope.parent
            if scope is not None:
                return scope
        return self

    def bind(self, name: str, binding: Binding) -> None:
        self._target(name).bindings.setdefault(name, []).append(binding)

    def lookup(self, name: str) -> list[Binding] | None:
        """The bindings ``name`` may refer to here; ``None`` means "the builtin, or undefined".

        Class scopes are visible only to code directly in the class body (Python's rule).
        """
        if name in self.global_names:
            return self.module().bindings.get(name)
        scope: Scope | None = self
        first = True
        while scope is not None:
            if first or scope.kind != "class":
                found = scope.bindings.get(name)
                if found:
                    return found
            first = False
            scope = scope.parent
        return None


def dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of Names/Attributes, None for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def root_and_attrs(node: ast.expr) -> tuple[ast.Name, list[str]] | None:
    attrs: list[str] = []
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    attrs.reverse()
    return node, attrs


def qualified_names(node: ast.expr, scope: Scope) -> frozenset[str]:
    """Fully qualified names a Name or dotted Attribute may refer to (imports and builtins only)."""
    split = root_and_attrs(node)
    if split is None:
        return frozenset()
    root, attrs = split
    suffix = "".join("." + attr for attr in attrs)
    bindings = scope.lookup(root.id)
    if bindings is None:
        if root.id in _BUILTIN_NAMES:
            return frozenset({f"builtins.{root.id}{suffix}"})
        return frozenset()
    return frozenset(b.qualified + suffix for b in bindings if b.qualified is not None)


def resolve_import(module: str | None, level: int, package: str) -> str:
    """The absolute module of ``from <dots><module> import ...`` inside ``package``."""
    if level == 0:
        return module or ""
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return module or ""
    base = parts[: len(parts) - (level - 1)]
    if module:
        base.append(module)
    return ".".join(base)
