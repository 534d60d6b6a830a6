"""The rules REC001-REC007 evaluated on what :mod:`lint_rules.collect` gathered.

Each check is a small function over collected nodes; the decisions it encodes are written down
once, in :mod:`lint_rules.semantics`, so that the libcst engine can make exactly the same ones.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, NamedTuple

from lint_rules import semantics
from lint_rules.collect import Collected, Context
from lint_rules.scopes import Binding, Scope, dotted, qualified_names, root_and_attrs

Kind = Literal["typed", "untyped", "unknown"]


class Hit(NamedTuple):
    """A rule decided at a node; ``ctx`` is kept so the fixer's facts can be derived later."""

    node: ast.AST
    code: str
    detail: str
    ctx: Context


@dataclass(frozen=True)
class FileRole:
    """What the configuration says about the file being checked."""

    is_facade: bool
    is_output: bool
    is_entry: bool
    is_test: bool


class Classifier:
    """Typed / untyped / unknown for exception expressions (see :mod:`lint_rules.semantics`)."""

    def __init__(self, facade_modules: tuple[str, ...]) -> None:
        self.facade = facade_modules
        self._classes: dict[ast.ClassDef, bool | None] = {}
        self._handlers: dict[ast.ExceptHandler, Kind | None] = {}

    def kind(self, node: ast.expr, scope: Scope) -> Kind:
        if isinstance(node, ast.Call):
            node = node.func
        split = root_and_attrs(node)
        if split is None:
            return "unknown"
        names = qualified_names(node, scope)
        if any(semantics.is_facade_name(q, self.facade) for q in names):
            return "typed"
        root, attrs = split
        bindings = scope.lookup(root.id)
        if bindings is None:
            return "untyped" if names else "unknown"  # a builtin, or an undefined name
        if attrs:
            return "untyped" if any(b.kind == "import" for b in bindings) else "unknown"
        return self._kind_of_bindings(bindings)

    def _kind_of_bindings(self, bindings: list[Binding]) -> Kind:
        classes = [b for b in bindings if b.kind == "class"]
        if any(self.class_typed(b) for b in classes):
            return "typed"
        if classes or any(b.kind == "import" for b in bindings):
            return "untyped"
        # ``except T as name``: the name holds an instance of ``T``.
        kinds = [
            self.caught_kind(b.node, b.scope)
            for b in bindings
            if b.kind == "except" and isinstance(b.node, ast.ExceptHandler)
        ]
        if "untyped" in kinds:
            return "untyped"
        if kinds and all(k == "typed" for k in kinds):
            return "typed"
        return "unknown"

    def class_typed(self, binding: Binding) -> bool:
        node = binding.node
        if not isinstance(node, ast.ClassDef):
            return False
        if node in self._classes:
            return self._classes[node] is True  # None: a cycle, treated as not typed
        self._classes[node] = None
        result = any(self.kind(base, binding.scope) == "typed" for base in node.bases)
        self._classes[node] = result
        return result

    def caught(self, handler: ast.ExceptHandler) -> list[ast.expr]:
        if handler.type is None:
            return []
        if isinstance(handler.type, ast.Tuple):
            return list(handler.type.elts)
        return [handler.type]

    def caught_kind(self, handler: ast.ExceptHandler, scope: Scope) -> Kind:
        """``untyped`` for a bare ``except:`` or if some caught type is untyped."""
        if handler.type is None:
            return "untyped"
        if handler in self._handlers:
            # Memoised; None marks "being computed": ``except e as e`` refers to itself.
            return self._handlers[handler] or "unknown"
        self._handlers[handler] = None
        kinds = [self.kind(t, scope) for t in self.caught(handler)]
        result: Kind = "unknown"
        if "untyped" in kinds:
            result = "untyped"
        elif all(k == "typed" for k in kinds):
            result = "typed"
        self._handlers[handler] = result
        return result


def check_raises(out: Collected, role: FileRole, cls: Classifier) -> Iterator[Hit]:
    """REC003 (untyped raise) and REC004 (bare re-raise of a foreign exception)."""
    if role.is_facade:
        return
    for node, ctx in out.raises:
        if node.exc is None:
            handler = ctx.handlers[-1] if ctx.handlers else None
            if handler is not None and cls.caught_kind(handler.node, handler.scope) == "untyped":
                yield Hit(node, "REC004", "", ctx)
            continue
        if _raised_kind(node.exc, ctx, cls) != "untyped" or _protocol_exempt(node.exc, ctx):
            continue
        target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        yield Hit(node, "REC003", dotted(target) or "expression", ctx)


def _raised_kind(exc: ast.expr, ctx: Context, cls: Classifier) -> Kind:
    """``raise name`` inside ``except T as name`` raises a ``T``: the innermost such handler of
    the same function decides (flow-sensitive, unlike the other bindings of ``name``)."""
    if isinstance(exc, ast.Name):
        for handler in reversed(ctx.handlers):
            if handler.node.name == exc.id:
                return cls.caught_kind(handler.node, handler.scope)
    return cls.kind(exc, ctx.scope)


def _protocol_exempt(exc: ast.expr, ctx: Context) -> bool:
    target = exc.func if isinstance(exc, ast.Call) else exc
    # Every builtin the name may be (the order of a set of names must not matter).
    raised = {
        builtin
        for qualified in qualified_names(target, ctx.scope)
        if (builtin := semantics.builtin_name(qualified)) is not None
    }
    function = ctx.function
    name = function.name if function else None
    abstract = bool(function and function.abstract)
    return any(semantics.protocol_allows(name, builtin, abstract) for builtin in raised)


def check_handlers(out: Collected, cls: Classifier) -> Iterator[Hit]:
    """REC005: catch-all handlers that neither re-raise nor convert."""
    for info, ctx in out.handlers:
        if ctx.guarded:
            continue
        handler = info.node
        if handler.type is not None and not any(
            semantics.CATCH_ALL & qualified_names(t, ctx.scope) for t in cls.caught(handler)
        ):
            continue
        if info.has_raise or any(cls.kind(c.func, s) == "typed" for c, s in info.calls):
            continue
        yield Hit(handler, "REC005", "", ctx)


def check_asserts(out: Collected, role: FileRole) -> Iterator[Hit]:
    """REC002."""
    if role.is_test:
        return
    for node, ctx in out.asserts:
        yield Hit(node, "REC002", "", ctx)


def check_calls(out: Collected, role: FileRole, cls: Classifier) -> Iterator[Hit]:
    """REC001 (print), REC006 (stdout writes), REC007 (exits)."""
    for node, ctx in out.calls:
        names = qualified_names(node.func, ctx.scope)
        if not names:
            continue
        if not role.is_output:
            if semantics.PRINT in names:
                if _prints_to_stdout(node, ctx.scope):
                    yield Hit(node, "REC006", "print(file=sys.stdout)", ctx)
                else:
                    yield Hit(node, "REC001", "", ctx)
            hit = names & semantics.STDOUT_WRITE_CALLS
            if hit:
                yield Hit(node, "REC006", min(hit), ctx)
            if semantics.OS_WRITE in names:
                fd = _stdout_fd(node, ctx.scope)
                if fd is not None:
                    yield Hit(node, "REC006", f"os.write({fd}, ...)", ctx)
        exits = not role.is_entry and names & semantics.EXIT_FUNCTIONS
        if exits and not _facade_exit_code(node, ctx.scope, cls):
            yield Hit(node, "REC007", f"{dotted(node.func) or 'exit'}()", ctx)


def _prints_to_stdout(node: ast.Call, scope: Scope) -> bool:
    for keyword in node.keywords:
        if keyword.arg == "file":
            return bool(semantics.STDOUT_OBJECTS & qualified_names(keyword.value, scope))
    return False


def _stdout_fd(node: ast.Call, scope: Scope) -> str | None:
    """How ``os.write``'s first argument names stdout's descriptor (``1`` or
    ``sys.stdout.fileno()``), for the message; None when it is not stdout."""
    if not node.args:
        return None
    first = node.args[0]
    if isinstance(first, ast.Constant):
        literal_one = type(first.value) is int and first.value == semantics.STDOUT_FD
        return "1" if literal_one else None
    if not isinstance(first, ast.Call) or first.args or first.keywords:
        return None
    callee = first.func
    if not isinstance(callee, ast.Attribute) or callee.attr != "fileno":
        return None
    stream = callee.value
    if isinstance(stream, ast.Attribute) and stream.attr == "buffer":
        stream = stream.value
    if semantics.STDOUT_OBJECTS & qualified_names(stream, scope):
        return f"{dotted(first.func)}()"
    return None


def _facade_exit_code(node: ast.Call, scope: Scope, cls: Classifier) -> bool:
    if node.args:
        arg: ast.expr | None = node.args[0]
    else:
        arg = next((k.value for k in node.keywords if k.arg in ("code", "status")), None)
    if arg is None:
        return False
    if isinstance(arg, ast.Attribute) and arg.attr == semantics.EXIT_CODE_ATTRIBUTE:
        return True
    return cls.kind(arg, scope) == "typed"


def check_stdout_refs(out: Collected, role: FileRole) -> Iterator[Hit]:
    """REC006: any reference to ``sys.__stdout__``."""
    if role.is_output:
        return
    for node, ctx in out.stdout_refs:
        if semantics.RAW_STDOUT in qualified_names(node, ctx.scope):
            yield Hit(node, "REC006", semantics.RAW_STDOUT, ctx)
