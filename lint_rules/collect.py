"""One iterative pass over an ``ast`` tree: record bindings, collect the nodes rules look at.

The walk is iterative (an explicit stack of ``(node, context)``) so that deeply nested
expressions cannot exhaust Python's recursion limit.  Each node carries an immutable
:class:`Context` (its scope, enclosing function, enclosing handlers, ``TYPE_CHECKING`` flag);
children share their parent's context unless the node opens a scope or a handler.  Rules are
evaluated afterwards by :mod:`lint_rules.rules`, once every binding is known.

Given the file's :class:`~lint_rules.prefilter.Triggers`, statements spanning no trigger line
(outside any handler) are not walked: a ``def``/``class`` only binds its name, an assignment
only its targets, an expression statement or ``return`` nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import repeat
from typing import Any

from lint_rules import semantics
from lint_rules.prefilter import Triggers, hides_trigger
from lint_rules.scopes import Binding, Scope, ScopeKind, dotted, resolve_import


@dataclass(eq=False)
class FunctionInfo:
    """The nearest enclosing ``def``/``lambda`` (``name`` is None for a lambda)."""

    name: str | None
    # ``@abstractmethod``, or a method whose whole body is ``raise NotImplementedError``
    # (after an optional docstring): both may raise NotImplementedError.
    abstract: bool


@dataclass(eq=False)
class HandlerInfo:
    """An ``except`` clause and what its body (same function) contains, for REC005."""

    node: ast.ExceptHandler
    scope: Scope
    has_raise: bool = False
    calls: list[tuple[ast.Call, Scope]] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class Context:
    scope: Scope
    qualname: str
    function: FunctionInfo | None = None
    # Enclosing handlers inside the current function, innermost last.
    handlers: tuple[HandlerInfo, ...] = ()
    guarded: bool = False
    type_checking: bool = False


@dataclass
class Collected:
    """What the rules need: interesting nodes with their context, plus every handler."""

    calls: list[tuple[ast.Call, Context]] = field(default_factory=list)
    raises: list[tuple[ast.Raise, Context]] = field(default_factory=list)
    asserts: list[tuple[ast.Assert, Context]] = field(default_factory=list)
    handlers: list[tuple[HandlerInfo, Context]] = field(default_factory=list)
    stdout_refs: list[tuple[ast.expr, Context]] = field(default_factory=list)


_NAME, _STORE, _CONSTANT = ast.Name, ast.Store, ast.Constant
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)

# Fields that never lead to a node a rule or a binding depends on: expression contexts,
# operators, and plain identifiers/flags. Not walking them (nor constants' values) halves the
# nodes visited compared with ``ast.iter_child_nodes``, which dominates the cost of a check.
_SKIP_FIELDS = frozenset({
    "ctx", "op", "ops", "id", "attr", "arg", "name", "module", "level", "kind", "type_comment",
    "is_async", "simple", "conversion", "kwd_attrs", "rest", "tag",
})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: ()}
if hasattr(ast, "TypeAlias"):  # 3.12+: ``type X = ...`` binds X, and its name is a Name node
    _CHILD_FIELDS[ast.TypeAlias] = ("name", "type_params", "value")


def _is_placeholder(body: list[ast.stmt]) -> bool:
    """A body that is only ``raise NotImplementedError[(...)]``, after an optional docstring.

    Matched by spelling, like ``@abstractmethod``; the rule still checks that the raised name
    is the builtin."""
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        body = body[1:] if isinstance(first.value.value, str) else body
    only = body[0] if len(body) == 1 else None
    if not isinstance(only, ast.Raise) or only.exc is None:
        return False
    exc = only.exc
    target = exc.func if isinstance(exc, ast.Call) else exc
    return type(target) is ast.Name and target.id == semantics.ABSTRACT_EXCEPTION


def _child_fields(cls: type) -> tuple[str, ...]:
    """The fields of ``cls`` the walk descends into (none for anything that is not a node)."""
    return tuple(name for name in getattr(cls, "_fields", ()) if name not in _SKIP_FIELDS)


class Collector:
    """Walks one module; see the module docstring."""

    def __init__(
        self,
        module: str,
        package: str,
        guard_functions: tuple[str, ...],
        triggers: Triggers | None = None,
    ) -> None:
        self.package = package
        self._triggers = triggers
        # Set when an import alias defeats the triggers: the walk's skipping was unsound.
        self.missed = False
        self.guards = frozenset(guard_functions)
        self.out = Collected()
        self.module_scope = Scope("module", None)
        self.scopes = [self.module_scope]
        self._root = Context(self.module_scope, module)
        self._stack: list[tuple[ast.AST, Context]] = []
        # Calls whose value a ``return`` hands back: an error object returned is not raised.
        self._returned: set[ast.Call] = set()
        self._dispatch: dict[type[ast.AST], Callable[[Any, Context], bool]] = {
            ast.FunctionDef: self._function,
            ast.AsyncFunctionDef: self._function,
            ast.Lambda: self._lambda,
            ast.ClassDef: self._class,
            ast.ListComp: self._comprehension,
            ast.SetComp: self._comprehension,
            ast.GeneratorExp: self._comprehension,
            ast.DictComp: self._comprehension,
            ast.Name: self._name,
            ast.NamedExpr: self._walrus,
            ast.Import: self._import,
            ast.ImportFrom: self._import_from,
            ast.Global: self._global,
            ast.Nonlocal: self._nonlocal,
            ast.ExceptHandler: self._handler,
            ast.If: self._if,
            ast.While: self._if,
            ast.For: self._for,
            ast.AsyncFor: self._for,
            ast.Raise: self._raise,
            ast.Return: self._return,
            ast.Expr: self._expression_statement,
            ast.Assign: self._assign,
            ast.AugAssign: self._assign_one,
            ast.AnnAssign: self._assign_one,
            ast.Call: self._call,
            ast.Assert: self._assert,
            ast.Attribute: self._attribute,
            ast.MatchAs: self._match_name,
            ast.MatchStar: self._match_name,
            ast.MatchMapping: self._match_mapping,
        }

    def run(self, tree: ast.Module) -> Collected:
        stack = self._stack
        stack.append((tree, self._root))
        dispatch = self._dispatch
        while stack:
            node, ctx = stack.pop()
            handler = dispatch.get(type(node))
            if handler is None or handler(node, ctx):
                self._children(node, ctx)
        return self.out

    def release(self) -> None:
        """Break the reference cycles (Scope <-> Binding, this collector <-> its bound methods
        in the dispatch table), so that reference counting frees the file's analysis at once
        (``check`` runs with the cyclic GC paused)."""
        for scope in self.scopes:
            scope.bindings.clear()
        self.scopes.clear()
        self._dispatch.clear()

    # -- helpers -----------------------------------------------------------------------------

    def _scope(self, kind: ScopeKind, parent: Scope) -> Scope:
        scope = Scope(kind, parent)
        self.scopes.append(scope)
        return scope

    def _quiet(self, node: ast.stmt | ast.expr, ctx: Context, first: int | None = None) -> bool:
        """Whether no rule can care about ``node`` (lines ``first`` or its own to its end).

        Never inside a handler: every call there counts for REC005."""
        triggers = self._triggers
        if triggers is None or ctx.handlers:
            return False
        start = node.lineno if first is None else first
        return not triggers.touch(start, node.end_lineno or node.lineno)

    def _push(self, nodes: list[ast.AST], ctx: Context) -> None:
        # Reversed so that source order is preserved (``global`` before the assignments).
        self._stack.extend(zip(reversed(nodes), repeat(ctx)))

    def _children(self, node: ast.AST, ctx: Context) -> None:
        cls = type(node)
        fields = _CHILD_FIELDS.get(cls)
        if fields is None:
            fields = _CHILD_FIELDS[cls] = _child_fields(cls)
        children: list[Any] = []
        for name in fields:
            value = getattr(node, name, None)
            if type(value) is list:
                # May hold None (dict unpacking keys); it has no fields, so it ends there.
                children += value
            elif value is not None:
                children.append(value)
        # Names and constants are most of the leaves: handled here rather than pushed, popped
        # and dispatched one by one (the walk's largest cost after parsing).
        pushed = []
        for child in children:
            kind = type(child)
            if kind is _NAME:
                if type(child.ctx) is _STORE:
                    self._bind(ctx.scope, child.id)
                elif child.id == "__stdout__" and not ctx.type_checking:
                    self.out.stdout_refs.append((child, ctx))
            elif kind is not _CONSTANT:
                pushed.append(child)
        self._stack.extend(zip(reversed(pushed), repeat(ctx)))

    def _push_exprs(self, nodes: list[ast.expr | None], ctx: Context) -> None:
        self._push([n for n in nodes if n is not None], ctx)

    @staticmethod
    def _bind(scope: Scope, name: str, kind: str = "other", node: ast.AST | None = None) -> None:
        scope.bind(name, Binding(kind, scope, node=node))  # type: ignore[arg-type]

    def _arguments(self, args: ast.arguments, ctx: Context, scope: Scope) -> None:
        """Defaults and annotations run in the enclosing scope; parameters bind in ``scope``."""
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        every += [a for a in (args.vararg, args.kwarg) if a is not None]
        for arg in every:
            self._bind(scope, arg.arg)
        self._push_exprs([*args.defaults, *args.kw_defaults], ctx)
        self._push_exprs([a.annotation for a in every], ctx)

    # -- scopes --------------------------------------------------------------------------

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: Context) -> bool:
        self._bind(ctx.scope, node.name)
        decorators = node.decorator_list
        if self._quiet(node, ctx, decorators[0].lineno if decorators else None):
            return False
        scope = self._scope("function", ctx.scope)
        qualname = f"{ctx.qualname}.{node.name}"
        abstract = any(semantics.is_abstract_decorator(dotted(d)) for d in node.decorator_list)
        abstract = abstract or (ctx.scope.kind == "class" and _is_placeholder(node.body))
        guarded = ctx.guarded or qualname in self.guards
        function = FunctionInfo(node.name, abstract)
        # Contexts are built directly: dataclasses.replace costs several times more.
        inner = Context(scope, qualname, function, (), guarded, ctx.type_checking)
        self._push(list(node.body), inner)
        self._arguments(node.args, ctx, scope)
        self._push_exprs([*node.decorator_list, node.returns], ctx)
        return False

    def _lambda(self, node: ast.Lambda, ctx: Context) -> bool:
        scope = self._scope("function", ctx.scope)
        function = FunctionInfo(None, False)
        qualname = f"{ctx.qualname}.<lambda>"
        inner = Context(scope, qualname, function, (), ctx.guarded, ctx.type_checking)
        self._push([node.body], inner)
        self._arguments(node.args, ctx, scope)
        return False

    def _class(self, node: ast.ClassDef, ctx: Context) -> bool:
        self._bind(ctx.scope, node.name, "class", node)
        decorators = node.decorator_list
        if self._quiet(node, ctx, decorators[0].lineno if decorators else None):
            return False
        scope = self._scope("class", ctx.scope)
        qualname = f"{ctx.qualname}.{node.name}"
        inner = Context(
            scope, qualname, ctx.function, ctx.handlers, ctx.guarded, ctx.type_checking
        )
        self._push(list(node.body), inner)
        self._push_exprs([*node.decorator_list, *node.bases], ctx)
        self._push([k.value for k in node.keywords], ctx)
        return False

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp, ctx: Context
    ) -> bool:
        scope = self._scope("comprehension", ctx.scope)
        inner = Context(
            scope, ctx.qualname, ctx.function, ctx.handlers, ctx.guarded, ctx.type_checking
        )
        parts: list[ast.AST] = []
        for index, generator in enumerate(node.generators):
            parts.append(generator.target)
            if index:
                parts.append(generator.iter)
            parts.extend(generator.ifs)
        if isinstance(node, ast.DictComp):
            parts += [node.key, node.value]
        else:
            parts.append(node.elt)
        self._push(parts, inner)
        # The first iterable is evaluated in the enclosing scope.
        self._push([node.generators[0].iter], ctx)
        return False

    # -- bindings ---------------------------------------------------------------------------

    def _name(self, node: ast.Name, ctx: Context) -> bool:
        if isinstance(node.ctx, ast.Store):
            self._bind(ctx.scope, node.id)
        elif node.id == "__stdout__" and not ctx.type_checking:
            self.out.stdout_refs.append((node, ctx))
        return False

    def _walrus(self, node: ast.NamedExpr, ctx: Context) -> bool:
        scope = ctx.scope
        while scope.kind == "comprehension" and scope.parent is not None:
            scope = scope.parent
        self._bind(scope, node.target.id)
        self._push([node.value], ctx)
        return False

    def _assign(self, node: ast.Assign, ctx: Context) -> bool:
        if not self._quiet(node, ctx):
            return True
        self._push(list(node.targets), ctx)
        return False

    def _assign_one(self, node: ast.AugAssign | ast.AnnAssign, ctx: Context) -> bool:
        if not self._quiet(node, ctx):
            return True
        self._push([node.target], ctx)
        return False

    def _expression_statement(self, node: ast.Expr, ctx: Context) -> bool:
        return not self._quiet(node, ctx)

    def _import(self, node: ast.Import, ctx: Context) -> bool:
        for alias in node.names:
            if alias.asname:
                name, qualified = alias.asname, alias.name
            else:
                name = qualified = alias.name.partition(".")[0]
            self.missed = self.missed or hides_trigger(alias.name, alias.asname)
            ctx.scope.bind(name, Binding("import", ctx.scope, qualified=qualified))
        return False

    def _import_from(self, node: ast.ImportFrom, ctx: Context) -> bool:
        module = resolve_import(node.module, node.level, self.package)
        for alias in node.names:
            if alias.name == "*":
                continue
            qualified = f"{module}.{alias.name}" if module else alias.name
            self.missed = self.missed or hides_trigger(alias.name, alias.asname)
            binding = Binding("import", ctx.scope, qualified=qualified)
            ctx.scope.bind(alias.asname or alias.name, binding)
        return False

    def _global(self, node: ast.Global, ctx: Context) -> bool:
        ctx.scope.global_names.update(node.names)
        return False

    def _nonlocal(self, node: ast.Nonlocal, ctx: Context) -> bool:
        ctx.scope.nonlocal_names.update(node.names)
        return False

    def _match_name(self, node: ast.MatchAs | ast.MatchStar, ctx: Context) -> bool:
        if node.name:
            self._bind(ctx.scope, node.name)
        return True

    def _match_mapping(self, node: ast.MatchMapping, ctx: Context) -> bool:
        if node.rest:
            self._bind(ctx.scope, node.rest)
        return True

    # -- interesting nodes ----------------------------------------------------------------

    def _handler(self, node: ast.ExceptHandler, ctx: Context) -> bool:
        info = HandlerInfo(node, ctx.scope)
        if node.name:
            self._bind(ctx.scope, node.name, "except", node)
        if not ctx.type_checking:
            self.out.handlers.append((info, ctx))
        self._push(list(node.body), replace(ctx, handlers=(*ctx.handlers, info)))
        self._push_exprs([node.type], ctx)
        return False

    def _if(self, node: ast.If | ast.While, ctx: Context) -> bool:
        if type(node) is ast.While or not semantics.is_type_checking(dotted(node.test)):
            if not self._quiet(node.test, ctx):
                return True
            # Only the bodies can bind or matter.
            self._push(list(node.orelse), ctx)
            self._push(list(node.body), ctx)
            return False
        self._push(list(node.orelse), ctx)
        self._push(list(node.body), replace(ctx, type_checking=True))
        self._push([node.test], ctx)
        return False

    def _for(self, node: ast.For | ast.AsyncFor, ctx: Context) -> bool:
        if not self._quiet(node.iter, ctx):
            return True
        self._push([node.target, *node.body, *node.orelse], ctx)
        return False

    def _raise(self, node: ast.Raise, ctx: Context) -> bool:
        for handler in ctx.handlers:
            handler.has_raise = True
        if not ctx.type_checking:
            self.out.raises.append((node, ctx))
        return True

    def _return(self, node: ast.Return, ctx: Context) -> bool:
        if self._quiet(node, ctx):
            return False
        if type(node.value) is ast.Call:
            self._returned.add(node.value)
        return True

    def _call(self, node: ast.Call, ctx: Context) -> bool:
        if node not in self._returned:
            for handler in ctx.handlers:
                handler.calls.append((node, ctx.scope))
        if not ctx.type_checking:
            self.out.calls.append((node, ctx))
        return True

    def _assert(self, node: ast.Assert, ctx: Context) -> bool:
        if not ctx.type_checking:
            self.out.asserts.append((node, ctx))
        return True

    def _attribute(self, node: ast.Attribute, ctx: Context) -> bool:
        if node.attr == "__stdout__" and not ctx.type_checking:
            self.out.stdout_refs.append((node, ctx))
        return True
