"""The fixer's facts, decided on the ``ast`` analysis: what each fixable finding becomes.

The analysis (:mod:`lint_rules.checker`) decides every rule; this module decides, for the
findings a codemod can rewrite, everything the rewrite depends on: the resolved builtin raised and
its façade constructor, whether ``print``'s ``file=`` is ``sys.stderr``, the logger name in scope
(and whether a local shadows it), the message argument's form, and the imports to add.  The result
is a :class:`lint_rules.findings.Fix` per finding; :mod:`lint_rules.fixers` only applies them with
libcst.  Computed only when fixing, for the few reported nodes, so ``check`` pays nothing for it.

What is fixed, and what is left for a human (documented in the catalog's autofix texts):

* REC001 ``print(a, b)`` -> ``logger.info("%s %s", a, b)``; ``file=sys.stderr`` -> ``warning``.
  Not fixed: ``*args``/``**kwargs``, a ``sep`` that is not a string literal, any other ``file=``
  or keyword, or a local named like the logger that would capture the call.
* REC002 ``assert c, m`` -> ``ensure_internal(c, ErrorCode.INVARIANT_VIOLATED, m)``.
* REC003 ``raise ValueError(m)`` -> ``raise usage(ErrorCode.UNKNOWN, m)``; the constructor comes
  from the builtin's family (:func:`constructor_for`).  Not fixed: ``BaseException``-only classes,
  several arguments or keywords, foreign or local classes (their kind cannot be known).

REC002/REC003 need a façade to import from (``config.facade_modules[0]``) and are not fixed inside
the façade itself.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterable

from lint_rules import semantics
from lint_rules.collect import Context
from lint_rules.findings import Finding, Fix
from lint_rules.rules import Hit
from lint_rules.scopes import qualified_names

ENSURE = "ensure_internal"
ERROR_CODE = "ErrorCode"
LOGGER_CALLEES = ("getLogger", "get_logger")
_DEFAULT_LOGGERS = ("logger", "log", "_logger")
_FALLBACK_LOGGER = "_rec_logger"


def char_position(lines: list[str], line: int, byte_col: int) -> tuple[int, int]:
    """``(line, column)`` with the column in characters: ``ast`` counts UTF-8 bytes, libcst
    (and so the fixer and Fixit) count characters."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    prefix = text.encode("utf-8")[:byte_col]
    return line, len(prefix.decode("utf-8", errors="replace"))


def constructor_for(builtin: str) -> str | None:
    """The façade constructor for raising builtin exception class ``builtin``, or None.

    ``OSError`` and subclasses -> ``enverr`` (the environment failed us); ``ValueError``/
    ``TypeError`` and subclasses -> ``usage`` (a caller passed something wrong); any other
    ``Exception`` -> ``bug``; ``BaseException``-only classes (``SystemExit``...) -> None."""
    cls = getattr(builtins, builtin, None)
    if not isinstance(cls, type) or not issubclass(cls, Exception):
        return None
    if issubclass(cls, OSError):
        return "enverr"
    if issubclass(cls, ValueError | TypeError):
        return "usage"
    return "bug"


def is_string(node: ast.expr) -> bool:
    """Certainly a str: a literal, an f-string, ``"..." % x`` or ``"...".format(...)``."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return is_string(node.left)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format" and is_string(node.func.value)
    return isinstance(node, ast.JoinedStr)


def module_level_names(tree: ast.Module) -> dict[str, ast.expr | None]:
    """Names bound by the module's own simple statements -> the value assigned (None: not an
    assignment), in first-binding order."""
    bound: dict[str, ast.expr | None] = {}
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound[statement.name] = None
        elif isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    bound[target.id] = statement.value
        elif isinstance(statement, ast.Import | ast.ImportFrom):
            for alias in statement.names:
                if alias.name != "*":
                    bound[(alias.asname or alias.name).partition(".")[0]] = None
    return bound


def _is_logger_factory(value: ast.expr | None) -> bool:
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    if isinstance(func, ast.Name):
        return func.id in LOGGER_CALLEES
    return isinstance(func, ast.Attribute) and func.attr in LOGGER_CALLEES


def choose_logger(tree: ast.Module) -> tuple[str, str | None]:
    """(The logger name to call, the line creating it when it must be added).

    An existing module-level ``NAME = ...getLogger(...)``/``get_logger(...)`` is reused; else
    the first of ``logger``/``log``/``_logger`` the module does not bind."""
    bound = module_level_names(tree)
    for name, value in bound.items():
        if _is_logger_factory(value):
            return name, None
    name = next((n for n in _DEFAULT_LOGGERS if n not in bound), _FALLBACK_LOGGER)
    return name, f"{name} = logging.getLogger(__name__)"


class FactFinder:
    """Turns one file's fixable hits into :class:`Fix` facts (see the module docstring)."""

    def __init__(self, source: str, tree: ast.Module, facade: str | None) -> None:
        self.lines = source.splitlines()
        self.source = source
        self.tree = tree
        self.facade = facade
        self._logger: tuple[str, str | None] | None = None

    def _fix(self, node: ast.expr | ast.stmt, kind: str, **facts: object) -> Fix:
        start = char_position(self.lines, node.lineno, node.col_offset)
        end = char_position(self.lines, node.end_lineno or node.lineno, node.end_col_offset or 0)
        return Fix(kind, start, end, **facts)  # type: ignore[arg-type]

    def for_hit(self, hit: Hit) -> Fix | None:
        node = hit.node
        if hit.code == "REC001" and isinstance(node, ast.Call):
            return self._print(node, hit.ctx)
        if self.facade is None:
            return None
        if hit.code == "REC002" and isinstance(node, ast.Assert):
            return self._assert(node)
        if hit.code == "REC003" and isinstance(node, ast.Raise) and node.exc is not None:
            return self._raise(node, node.exc, hit.ctx)
        return None

    def _print(self, node: ast.Call, ctx: Context) -> Fix | None:
        if any(isinstance(arg, ast.Starred) for arg in node.args):
            return None
        sep, level = " ", "info"
        for keyword in node.keywords:
            value = keyword.value
            if keyword.arg == "sep":
                if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                    return None
                sep = value.value
            elif keyword.arg == "file":
                if "sys.stderr" not in qualified_names(value, ctx.scope):
                    return None  # writing to a file is not logging
                level = "warning"
            elif keyword.arg not in ("end", "flush"):  # None: ``**kwargs``
                return None
        if self._logger is None:
            self._logger = choose_logger(self.tree)
        logger, line = self._logger
        found = ctx.scope.lookup(logger)
        if found is not None and found is not ctx.scope.module().bindings.get(logger):
            return None  # a local or parameter named like the logger would capture the call
        count = len(node.args)
        if count == 1 and is_string(node.args[0]):
            fmt, message = None, None
        elif count == 0:
            fmt, message = None, ""
        else:
            fmt, message = sep.replace("%", "%%").join(["%s"] * count), None
        imports: tuple[tuple[str, str | None], ...] = (("logging", None),) if line else ()
        return self._fix(
            node, "Call", call=level, fmt=fmt, message=message, imports=imports,
            logger=logger, logger_line=line,
        )

    def _assert(self, node: ast.Assert) -> Fix:
        if node.msg is None:
            condition = ast.get_source_segment(self.source, node.test) or ast.unparse(node.test)
            message: str | None = "assertion failed: " + " ".join(condition.split())
            wrap = False
        else:
            message, wrap = None, not is_string(node.msg)
        imports = ((self.facade, ERROR_CODE), (self.facade, ENSURE))
        return self._fix(node, "Assert", message=message, wrap=wrap, imports=imports)

    def _raise(self, node: ast.Raise, exc: ast.expr, ctx: Context) -> Fix | None:
        target = exc.func if isinstance(exc, ast.Call) else exc
        raised = {
            name
            for qualified in qualified_names(target, ctx.scope)
            if (name := semantics.builtin_name(qualified)) in semantics.BUILTIN_EXCEPTIONS
        }
        if len(raised) != 1:
            return None
        builtin = raised.pop()
        constructor = constructor_for(builtin)
        if constructor is None:
            return None
        message: str | None = builtin
        wrap = False
        if isinstance(exc, ast.Call):
            if len(exc.args) > 1 or exc.keywords or any(
                isinstance(a, ast.Starred) for a in exc.args
            ):
                return None
            if exc.args:
                message, wrap = None, not is_string(exc.args[0])
        imports = ((self.facade or "", ERROR_CODE), (self.facade or "", constructor))
        return self._fix(
            node, "Raise", call=constructor, message=message, wrap=wrap, imports=imports
        )


def with_fixes(
    findings: Iterable[Finding], hits: Iterable[Hit], finder: FactFinder
) -> list[Finding]:
    """``findings`` (already filtered by noqa and selection), each carrying its :class:`Fix`
    when one applies."""
    by_place: dict[tuple[int, int, str], Hit] = {}
    for hit in hits:
        node = hit.node
        place = (getattr(node, "lineno", 1), getattr(node, "col_offset", 0), hit.code)
        by_place.setdefault(place, hit)
    result = []
    for finding in findings:
        found = by_place.get((finding.line, finding.col, finding.code))
        fix = finder.for_hit(found) if found is not None else None
        result.append(finding if fix is None else _replace_fix(finding, fix))
    return result


def _replace_fix(finding: Finding, fix: Fix) -> Finding:
    return Finding(finding.path, finding.line, finding.col, finding.code, finding.message, fix)
