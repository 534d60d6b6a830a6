"""REC001 autofix: ``print(...)`` becomes a call on the module's logger.

Choices (documented in the catalog's autofix text and docs/lint-rules.md):

* The logger is the module-level ``NAME = <...>.getLogger(...)``/``get_logger(...)`` if the module
  has one; otherwise ``logger = logging.getLogger(__name__)`` is added after the leading imports
  (``logger``, or ``log``/``_logger`` when that name is already bound at module level).
* ``print(a, b)`` becomes ``logger.info("%s %s", a, b)`` (lazy %-formatting, the ``sep`` literal
  kept), ``print("text")`` becomes ``logger.info("text")``; ``print(..., file=sys.stderr)`` becomes
  ``logger.warning(...)``.  ``end``/``flush`` are dropped: log records are lines.
* Not fixed (the finding stays, for a human): ``*args``/``**kwargs``, a non-literal ``sep``, and
  ``file=`` anything but ``sys.stderr`` (writing to a file is not logging).
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from lint_rules.codemods.strings import is_string, literal

LOGGER_CALLEES = ("getLogger", "get_logger")
_DEFAULT_NAMES = ("logger", "log", "_logger")


def logger_call(
    call: cst.Call, logger: str, file_qualified_names: frozenset[str] | None
) -> cst.Call | None:
    """The logging call replacing ``call`` (already known to be the builtin print), or None.

    ``file_qualified_names`` are the qualified names of the ``file=`` argument (None if absent).
    """
    positional: list[cst.Arg] = []
    sep = " "
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is None:
            positional.append(arg)
            continue
        keyword = arg.keyword.value
        if keyword == "sep":
            if not isinstance(arg.value, cst.SimpleString) or not is_string(arg.value):
                return None
            value = arg.value.evaluated_value
            if not isinstance(value, str):
                return None
            sep = value
        elif keyword == "file":
            if file_qualified_names is None or "sys.stderr" not in file_qualified_names:
                return None
        elif keyword not in ("end", "flush"):
            return None
    level = "warning" if file_qualified_names is not None else "info"
    func = cst.Attribute(value=cst.Name(logger), attr=cst.Name(level))
    if not positional:
        return cst.Call(func=func, args=[cst.Arg(value=literal(""))])
    if len(positional) == 1 and is_string(positional[0].value):
        return cst.Call(
            func=func, args=[positional[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
        )
    fmt = sep.replace("%", "%%").join(["%s"] * len(positional))
    args = [cst.Arg(value=literal(fmt)), *positional]
    args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return cst.Call(func=func, args=args, whitespace_before_args=call.whitespace_before_args)


def _module_level_names(module: cst.Module) -> dict[str, cst.BaseExpression | None]:
    """Names bound by simple module-level statements -> assigned value (None: not an assign)."""
    bound: dict[str, cst.BaseExpression | None] = {}
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef | cst.ClassDef):
            bound[statement.name.value] = None
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    if isinstance(target.target, cst.Name):
                        bound[target.target.value] = small.value
            elif isinstance(small, cst.Import | cst.ImportFrom) and not isinstance(
                small.names, cst.ImportStar
            ):
                for alias in small.names:
                    name = alias.evaluated_alias or cst.Module([]).code_for_node(alias.name)
                    bound[name.partition(".")[0]] = None
    return bound


def existing_logger(module: cst.Module) -> str | None:
    """The name of a module-level ``X = ...getLogger(...)`` assignment, if there is one."""
    for name, value in _module_level_names(module).items():
        if value is not None and m.matches(
            value,
            m.Call(
                func=m.OneOf(
                    *(m.Name(c) for c in LOGGER_CALLEES),
                    *(m.Attribute(attr=m.Name(c)) for c in LOGGER_CALLEES),
                )
            ),
        ):
            return name
    return None


def choose_logger_name(module: cst.Module) -> tuple[str, bool]:
    """(name to call, whether the ``name = logging.getLogger(__name__)`` line must be added)."""
    found = existing_logger(module)
    if found is not None:
        return found, False
    bound = _module_level_names(module)
    for name in _DEFAULT_NAMES:
        if name not in bound:
            return name, True
    return "_rec_logger", True


def _is_import_line(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(s, cst.Import | cst.ImportFrom) for s in statement.body
    )


def add_logger_assignment(module: cst.Module, name: str) -> cst.Module:
    """Insert ``name = logging.getLogger(__name__)`` after the leading docstring/import block."""
    body = list(module.body)
    insert_at = 0
    for index, statement in enumerate(body):
        is_docstring = (
            index == 0
            and isinstance(statement, cst.SimpleStatementLine)
            and m.matches(statement, m.SimpleStatementLine(body=[m.Expr(m.SimpleString())]))
        )
        if is_docstring or _is_import_line(statement):
            insert_at = index + 1
            continue
        break
    line = cst.parse_statement(f"{name} = logging.getLogger(__name__)\n")
    if insert_at > 0:
        line = line.with_changes(leading_lines=[cst.EmptyLine()])
    if insert_at < len(body):
        # The code after the import block keeps its blank lines (two before a def, PEP 8).
        following = body[insert_at]
        is_statement = isinstance(following, cst.SimpleStatementLine | cst.BaseCompoundStatement)
        if is_statement and not following.leading_lines:
            body[insert_at] = following.with_changes(leading_lines=[cst.EmptyLine()])
    body.insert(insert_at, line)
    return module.with_changes(body=body)
