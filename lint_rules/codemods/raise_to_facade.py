"""REC003 autofix: ``raise ValueError("m")`` becomes ``raise usage(ErrorCode.UNKNOWN, "m")``.

The analysis chose the constructor from the builtin's family
(:func:`lint_rules.fixfacts.constructor_for`: ``OSError`` family -> ``enverr``, ``ValueError``/
``TypeError`` family -> ``usage``, any other ``Exception`` -> ``bug``).

The code is the greppable placeholder ``ErrorCode.UNKNOWN`` and the statement gets a
``# TODO(REC003): pick an ERR_* code`` comment.  ``raise X`` without arguments uses the class
name as the message; one argument becomes the message (wrapped in ``str()`` unless a string
literal).  Not fixed: ``BaseException``-only classes (``SystemExit``, ``KeyboardInterrupt``...),
several arguments or keywords, and foreign or local classes (their kind cannot be known).
``from cause`` is kept; :mod:`lint_rules.fixers` adds the TODO comment.
"""

from __future__ import annotations

import libcst as cst

from lint_rules.codemods.strings import message_argument
from lint_rules.findings import Fix

PLACEHOLDER_CODE = "UNKNOWN"
TODO_COMMENT = "# TODO(REC003): pick an ERR_* code"


def facade_raise(node: cst.Raise, fix: Fix) -> cst.Raise:
    """The rewritten raise: ``raise <constructor>(ErrorCode.UNKNOWN, <message>)``."""
    exc = node.exc
    given = exc.args[0].value if isinstance(exc, cst.Call) and exc.args else None
    code = cst.Attribute(value=cst.Name("ErrorCode"), attr=cst.Name(PLACEHOLDER_CODE))
    message = message_argument(given, fix)
    call = cst.Call(func=cst.Name(fix.call), args=[cst.Arg(value=code), cst.Arg(value=message)])
    return node.with_changes(exc=call)
