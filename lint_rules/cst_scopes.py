"""Name resolution and exception classification for the libcst engine.

The rules never trust spelling: ``print`` is the builtin only when scope analysis says so, and an
exception class is "typed" only when it comes from a configured façade module or is a class of
this file with a typed base.  The meaning of every answer is fixed by :mod:`lint_rules.semantics`
(flow-insensitive "may refer to" resolution: the root name of an expression refers to every
binding in the first scope of its lookup chain that binds it, and only import and builtin bindings
yield qualified names).  Names are resolved with the binding table the collector builds during
its walk (:mod:`lint_rules.cst_bindings`, the ast engine's scope logic): libcst's
``ScopeProvider`` is not run to check a file.  :meth:`Resolver.scope_of` still offers it,
lazily, to the fixers.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

import libcst as cst
from libcst.metadata import MetadataWrapper, Scope, ScopeProvider

from lint_rules import semantics
from lint_rules.cst_bindings import BUILTIN_NAMES, Binding, BindingTable
from lint_rules.scopes import Scope as BindingScope

__all__ = ["Binding", "Kind", "Resolver", "dotted_name", "import_targets"]


class Kind(enum.Enum):
    """How an exception expression is classified (see :mod:`lint_rules.semantics`)."""

    TYPED = "typed"
    UNTYPED = "untyped"
    UNKNOWN = "unknown"


def dotted_name(node: cst.CSTNode) -> str | None:
    """``a.b.c`` for a chain of Names/Attributes, None for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = dotted_name(node.value)
        return None if head is None else f"{head}.{node.attr.value}"
    return None


def root_and_attrs(node: cst.CSTNode) -> tuple[cst.Name, str] | None:
    """``a.b.c`` -> (Name ``a``, ``".b.c"``); None unless a chain of Names/Attributes."""
    attrs: list[str] = []
    while isinstance(node, cst.Attribute):
        attrs.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    return node, "".join("." + a for a in reversed(attrs))


def resolve_relative(name: str, package: str) -> str:
    """Turn libcst's ``..errors.usage`` into ``pkg.errors.usage`` given the current package."""
    dots = len(name) - len(name.lstrip("."))
    parts = package.split(".") if package else []
    if dots - 1 > len(parts):
        return name.lstrip(".")
    base = parts[: len(parts) - (dots - 1)]
    rest = name[dots:]
    return ".".join([*base, rest]) if rest else ".".join(base)


def import_targets(node: cst.Import | cst.ImportFrom, package: str) -> list[tuple[str, str]]:
    """``(bound name, what it refers to)`` for each alias: ``import a.b`` binds ``a`` -> ``a``,
    ``import a.b as m`` binds ``m`` -> ``a.b``, ``from .x import y`` binds ``y`` -> ``pkg.x.y``."""
    if isinstance(node.names, cst.ImportStar):
        return []
    module = ""
    if isinstance(node, cst.ImportFrom):
        module = (dotted_name(node.module) or "") if node.module is not None else ""
        if node.relative:
            module = resolve_relative("." * len(node.relative) + module, package)
    pairs = []
    for alias in node.names:
        dotted = dotted_name(alias.name)
        if dotted is None:
            continue
        asname = alias.evaluated_alias
        if isinstance(node, cst.Import):
            local = asname if asname is not None else dotted.partition(".")[0]
            pairs.append((local, dotted if asname is not None else local))
        else:
            pairs.append((asname or dotted, f"{module}.{dotted}" if module else dotted))
    return pairs


class Resolver:
    """Answers scope questions about the nodes of one module (one instance per file)."""

    def __init__(
        self, wrapper: MetadataWrapper, facade_modules: tuple[str, ...], package: str
    ) -> None:
        self._wrapper = wrapper
        self._scopes: Mapping[cst.CSTNode, Scope | None] | None = None
        self._facade_modules = facade_modules
        self.package = package
        # Filled by the collector's walk (see the module docstring).
        self.table = BindingTable()
        self.imports: dict[str, set[str]] = {}  # bound name -> import targets, any scope
        # ``except T as name``: the Name node bound -> its handler.
        self.handler_of_name: dict[cst.CSTNode, cst.ExceptHandler | cst.ExceptStarHandler] = {}
        # Memo for "is this ClassDef typed?"; None marks "being computed" (cycle guard).
        self._class_memo: dict[cst.ClassDef, bool | None] = {}
        self._handler_memo: dict[cst.ExceptHandler | cst.ExceptStarHandler, Kind | None] = {}

    def note_import(self, node: cst.Import | cst.ImportFrom, scope: BindingScope) -> None:
        for local, target in import_targets(node, self.package):
            self.table.bind(scope, local, "import", target=target)
            self.imports.setdefault(local, set()).add(target)

    # -- resolution -------------------------------------------------------------------------

    def scope_of(self, node: cst.CSTNode) -> Scope | None:
        """libcst's scope of ``node`` (for the fixers; checking never runs ``ScopeProvider``)."""
        if self._scopes is None:
            self._scopes = self._wrapper.resolve(ScopeProvider)
        return self._scopes.get(node)

    def bindings(self, root: cst.Name) -> list[Binding]:
        """What ``root`` may refer to (empty: bound nowhere and not a builtin)."""
        return self.table.lookup(root)

    def qualified_names(self, node: cst.CSTNode) -> frozenset[str]:
        """Qualified names a Name or dotted Attribute may refer to (imports and builtins only)."""
        split = root_and_attrs(node)
        if split is None:
            return frozenset()
        root, suffix = split
        names = set()
        for binding in self.bindings(root):
            if binding.kind == "builtin":
                names.add(f"builtins.{root.value}{suffix}")
            elif binding.target is not None:
                names.add(binding.target + suffix)
        return frozenset(names)

    def may_refer_to(self, node: cst.CSTNode, wanted: frozenset[str]) -> bool:
        """A cheap, scope-free necessary condition for ``qualified_names(node) & wanted``."""
        split = root_and_attrs(node)
        if split is None:
            return False
        root, suffix = split
        candidates = {t + suffix for t in self.imports.get(root.value, ())}
        if root.value in BUILTIN_NAMES:
            candidates.add(f"builtins.{root.value}{suffix}")
        return not candidates.isdisjoint(wanted)

    def classify(self, expr: cst.CSTNode) -> Kind:
        """Classify an exception expression: ``raise E``, ``raise E(...)``, one ``except`` type."""
        if isinstance(expr, cst.Call):
            expr = expr.func  # a call is reduced to its callee (once: calls of calls are unknown)
        split = root_and_attrs(expr)
        if split is None:
            return Kind.UNKNOWN
        names = self.qualified_names(expr)
        if any(semantics.is_facade_name(n, self._facade_modules) for n in names):
            return Kind.TYPED
        root, suffix = split
        bindings = self.bindings(root)
        if all(b.kind == "builtin" for b in bindings):
            # A builtin (untyped), or an undefined name (unknown: nothing to go on).
            return Kind.UNTYPED if names else Kind.UNKNOWN
        if suffix:
            return Kind.UNTYPED if any(b.kind == "import" for b in bindings) else Kind.UNKNOWN
        return self._kind_of_bindings(bindings)

    def _kind_of_bindings(self, bindings: list[Binding]) -> Kind:
        classes = [b.node for b in bindings if isinstance(b.node, cst.ClassDef)]
        if any(self.class_is_typed(c) for c in classes):
            return Kind.TYPED
        if classes or any(b.kind == "import" for b in bindings):
            return Kind.UNTYPED
        # ``except T as name``: the name holds an instance of ``T``.
        kinds = [
            self.caught_kind(self.handler_of_name[b.node])
            for b in bindings
            if b.kind == "except" and b.node is not None
        ]
        if Kind.UNTYPED in kinds:
            return Kind.UNTYPED
        if kinds and all(k is Kind.TYPED for k in kinds):
            return Kind.TYPED
        return Kind.UNKNOWN

    def class_is_typed(self, cls: cst.ClassDef) -> bool:
        if cls in self._class_memo:
            return self._class_memo[cls] is True  # None: a cycle, treated as not typed
        self._class_memo[cls] = None
        result = any(
            arg.keyword is None and arg.star == "" and self.classify(arg.value) is Kind.TYPED
            for arg in cls.bases
        )
        self._class_memo[cls] = result
        return result

    @staticmethod
    def caught(handler: cst.ExceptHandler | cst.ExceptStarHandler) -> list[cst.CSTNode]:
        """The expressions an ``except`` clause names (a starred element counts as unknown)."""
        if handler.type is None:
            return []
        if isinstance(handler.type, cst.Tuple):
            # A StarredElement stays itself: it classifies as unknown, like ast's Starred.
            return [e.value if isinstance(e, cst.Element) else e for e in handler.type.elements]
        return [handler.type]

    def caught_kind(self, handler: cst.ExceptHandler | cst.ExceptStarHandler) -> Kind:
        """``untyped`` for a bare ``except:`` or if some caught type is untyped."""
        if handler.type is None:
            return Kind.UNTYPED
        memo = self._handler_memo
        if handler in memo:
            # None: we are inside this handler's own classification (``except E as E``).
            return memo[handler] or Kind.UNKNOWN
        memo[handler] = None
        kinds = [self.classify(t) for t in self.caught(handler)]
        if Kind.UNTYPED in kinds:
            result = Kind.UNTYPED
        else:
            result = Kind.TYPED if all(k is Kind.TYPED for k in kinds) else Kind.UNKNOWN
        memo[handler] = result
        return result
