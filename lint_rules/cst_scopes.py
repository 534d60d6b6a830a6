"""Name resolution and exception classification for the libcst engine.

The rules never trust spelling: ``print`` is the builtin only when scope analysis says so, and an
exception class is "typed" only when it comes from a configured façade module or is a class of
this file with a typed base.  The meaning of every answer is fixed by :mod:`lint_rules.semantics`
(flow-insensitive "may refer to" resolution, as implemented for the ast engine by
:mod:`lint_rules.scopes`); this module gives the same answers from libcst's ``ScopeProvider``.
libcst's own per-access answer (``get_qualified_names_for(node)``) is flow-sensitive within a
scope (``print(1); def print(): ...`` would say "builtin"), so the root name of an expression is
looked up with ``scope[name]`` (every binding in the first scope that binds it) and only import
and builtin bindings yield qualified names, exactly like the ast engine.

Scope analysis is the most expensive step of the engine (several times the parse), so it is
resolved lazily and only for names where it can change an answer.  The collector records, for the
whole file, every name bound anywhere and how (:meth:`Resolver.note_binding`): a name bound nowhere
is the builtin (or undefined) without asking, and a name bound only by plain assignments and not a
builtin can never yield a qualified name.  ``ScopeProvider`` runs only for names bound by an
import, a class or an ``except ... as`` somewhere, or for builtins that are rebound somewhere.
"""

from __future__ import annotations

import builtins
import enum
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal

import libcst as cst
from libcst.metadata import (
    Assignment,
    BaseAssignment,
    BuiltinAssignment,
    ClassScope,
    ComprehensionScope,
    ImportAssignment,
    MetadataWrapper,
    Scope,
    ScopeProvider,
)

from lint_rules import semantics

BUILTIN_NAMES = frozenset(dir(builtins))

BindingKind = Literal["builtin", "import", "class", "except", "other"]


@dataclass(frozen=True)
class Binding:
    """One thing a name may refer to: ``target`` for imports, ``node`` for classes and
    ``except ... as`` names (the bound Name node)."""

    kind: BindingKind
    target: str | None = None
    node: cst.CSTNode | None = None


_BUILTIN = Binding("builtin")
_OTHER = Binding("other")


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
        # Filled by the collector, for the whole file (see the module docstring).
        self.bound: set[str] = set()  # every name bound anywhere
        self.scoped: set[str] = set()  # bound by an import, a class or ``except ... as``
        self.imports: dict[str, set[str]] = {}  # bound name -> import targets
        # Names bound only by module-level imports/classes -> those bindings; None: anything
        # else binds them too, so the scope of each use matters.
        self._module_only: dict[str, list[Binding] | None] = {}
        # Bindings libcst's scope analysis does not record (match captures) or puts in the
        # wrong scope (``:=`` in a comprehension binds in the enclosing function): name -> the
        # bound Name nodes, placed in their real scope on demand (:meth:`_extra_scopes`).
        self._extra: dict[str, list[cst.Name]] = {}
        # ``except T as name``: the Name node bound -> its handler.
        self.handler_of_name: dict[cst.CSTNode, cst.ExceptHandler | cst.ExceptStarHandler] = {}
        # Memo for "is this ClassDef typed?"; None marks "being computed" (cycle guard).
        self._class_memo: dict[cst.ClassDef, bool | None] = {}

    # -- facts from the collector --------------------------------------------------------

    def note_binding(
        self, name: str, binding: Binding = _OTHER, module_level: bool = False
    ) -> None:
        self.bound.add(name)
        if binding.kind != "other":
            self.scoped.add(name)
        simple = self._module_only.setdefault(name, [])
        if simple is None:
            return
        if module_level and binding.kind in ("import", "class"):
            simple.append(binding)
        else:
            self._module_only[name] = None

    def note_extra(self, name: cst.Name) -> None:
        """A match capture or ``:=`` target (see ``_extra`` in ``__init__``)."""
        self.note_binding(name.value)
        self._extra.setdefault(name.value, []).append(name)

    def note_import(self, node: cst.Import | cst.ImportFrom, module_level: bool) -> None:
        for local, target in import_targets(node, self.package):
            self.note_binding(local, Binding("import", target=target), module_level)
            self.imports.setdefault(local, set()).add(target)

    # -- resolution -------------------------------------------------------------------------

    def scope_of(self, node: cst.CSTNode) -> Scope | None:
        if self._scopes is None:
            self._scopes = self._wrapper.resolve(ScopeProvider)
        return self._scopes.get(node)

    def bindings(self, root: cst.Name) -> list[Binding]:
        """What ``root`` may refer to (empty: bound nowhere and not a builtin)."""
        name = root.value
        if name not in self.bound:
            return [_BUILTIN] if name in BUILTIN_NAMES else []
        simple = self._module_only.get(name)
        if simple:
            return list(simple)  # visible from every scope, and nothing else binds the name
        if name not in self.scoped and name not in BUILTIN_NAMES:
            return [_OTHER]  # plain bindings or undefined here: no qualified name either way
        scope = self.scope_of(root)
        if scope is None:
            return []
        assignments = scope[name]
        if name in self._extra:
            owner = next((a.scope for a in assignments), None)
            shadowing = self._extra_binding_before(scope, owner, name)
            if shadowing == "closer":
                return [_OTHER]
            if shadowing == "same":
                return [_OTHER, *self._convert(name, assignments)]
        return self._convert(name, assignments)

    def _extra_scopes(self, name: str) -> set[Scope]:
        scopes = set()
        for node in self._extra[name]:
            scope = self.scope_of(node)
            while isinstance(scope, ComprehensionScope):
                scope = scope.parent  # PEP 572: ``:=`` binds outside the comprehension
            if scope is not None:
                # ``global``/``nonlocal`` declarations redirect the binding (libcst-internal API,
                # the same call libcst makes for the assignments it records itself).
                scopes.add(scope._find_assignment_target(name))
        return scopes

    def _extra_binding_before(self, use: Scope, owner: Scope | None, name: str) -> str | None:
        """Whether an extra binding of ``name`` sits in the lookup chain of ``use`` before
        (``"closer"``) or in (``"same"``) the scope libcst resolved to (``owner``)."""
        extra = self._extra_scopes(name)
        overwrites: dict[str, Scope] = getattr(use, "_scope_overwrites", {})
        scope: Scope | None = overwrites.get(name, use)  # ``global name`` looks up the module
        first = scope is use
        while scope is not None:
            visible = first or not isinstance(scope, ClassScope)
            if visible and scope in extra:
                return "same" if scope is owner else "closer"
            if scope is owner:
                return None
            first = False
            scope = scope.parent if scope.parent is not scope else None
        return None

    def _convert(self, name: str, assignments: Collection[BaseAssignment]) -> list[Binding]:
        """libcst assignments of ``name`` as the engine's bindings."""
        found = []
        for assignment in assignments:
            if isinstance(assignment, BuiltinAssignment):
                found.append(_BUILTIN)
            elif isinstance(assignment, ImportAssignment):
                node = assignment.node
                if isinstance(node, cst.Import | cst.ImportFrom):
                    targets = [
                        t for local, t in import_targets(node, self.package) if local == name
                    ]
                    found += [Binding("import", target=t) for t in targets]
            elif isinstance(assignment, Assignment) and isinstance(assignment.node, cst.ClassDef):
                found.append(Binding("class", node=assignment.node))
            elif isinstance(assignment, Assignment) and assignment.node in self.handler_of_name:
                found.append(Binding("except", node=assignment.node))
            else:
                found.append(_OTHER)
        return found

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
        kinds = [self.classify(t) for t in self.caught(handler)]
        if Kind.UNTYPED in kinds:
            return Kind.UNTYPED
        return Kind.TYPED if all(k is Kind.TYPED for k in kinds) else Kind.UNKNOWN
