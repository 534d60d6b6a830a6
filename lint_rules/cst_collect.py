"""One libcst pass over a module: collect the nodes the rules look at, with their context.

This is the libcst twin of :mod:`lint_rules.ast_collect` and tracks the same context, so that the
two engines agree: the enclosing function (``def`` or ``lambda``, whose name keys the protocol
exemptions), the ``except`` clauses enclosing a node *in the same function* (REC004, and what a
handler body contains for REC005), whether the code is inside a configured guard function, and
whether it sits under ``if TYPE_CHECKING:`` (never reported, but still counted as a handler's
``raise``).  Rules are evaluated afterwards (:mod:`lint_rules.cst_rules`), once every ``except
... as`` binding is known.

One pass for every rule, and not libcst's visitor: ``CSTNode.visit`` rebuilds every node it
passes (it is a transformer underneath) and visits every whitespace and punctuation node, which
costs about twenty times this read-only walk.  The walk is iterative (an explicit stack of
``(node, context)``, so deep nesting cannot exhaust the recursion limit), follows only the fields
that can hold code, and gives each child the context it runs in: a ``def``'s decorators and
defaults run outside it, an ``except`` clause's types outside the handler.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat

import libcst as cst

from lint_rules import semantics
from lint_rules.cst_scopes import Resolver, dotted_name
from lint_rules.scopes import Scope

Handler = cst.ExceptHandler | cst.ExceptStarHandler
_TargetOwner = cst.AssignTarget | cst.AnnAssign | cst.AugAssign | cst.For
Comprehension = cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp


@dataclass(frozen=True)
class FunctionInfo:
    """The nearest enclosing ``def``/``lambda`` (``name`` is None for a lambda)."""

    name: str | None
    abstract: bool


@dataclass(eq=False)
class HandlerInfo:
    """An ``except`` clause and what its body (same function) contains, for REC005."""

    node: Handler
    guarded: bool
    has_raise: bool = False
    calls: list[cst.Call] = field(default_factory=list)


@dataclass
class Collected:
    """Interesting nodes outside ``TYPE_CHECKING`` blocks, with the context the rules need."""

    calls: list[cst.Call] = field(default_factory=list)
    # raise node, enclosing function, enclosing handlers of the same function (innermost last)
    raises: list[tuple[cst.Raise, FunctionInfo | None, tuple[HandlerInfo, ...]]] = field(
        default_factory=list
    )
    asserts: list[cst.Assert] = field(default_factory=list)
    handlers: list[HandlerInfo] = field(default_factory=list)
    stdout_attrs: list[cst.Attribute] = field(default_factory=list)
    stdout_names: list[cst.Name] = field(default_factory=list)
    # Collected node -> its unit (see ``Context.top``), to position it cheaply.
    top_of: dict[cst.CSTNode, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    """Where a node runs (shared by siblings; a new one only where something changes)."""

    qualname: str
    scope: Scope  # where names used here are looked up and bound (:mod:`lint_rules.scopes`)
    function: FunctionInfo | None = None
    handlers: tuple[HandlerInfo, ...] = ()  # enclosing handlers of the same function
    guarded: bool = False
    type_checking: bool = False
    # The innermost enclosing statement of a module, class or function body, as indices from
    # ``Module.body`` down through the blocks of ``def``/``class`` statements.
    top: tuple[int, ...] = ()


# Fields that hold only whitespace, comments or punctuation: never followed.
_SKIPPED_FIELDS = frozenset(
    {
        "lpar",
        "rpar",
        "comma",
        "semicolon",
        "leading_lines",
        "lines_after_decorator",
        "header",
        "footer",
        "trailing_whitespace",
        "operator",
        "equal",
        "colon",
        "dot",
        "lbracket",
        "rbracket",
        "lbrace",
        "rbrace",
        "asynchronous",
        "newline",
        "indent",
    }
)
_FIELDS: dict[type, tuple[str, ...]] = {}


def _code_fields(node_type: type) -> tuple[str, ...]:
    found = _FIELDS.get(node_type)
    if found is None:
        found = tuple(
            f.name
            for f in dataclasses.fields(node_type)
            if f.name not in _SKIPPED_FIELDS and not f.name.startswith("whitespace")
        )
        _FIELDS[node_type] = found
    return found


_IS_NODE: dict[type, bool] = {}


def _children(node: cst.CSTNode) -> list[cst.CSTNode]:
    # Exact type checks with a per-type cache: isinstance against libcst's ABCs (CSTNode,
    # Sequence) costs more than the rest of the walk.
    children: list[cst.CSTNode] = []
    is_node = _IS_NODE
    for name in _code_fields(type(node)):
        value = getattr(node, name)
        cls = type(value)
        if cls is tuple or cls is list:
            for item in value:
                item_cls = type(item)
                known = is_node.get(item_cls)
                if known is None:
                    known = is_node[item_cls] = issubclass(item_cls, cst.CSTNode)
                if known:
                    children.append(item)
            continue
        known = is_node.get(cls)
        if known is None:
            known = is_node[cls] = issubclass(cls, cst.CSTNode)
        if known:
            children.append(value)
    return children


class Collector:
    """Walks one module once; see the module docstring."""

    def __init__(self, resolver: Resolver, module: str, guard_functions: tuple[str, ...]) -> None:
        self.out = Collected()
        self._resolver = resolver
        self._table = resolver.table
        self._guards = frozenset(guard_functions)
        self._root = Context(module, resolver.table.module)
        self._stack: list[tuple[cst.CSTNode, Context]] = []

    def run(self, module: cst.Module) -> Collected:
        stack = self._stack
        root = self._root
        body = list(enumerate(module.body))
        stack.extend((stmt, dataclasses.replace(root, top=(i,))) for i, stmt in reversed(body))
        special = {
            cst.FunctionDef: self._function,
            cst.Lambda: self._lambda,
            cst.ClassDef: self._class,
            cst.If: self._if,
            cst.ExceptHandler: self._handler,
            cst.ExceptStarHandler: self._handler,
            cst.Import: self._import,
            cst.ImportFrom: self._import,
            cst.AssignTarget: self._target,
            cst.AnnAssign: self._target,
            cst.AugAssign: self._target,
            cst.For: self._target,
            cst.ListComp: self._comprehension,
            cst.SetComp: self._comprehension,
            cst.GeneratorExp: self._comprehension,
            cst.DictComp: self._comprehension,
            cst.Global: self._global,
            cst.Nonlocal: self._nonlocal,
            cst.NamedExpr: self._walrus,
            cst.WithItem: self._with_item,
            cst.MatchAs: self._match_name,
            cst.MatchStar: self._match_name,
            cst.MatchMapping: self._match_rest,
            cst.Raise: self._raise,
            cst.Call: self._call,
            cst.Assert: self._assert,
            cst.Attribute: self._attribute,
            cst.Name: self._name,
            cst.Arg: self._arg,
        }
        while stack:
            node, ctx = stack.pop()
            handler = special.get(type(node))
            if handler is None or handler(node, ctx):  # type: ignore[operator]
                # Reversed: source order, so that ``global x`` is seen before ``x = ...``
                # (bindings are placed as they are met, exactly like the ast engine).
                stack.extend(zip(reversed(_children(node)), repeat(ctx)))
        return self.out

    def _push(self, nodes: Sequence[cst.CSTNode | None], ctx: Context) -> None:
        """Visit ``nodes`` in this order, before anything pushed earlier."""
        self._stack.extend((n, ctx) for n in reversed(nodes) if n is not None)

    def _push_body(self, body: cst.BaseSuite, inner: Context) -> None:
        """A ``def``/``class`` body: each statement of a block is a unit of its own."""
        if not isinstance(body, cst.IndentedBlock):
            self._push([body], inner)
            return
        statements = list(enumerate(body.body))
        top = inner.top
        self._stack.extend(
            (stmt, dataclasses.replace(inner, top=(*top, i))) for i, stmt in reversed(statements)
        )

    def _params(self, params: cst.Parameters, scope: Scope, ctx: Context) -> None:
        """Parameters bind in the function's ``scope``; defaults and annotations run in ``ctx``."""
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        every += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
        for param in every:
            self._table.bind(scope, param.name.value)
        self._push([part for p in every for part in (p.annotation, p.default)], ctx)

    # -- scopes ---------------------------------------------------------------------------

    def _function(self, node: cst.FunctionDef, ctx: Context) -> bool:
        self._table.bind(ctx.scope, node.name.value)
        scope = Scope("function", ctx.scope)
        qualname = f"{ctx.qualname}.{node.name.value}"
        abstract = any(
            semantics.is_abstract_decorator(dotted_name(d.decorator)) for d in node.decorators
        )
        inner = Context(
            qualname,
            scope,
            FunctionInfo(node.name.value, abstract),
            (),
            ctx.guarded or qualname in self._guards,
            ctx.type_checking,
            ctx.top,
        )
        self._push_body(node.body, inner)
        # Decorators, defaults and annotations run in the enclosing context.
        self._params(node.params, scope, ctx)
        self._push([*(d.decorator for d in node.decorators), node.returns], ctx)
        return False

    def _lambda(self, node: cst.Lambda, ctx: Context) -> bool:
        scope = Scope("function", ctx.scope)
        function = FunctionInfo(None, False)
        qualname = f"{ctx.qualname}.<lambda>"
        inner = Context(qualname, scope, function, (), ctx.guarded, ctx.type_checking, ctx.top)
        self._push([node.body], inner)
        self._params(node.params, scope, ctx)
        return False

    def _class(self, node: cst.ClassDef, ctx: Context) -> bool:
        self._table.bind(ctx.scope, node.name.value, "class", node=node)
        qualname = f"{ctx.qualname}.{node.name.value}"
        inner = dataclasses.replace(ctx, qualname=qualname, scope=Scope("class", ctx.scope))
        self._push_body(node.body, inner)
        self._push([*(d.decorator for d in node.decorators), *node.bases, *node.keywords], ctx)
        return False

    def _if(self, node: cst.If, ctx: Context) -> bool:
        if not semantics.is_type_checking(dotted_name(node.test)):
            return True
        self._push([node.orelse], ctx)
        self._push([node.body], dataclasses.replace(ctx, type_checking=True))
        self._push([node.test], ctx)
        return False

    def _handler(self, node: Handler, ctx: Context) -> bool:
        if node.name is not None and isinstance(node.name.name, cst.Name):
            self._resolver.handler_of_name[node.name.name] = node
            bound = node.name.name
            self._table.bind(ctx.scope, bound.value, "except", node=bound)
        info = HandlerInfo(node, ctx.guarded)
        if not ctx.type_checking:
            self.out.handlers.append(info)
            self.out.top_of[node] = ctx.top
        self._push([node.body], dataclasses.replace(ctx, handlers=(*ctx.handlers, info)))
        self._push([node.type], ctx)  # the caught types are evaluated outside the handler
        return False

    # -- interesting nodes --------------------------------------------------------------------

    def _raise(self, node: cst.Raise, ctx: Context) -> bool:
        for handler in ctx.handlers:
            handler.has_raise = True
        if not ctx.type_checking:
            self.out.raises.append((node, ctx.function, ctx.handlers))
            self.out.top_of[node] = ctx.top
        return True

    def _call(self, node: cst.Call, ctx: Context) -> bool:
        for handler in ctx.handlers:
            handler.calls.append(node)
        if not ctx.type_checking:
            self.out.calls.append(node)
            self.out.top_of[node] = ctx.top
        return True

    def _assert(self, node: cst.Assert, ctx: Context) -> bool:
        if not ctx.type_checking:
            self.out.asserts.append(node)
            self.out.top_of[node] = ctx.top
        return True

    def _attribute(self, node: cst.Attribute, ctx: Context) -> bool:
        if node.attr.value == "__stdout__" and not ctx.type_checking:
            self.out.stdout_attrs.append(node)
            self.out.top_of[node] = ctx.top
        self._push([node.value], ctx)  # ``attr`` is a Name node but never a reference
        return False

    def _name(self, node: cst.Name, ctx: Context) -> bool:
        self._table.scope_of_name[node] = ctx.scope
        if node.value == "__stdout__" and not ctx.type_checking:
            self.out.stdout_names.append(node)
            self.out.top_of[node] = ctx.top
        return False

    def _arg(self, node: cst.Arg, ctx: Context) -> bool:
        self._push([node.value], ctx)  # ``f(__stdout__=1)``: the keyword is not a reference
        return False

    # -- bindings: placed in their scope as they are met, like the ast engine -------------------

    def _import(self, node: cst.Import | cst.ImportFrom, ctx: Context) -> bool:
        self._resolver.note_import(node, ctx.scope)
        return False  # imports hold no expressions, and their Names are not references

    def _target(self, node: _TargetOwner, ctx: Context) -> bool:
        self._table.bind_target(ctx.scope, node.target)
        return True

    def _with_item(self, node: cst.WithItem, ctx: Context) -> bool:
        if node.asname is not None:
            self._table.bind_target(ctx.scope, node.asname.name)
        return True

    def _match_name(self, node: cst.MatchAs | cst.MatchStar, ctx: Context) -> bool:
        if node.name is not None:
            self._table.bind(ctx.scope, node.name.value)
        return True

    def _match_rest(self, node: cst.MatchMapping, ctx: Context) -> bool:
        if node.rest is not None:
            self._table.bind(ctx.scope, node.rest.value)
        return True

    def _walrus(self, node: cst.NamedExpr, ctx: Context) -> bool:
        scope = ctx.scope
        while scope.kind == "comprehension" and scope.parent is not None:
            scope = scope.parent  # PEP 572: ``:=`` binds outside the comprehension
        if isinstance(node.target, cst.Name):
            self._table.bind(scope, node.target.value)
        return True

    def _global(self, node: cst.Global, ctx: Context) -> bool:
        ctx.scope.global_names.update(item.name.value for item in node.names)
        return False

    def _nonlocal(self, node: cst.Nonlocal, ctx: Context) -> bool:
        ctx.scope.nonlocal_names.update(item.name.value for item in node.names)
        return False

    def _comprehension(self, node: Comprehension, ctx: Context) -> bool:
        """Targets, later iterables, conditions and the element run in the comprehension's
        scope; the first iterable runs in the enclosing one."""
        inner = dataclasses.replace(ctx, scope=Scope("comprehension", ctx.scope))
        parts: list[cst.CSTNode | None] = []
        comp: cst.CompFor | None = node.for_in
        while comp is not None:
            self._table.bind_target(inner.scope, comp.target)
            parts += [comp.target, None if comp is node.for_in else comp.iter, *comp.ifs]
            comp = comp.inner_for_in
        if isinstance(node, cst.DictComp):
            parts += [node.key, node.value]
        else:
            parts.append(node.elt)
        self._push(parts, inner)
        self._push([node.for_in.iter], ctx)
        return False
