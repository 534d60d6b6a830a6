"""REC003 autofix: ``raise ValueError("m")`` becomes ``raise usage(ErrorCode.UNKNOWN, "m")``.

The constructor is chosen from the builtin's family (the mapping is documented in the catalog):

* ``OSError`` and its subclasses (``FileNotFoundError``, ``TimeoutError``, ...) -> ``enverr``:
  the environment failed us;
* ``ValueError``/``TypeError`` and their subclasses -> ``usage``: a caller passed something wrong;
* every other ``Exception`` subclass (``RuntimeError``, ``KeyError``, ``NotImplementedError``, ...)
  -> ``bug``: an internal error.

The code is the greppable placeholder ``ErrorCode.UNKNOWN`` and the statement gets a
``# TODO(REC003): pick an ERR_* code`` comment.  ``raise X`` without arguments uses the class
name as the message; one argument becomes the message (wrapped in ``str()`` unless a string
literal).  Not fixed: ``BaseException``-only classes (``SystemExit``, ``KeyboardInterrupt``...),
several arguments or keywords, and foreign or local classes (their kind cannot be known).
``from cause`` is kept.
"""

from __future__ import annotations

import builtins

import libcst as cst

from lint_rules.codemods.strings import as_message, literal

PLACEHOLDER_CODE = "UNKNOWN"
TODO_COMMENT = "# TODO(REC003): pick an ERR_* code"


def constructor_for(builtin: str) -> str | None:
    """The façade constructor for raising builtin exception class ``builtin``, or None."""
    cls = getattr(builtins, builtin, None)
    if not isinstance(cls, type) or not issubclass(cls, Exception):
        return None
    if issubclass(cls, OSError):
        return "enverr"
    if issubclass(cls, ValueError | TypeError):
        return "usage"
    return "bug"


def facade_raise(node: cst.Raise, builtin: str) -> tuple[cst.Raise, str] | None:
    """(The rewritten raise, the constructor it uses) or None when it cannot be fixed."""
    constructor = constructor_for(builtin)
    if constructor is None or node.exc is None:
        return None
    exc = node.exc
    if isinstance(exc, cst.Call):
        if len(exc.args) > 1 or any(a.keyword is not None or a.star for a in exc.args):
            return None
        message = as_message(exc.args[0].value) if exc.args else literal(builtin)
    else:
        message = literal(builtin)
    code = cst.Attribute(value=cst.Name("ErrorCode"), attr=cst.Name(PLACEHOLDER_CODE))
    call = cst.Call(func=cst.Name(constructor), args=[cst.Arg(value=code), cst.Arg(value=message)])
    return node.with_changes(exc=call), constructor
