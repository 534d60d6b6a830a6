"""REC001 autofix: ``print(...)`` becomes a call on the module's logger.

The analysis (:mod:`lint_rules.fixfacts`) chose the logger, its level, the format argument and
whether the ``logger = logging.getLogger(__name__)`` line must be added; this only builds nodes.
``print(a, b)`` becomes ``logger.info("%s %s", a, b)`` (lazy %-formatting, the ``sep`` literal
kept), ``print("text")`` becomes ``logger.info("text")``.  ``end``/``flush`` are dropped: log
records are lines.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from lint_rules.codemods.strings import literal
from lint_rules.findings import Fix


def logger_call(call: cst.Call, fix: Fix) -> cst.Call:
    """The logging call replacing ``call`` (the builtin print) as ``fix`` says."""
    positional = [arg for arg in call.args if arg.keyword is None]
    func = cst.Attribute(value=cst.Name(fix.logger), attr=cst.Name(fix.call))
    if fix.message is not None:
        return cst.Call(func=func, args=[cst.Arg(value=literal(fix.message))])
    fmt = [] if fix.fmt is None else [cst.Arg(value=literal(fix.fmt))]
    args = [*fmt, *positional]
    args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return cst.Call(func=func, args=args, whitespace_before_args=call.whitespace_before_args)


def _is_import_line(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(s, cst.Import | cst.ImportFrom) for s in statement.body
    )


def add_logger_assignment(module: cst.Module, line_text: str) -> cst.Module:
    """Insert ``line_text`` (``logger = logging.getLogger(__name__)``) after the leading
    docstring/import block."""
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
    line = cst.parse_statement(line_text + "\n")
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
