"""The libcst engine's binding table: what a name may refer to, built during the collector's walk.

libcst's ``ScopeProvider`` used to answer this and cost about three quarters of the engine's time
(a full transformer pass over every node).  The collector already walks every node that can bind
or use a name, so it records bindings here as it goes, in the scopes of
:class:`lint_rules.scopes.Scope`: the very scope chain the ast engine uses (``global`` and
``nonlocal`` redirection, class scopes invisible to nested functions, flow-insensitive "may refer
to" lookups), so both engines answer every name question from the same logic.  Questions are asked
only after the walk, once every binding is known.

The shared :class:`~lint_rules.scopes.Binding` carries ``ast`` nodes; the libcst nodes a binding
needs (a class, the Name of ``except ... as``) live in a side table keyed by binding identity.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Literal

import libcst as cst

from lint_rules import scopes
from lint_rules.scopes import Scope

BUILTIN_NAMES = frozenset(dir(builtins))

BindingKind = Literal["builtin", "import", "class", "except", "other"]


@dataclass(frozen=True)
class Binding:
    """One thing a name may refer to: ``target`` for imports, ``node`` for classes and
    ``except ... as`` names (the bound Name node)."""

    kind: BindingKind
    target: str | None = None
    node: cst.CSTNode | None = None


BUILTIN = Binding("builtin")


class BindingTable:
    """Every binding of one module, by scope, plus the scope each visited Name is used in."""

    def __init__(self) -> None:
        self.module = Scope("module", None)
        self.scope_of_name: dict[cst.Name, Scope] = {}
        self._nodes: dict[scopes.Binding, cst.CSTNode] = {}

    def bind(
        self,
        scope: Scope,
        name: str,
        kind: scopes.BindingKind = "other",
        target: str | None = None,
        node: cst.CSTNode | None = None,
    ) -> None:
        binding = scopes.Binding(kind, scope, qualified=target)
        if node is not None:
            self._nodes[binding] = node
        scope.bind(name, binding)

    def bind_target(self, scope: Scope, target: cst.BaseExpression) -> None:
        """Every Name an assignment target binds (``a, (b, *c) = ...``); attributes and
        subscripts bind none."""
        if isinstance(target, cst.Name):
            self.bind(scope, target.value)
        elif isinstance(target, cst.Tuple | cst.List):
            for element in target.elements:
                self.bind_target(scope, element.value)
        elif isinstance(target, cst.StarredElement):
            self.bind_target(scope, target.value)

    def lookup(self, root: cst.Name) -> list[Binding]:
        """What ``root`` may refer to (empty: bound nowhere visible and not a builtin)."""
        # Every Name the rules ask about was visited; the module scope is only a safe default.
        scope = self.scope_of_name.get(root, self.module)
        found = scope.lookup(root.value)
        if found is None:
            return [BUILTIN] if root.value in BUILTIN_NAMES else []
        return [Binding(b.kind, b.qualified, self._nodes.get(b)) for b in found]
