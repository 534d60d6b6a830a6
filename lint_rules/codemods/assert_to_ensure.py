"""REC002 autofix: ``assert cond, msg`` becomes ``ensure_internal(cond, ErrorCode.X, msg)``.

``ensure_internal`` (from the first configured façade module) is never stripped by ``python -O``
and raises a classified internal error.  The code is the façade's invariant code
(:data:`INVARIANT_CODE`); the analysis decided whether the message is wrapped in ``str()`` or,
when missing, becomes ``"assertion failed: <condition>"``.
"""

from __future__ import annotations

import libcst as cst

from lint_rules.codemods.strings import message_argument
from lint_rules.findings import Fix
from lint_rules.fixfacts import ENSURE, ERROR_CODE

INVARIANT_CODE = "INVARIANT_VIOLATED"


def ensure_statement(node: cst.Assert, fix: Fix) -> cst.Expr:
    """The ``ensure_internal(...)`` expression statement replacing ``node``."""
    message = message_argument(node.msg, fix)
    code = cst.Attribute(value=cst.Name(ERROR_CODE), attr=cst.Name(INVARIANT_CODE))
    call = cst.Call(
        func=cst.Name(ENSURE),
        args=[cst.Arg(value=node.test), cst.Arg(value=code), cst.Arg(value=message)],
    )
    return cst.Expr(value=call, semicolon=node.semicolon)
