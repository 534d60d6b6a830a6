"""Small helpers shared by the codemods: string literals and message arguments."""

from __future__ import annotations

import libcst as cst

_STRING_NODES = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)


def literal(text: str) -> cst.SimpleString:
    """A Python string literal for ``text`` (double quotes when possible, like black/ruff)."""
    quoted = repr(text)
    if quoted.startswith("'") and '"' not in text:
        quoted = '"' + quoted[1:-1].replace("\\'", "'") + '"'
    return cst.SimpleString(quoted)


def is_string(node: cst.BaseExpression) -> bool:
    """Certainly a str: a literal, implicit concatenation, f-string, ``"..." % x`` or
    ``"...".format(...)`` (bytes literals are not)."""
    if isinstance(node, cst.SimpleString):
        return "b" not in node.prefix.lower()
    if isinstance(node, cst.ConcatenatedString):
        return is_string(node.left)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
        return is_string(node.left)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        return node.func.attr.value == "format" and is_string(node.func.value)
    return isinstance(node, cst.FormattedString)


def as_message(node: cst.BaseExpression) -> cst.BaseExpression:
    """``node`` if it is a str literal, else ``str(node)`` (façade messages are ``str``)."""
    if is_string(node):
        return node
    return cst.Call(func=cst.Name("str"), args=[cst.Arg(value=node)])


def source_of(node: cst.CSTNode) -> str:
    """The code of one node, for messages such as ``assertion failed: x > 0``."""
    return " ".join(cst.Module(body=[]).code_for_node(node).split())
