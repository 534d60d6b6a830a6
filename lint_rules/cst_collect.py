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

import libcst as cst

from lint_rules import semantics
from lint_rules.cst_scopes import Binding, Resolver, dotted_name

Handler = cst.ExceptHandler | cst.ExceptStarHandler
_TargetOwner = cst.AssignTarget | cst.AnnAssign | cst.AugAssign | cst.For | cst.CompFor


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


@dataclass(frozen=True)
class Context:
    """Where a node runs (shared by siblings; a new one only where something changes)."""

    qualname: str
    function: FunctionInfo | None = None
    handlers: tuple[HandlerInfo, ...] = ()  # enclosing handlers of the same function
    guarded: bool = False
    type_checking: bool = False


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


def _children(node: cst.CSTNode) -> list[cst.CSTNode]:
    children: list[cst.CSTNode] = []
    for name in _code_fields(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            children.append(value)
        elif isinstance(value, Sequence) and not isinstance(value, str):
            children.extend(v for v in value if isinstance(v, cst.CSTNode))
    return children


class Collector:
    """Walks one module once; see the module docstring."""

    def __init__(self, resolver: Resolver, module: str, guard_functions: tuple[str, ...]) -> None:
        self.out = Collected()
        self._resolver = resolver
        self._guards = frozenset(guard_functions)
        self._root = Context(module)
        self._stack: list[tuple[cst.CSTNode, Context]] = []

    def run(self, module: cst.Module) -> Collected:
        stack = self._stack
        stack.append((module, self._root))
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
            cst.CompFor: self._target,
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
            cst.Param: self._param,
        }
        while stack:
            node, ctx = stack.pop()
            handler = special.get(type(node))
            if handler is None or handler(node, ctx):  # type: ignore[operator]
                stack.extend((child, ctx) for child in _children(node))
        return self.out

    def _push(self, nodes: Sequence[cst.CSTNode | None], ctx: Context) -> None:
        self._stack.extend((n, ctx) for n in nodes if n is not None)

    # -- scopes ---------------------------------------------------------------------------

    def _function(self, node: cst.FunctionDef, ctx: Context) -> bool:
        self._resolver.note_binding(node.name.value, module_level=False)
        qualname = f"{ctx.qualname}.{node.name.value}"
        abstract = any(
            semantics.is_abstract_decorator(dotted_name(d.decorator)) for d in node.decorators
        )
        inner = Context(
            qualname,
            FunctionInfo(node.name.value, abstract),
            (),
            ctx.guarded or qualname in self._guards,
            ctx.type_checking,
        )
        self._push([node.body], inner)
        # Decorators, defaults and annotations run in the enclosing context.
        self._push([*(d.decorator for d in node.decorators), node.params, node.returns], ctx)
        return False

    def _lambda(self, node: cst.Lambda, ctx: Context) -> bool:
        function = FunctionInfo(None, False)
        inner = Context(f"{ctx.qualname}.<lambda>", function, (), ctx.guarded, ctx.type_checking)
        self._push([node.body], inner)
        self._push([node.params], ctx)
        return False

    def _class(self, node: cst.ClassDef, ctx: Context) -> bool:
        binding = Binding("class", node=node)
        self._resolver.note_binding(node.name.value, binding, self._module_level(ctx))
        inner = dataclasses.replace(ctx, qualname=f"{ctx.qualname}.{node.name.value}")
        self._push([node.body], inner)
        self._push([*(d.decorator for d in node.decorators), *node.bases, *node.keywords], ctx)
        return False

    def _if(self, node: cst.If, ctx: Context) -> bool:
        if not semantics.is_type_checking(dotted_name(node.test)):
            return True
        self._push([node.test, node.orelse], ctx)
        self._push([node.body], dataclasses.replace(ctx, type_checking=True))
        return False

    def _handler(self, node: Handler, ctx: Context) -> bool:
        if node.name is not None and isinstance(node.name.name, cst.Name):
            self._resolver.handler_of_name[node.name.name] = node
            self._resolver.note_binding(node.name.name.value, Binding("except"))
        info = HandlerInfo(node, ctx.guarded)
        if not ctx.type_checking:
            self.out.handlers.append(info)
        self._push([node.body], dataclasses.replace(ctx, handlers=(*ctx.handlers, info)))
        self._push([node.type], ctx)  # the caught types are evaluated outside the handler
        return False

    # -- interesting nodes --------------------------------------------------------------------

    def _raise(self, node: cst.Raise, ctx: Context) -> bool:
        for handler in ctx.handlers:
            handler.has_raise = True
        if not ctx.type_checking:
            self.out.raises.append((node, ctx.function, ctx.handlers))
        return True

    def _call(self, node: cst.Call, ctx: Context) -> bool:
        for handler in ctx.handlers:
            handler.calls.append(node)
        if not ctx.type_checking:
            self.out.calls.append(node)
        return True

    def _assert(self, node: cst.Assert, ctx: Context) -> bool:
        if not ctx.type_checking:
            self.out.asserts.append(node)
        return True

    def _attribute(self, node: cst.Attribute, ctx: Context) -> bool:
        if node.attr.value == "__stdout__" and not ctx.type_checking:
            self.out.stdout_attrs.append(node)
        self._push([node.value], ctx)  # ``attr`` is a Name node but never a reference
        return False

    def _name(self, node: cst.Name, ctx: Context) -> bool:
        if node.value == "__stdout__" and not ctx.type_checking:
            self.out.stdout_names.append(node)
        return False

    def _arg(self, node: cst.Arg, ctx: Context) -> bool:
        self._push([node.value], ctx)  # ``f(__stdout__=1)``: the keyword is not a reference
        return False

    def _param(self, node: cst.Param, ctx: Context) -> bool:
        self._resolver.note_binding(node.name.value)
        self._push([node.annotation, node.default], ctx)  # the parameter name binds
        return False

    # -- bindings (names only: which scope binds them is ScopeProvider's job) -------------------

    def _import(self, node: cst.Import | cst.ImportFrom, ctx: Context) -> bool:
        self._resolver.note_import(node, self._module_level(ctx))
        return False  # imports hold no expressions, and their Names are not references

    def _target(
        self,
        node: cst.AssignTarget
        | cst.AnnAssign
        | cst.AugAssign
        | cst.For
        | cst.CompFor
        | cst.NamedExpr,
        ctx: Context,
    ) -> bool:
        self._bind_names(node.target)
        return True

    def _with_item(self, node: cst.WithItem, ctx: Context) -> bool:
        if node.asname is not None:
            self._bind_names(node.asname.name)
        return True

    def _match_name(self, node: cst.MatchAs | cst.MatchStar, ctx: Context) -> bool:
        if node.name is not None:
            self._resolver.note_extra(node.name)
        return True

    def _match_rest(self, node: cst.MatchMapping, ctx: Context) -> bool:
        if node.rest is not None:
            self._resolver.note_extra(node.rest)
        return True

    def _walrus(self, node: cst.NamedExpr, ctx: Context) -> bool:
        if isinstance(node.target, cst.Name):
            self._resolver.note_extra(node.target)
        return True

    def _module_level(self, ctx: Context) -> bool:
        return ctx.qualname == self._root.qualname

    def _bind_names(self, target: cst.BaseExpression) -> None:
        """Every Name a target binds (``a, (b, *c) = ...``); attributes and subscripts bind none."""
        if isinstance(target, cst.Name):
            self._resolver.note_binding(target.value)
        elif isinstance(target, cst.Tuple | cst.List):
            for element in target.elements:
                self._bind_names(element.value)
        elif isinstance(target, cst.StarredElement):
            self._bind_names(target.value)
