"""REC002 autofix: ``assert cond, msg`` becomes ``ensure_internal(cond, ErrorCode.X, msg)``.

``ensure_internal`` (from the first configured façade module) is never stripped by ``python -O``
and raises a classified internal error.  The code is the façade's invariant code
(:data:`INVARIANT_CODE`); a message that is not a string literal is wrapped in ``str()`` and a
missing one becomes ``"assertion failed: <condition>"``.
"""

from __future__ import annotations

import libcst as cst

from lint_rules.codemods.strings import as_message, literal, source_of

ENSURE = "ensure_internal"
ERROR_CODE = "ErrorCode"
INVARIANT_CODE = "INVARIANT_VIOLATED"


def ensure_statement(node: cst.Assert) -> cst.Expr:
    """The ``ensure_internal(...)`` expression statement replacing ``node``."""
    if node.msg is None:
        message: cst.BaseExpression = literal(f"assertion failed: {source_of(node.test)}")
    else:
        message = as_message(node.msg)
    code = cst.Attribute(value=cst.Name(ERROR_CODE), attr=cst.Name(INVARIANT_CODE))
    call = cst.Call(
        func=cst.Name(ENSURE),
        args=[cst.Arg(value=node.test), cst.Arg(value=code), cst.Arg(value=message)],
    )
    return cst.Expr(value=call, semicolon=node.semicolon)
