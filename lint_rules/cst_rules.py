"""The rules REC001-REC007 evaluated on what :mod:`lint_rules.cst_collect` gathered.

The libcst twin of :mod:`lint_rules.ast_rules`: the same checks in the same words, with every
decision taken from :mod:`lint_rules.semantics`, so that both engines report the same
``(path, line, code)`` set.  A hit is ``(node, code, detail)``; the engine turns it into a
finding (position, noqa, message).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import libcst as cst

from lint_rules import semantics
from lint_rules.cst_collect import Collected, FunctionInfo, HandlerInfo
from lint_rules.cst_scopes import Kind, Resolver, dotted_name

Hit = tuple[cst.CSTNode, str, str]  # node, code, detail


@dataclass(frozen=True)
class FileRole:
    """What the configuration says about the file being checked."""

    is_facade: bool
    is_output: bool
    is_entry: bool
    is_test: bool


def check_raises(out: Collected, role: FileRole, res: Resolver) -> Iterator[Hit]:
    """REC003 (untyped raise) and REC004 (bare re-raise of a foreign exception)."""
    if role.is_facade:
        return
    for node, function, handlers in out.raises:
        if node.exc is None:
            if handlers and res.caught_kind(handlers[-1].node) is Kind.UNTYPED:
                yield node, "REC004", ""
            continue
        kind = _raised_kind(node.exc, handlers, res)
        if kind is not Kind.UNTYPED or _protocol_exempt(node.exc, function, res):
            continue
        target = node.exc.func if isinstance(node.exc, cst.Call) else node.exc
        yield node, "REC003", dotted_name(target) or "expression"


def _raised_kind(exc: cst.BaseExpression, handlers: tuple[HandlerInfo, ...], res: Resolver) -> Kind:
    """``raise name`` inside ``except T as name`` raises a ``T``: the innermost such handler of
    the same function decides (flow-sensitive, unlike the other bindings of ``name``)."""
    if isinstance(exc, cst.Name):
        for handler in reversed(handlers):
            bound = handler.node.name.name if handler.node.name is not None else None
            if isinstance(bound, cst.Name) and bound.value == exc.value:
                return res.caught_kind(handler.node)
    return res.classify(exc)


def _protocol_exempt(exc: cst.BaseExpression, function: FunctionInfo | None, res: Resolver) -> bool:
    target = exc.func if isinstance(exc, cst.Call) else exc
    name = function.name if function else None
    abstract = bool(function and function.abstract)
    for qualified in res.qualified_names(target):
        builtin = semantics.builtin_name(qualified)
        if builtin is not None and semantics.protocol_allows(name, builtin, abstract):
            return True
    return False


def check_handlers(out: Collected, res: Resolver) -> Iterator[Hit]:
    """REC005: catch-all handlers that neither re-raise nor convert."""
    for info in out.handlers:
        if info.guarded or not _catches_all(info, res):
            continue
        if info.has_raise or any(res.classify(c.func) is Kind.TYPED for c in info.calls):
            continue
        yield info.node, "REC005", ""


def _catches_all(info: HandlerInfo, res: Resolver) -> bool:
    if info.node.type is None:
        return True
    return any(semantics.CATCH_ALL & res.qualified_names(t) for t in res.caught(info.node))


def check_asserts(out: Collected, role: FileRole) -> Iterator[Hit]:
    """REC002."""
    if role.is_test:
        return
    for node in out.asserts:
        yield node, "REC002", ""


def _positional(node: cst.Call) -> list[cst.Arg]:
    """The arguments ast puts in ``Call.args``: positional ones, ``*args`` included."""
    return [a for a in node.args if a.keyword is None and a.star != "**"]


def check_calls(out: Collected, role: FileRole, res: Resolver) -> Iterator[Hit]:
    """REC001 (print), REC006 (stdout writes), REC007 (exits)."""
    for node in out.calls:
        if not res.may_refer_to(node.func, _CALLS_OF_INTEREST):
            continue  # e.g. ``len(x)``, ``self.f()``, ``os.path.join()``: no scope question asked
        names = res.qualified_names(node.func)
        if not names:
            continue
        if not role.is_output:
            if semantics.PRINT in names:
                if _prints_to_stdout(node, res):
                    yield node, "REC006", "print(file=sys.stdout)"
                else:
                    yield node, "REC001", ""
            hit = names & semantics.STDOUT_WRITE_CALLS
            if hit:
                yield node, "REC006", min(hit)
            if semantics.OS_WRITE in names and _writes_fd1(node):
                yield node, "REC006", "os.write(1, ...)"
        exits = not role.is_entry and names & semantics.EXIT_FUNCTIONS
        if exits and not _facade_exit_code(node, res):
            yield node, "REC007", f"{dotted_name(node.func) or 'exit'}()"


_CALLS_OF_INTEREST = frozenset(
    {
        semantics.PRINT,
        semantics.OS_WRITE,
        *semantics.STDOUT_WRITE_CALLS,
        *semantics.EXIT_FUNCTIONS,
    }
)


def _prints_to_stdout(node: cst.Call, res: Resolver) -> bool:
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == "file":
            return bool(semantics.STDOUT_OBJECTS & res.qualified_names(arg.value))
    return False


def _writes_fd1(node: cst.Call) -> bool:
    args = _positional(node)
    if not args or args[0].star:
        return False
    first = args[0].value
    if not isinstance(first, cst.Integer):
        return False
    value = first.evaluated_value
    return type(value) is int and value == semantics.STDOUT_FD


def _facade_exit_code(node: cst.Call, res: Resolver) -> bool:
    args = _positional(node)
    arg: cst.BaseExpression | None
    if args:
        # ``*codes`` is a Starred in ast: neither an exit_code attribute nor typed.
        arg = None if args[0].star else args[0].value
        if arg is None:
            return False
    else:
        arg = next(
            (
                a.value
                for a in node.args
                if a.keyword is not None and a.keyword.value in ("code", "status")
            ),
            None,
        )
    if arg is None:
        return False
    if isinstance(arg, cst.Attribute) and arg.attr.value == semantics.EXIT_CODE_ATTRIBUTE:
        return True
    return res.classify(arg) is Kind.TYPED


def check_stdout_refs(
    out: Collected,
    role: FileRole,
    res: Resolver,
    is_reference: Callable[[cst.Name], bool],
) -> Iterator[Hit]:
    """REC006: any reference to ``sys.__stdout__`` (``is_reference`` drops binding Names)."""
    if role.is_output:
        return
    nodes: list[cst.CSTNode] = list(out.stdout_attrs)
    nodes += [n for n in out.stdout_names if is_reference(n)]
    for node in nodes:
        if semantics.RAW_STDOUT in res.qualified_names(node):
            yield node, "REC006", semantics.RAW_STDOUT
