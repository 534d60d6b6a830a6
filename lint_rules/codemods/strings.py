"""Small helpers shared by the codemods: string literals and message arguments."""

from __future__ import annotations

import libcst as cst

from lint_rules.findings import Fix


def literal(text: str) -> cst.SimpleString:
    """A Python string literal for ``text`` (double quotes when possible, like black/ruff)."""
    quoted = repr(text)
    if quoted.startswith("'") and '"' not in text:
        quoted = '"' + quoted[1:-1].replace("\\'", "'") + '"'
    return cst.SimpleString(quoted)


def message_argument(given: cst.BaseExpression | None, fix: Fix) -> cst.BaseExpression:
    """The message argument ``fix`` asks for: its literal, or ``given`` (in ``str()`` if the
    analysis found it is not certainly a str)."""
    if fix.message is not None or given is None:
        return literal(fix.message or "")
    if fix.wrap:
        return cst.Call(func=cst.Name("str"), args=[cst.Arg(value=given)])
    return given
