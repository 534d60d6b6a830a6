"""Scope corners where a resolver is easy to get wrong, with the findings each must give.

The expectations were cross-checked by the retired libcst engine (an independent resolver built on
libcst's scope analysis) before it was removed; each row is ``(source, findings as pkg/module.py,
findings as recorder/session.py)``.
"""

from __future__ import annotations

import sys

import pytest

from lint_rules.catalog import EXAMPLE_CONFIG
from lint_rules.checker import check_source

Rows = list[tuple[int, str]]

CORNERS: list[tuple[str, Rows, Rows]] = [
    (
        "class Guard:\n    global print\n    match x:\n        case print:\n            pass\n    print(1)\n    lambda: print(1)",  # noqa: E501
        [],
        [],
    ),
    (
        "def f():\n    global print\n    print(1)\ndef g():\n    global print\n    match x:\n        case print: pass",  # noqa: E501
        [],
        [],
    ),
    (
        "def f():\n    print(1)\n    def g():\n        nonlocal print\n        [(print := 1) for _ in x]\n    print = 3",  # noqa: E501
        [],
        [],
    ),
    ("[print for print in x]\nprint(1)", [(2, "REC001")], [(2, "REC001")]),
    ("[print(1) for print in x]", [], []),
    ("[1 for x in print(1)]", [(1, "REC001")], [(1, "REC001")]),
    ("class C:\n    print = 1\n    [print(2) for _ in x]", [(3, "REC001")], [(3, "REC001")]),
    ("class C:\n    ValueError = 1\n    raise ValueError", [], []),
    ("def f():\n    print = 1\n    def g():\n        print(1)", [], []),
    (
        "def f():\n    def g():\n        nonlocal print\n        print = 1\n    print = 2\n    print(3)",  # noqa: E501
        [],
        [],
    ),
    ("def f():\n    global print\n    print = 1\nprint(2)", [], []),
    ("print(1)\ndef f():\n    global print\n    print = 2", [], []),
    ("(print := 1)\nprint(2)", [], []),
    ("[(print := 1) for x in y]\nprint(2)", [], []),
    ("for print in x: pass\nprint(1)", [], []),
    ("with a as print: pass\nprint(1)", [], []),
    ("try:\n    pass\nexcept E as print:\n    pass\nprint(1)", [], []),
    ("match x:\n    case print:\n        pass\nprint(1)", [], []),
    ("match x:\n    case [*print]:\n        pass\nprint(1)", [], []),
    ("match x:\n    case {**print}:\n        pass\nprint(1)", [], []),
    ("del print\nprint(1)", [(2, "REC001")], [(2, "REC001")]),
    ("print: int\nprint(1)", [], []),
    ("print: int = 3\nprint(1)", [], []),
    ("import print\nprint(1)", [], []),
    ("import print.x\nprint(1)", [], []),
    ("from x import *\nprint(1)", [(2, "REC001")], [(2, "REC001")]),
    ("lambda print: print(1)", [], []),
    ("lambda: print(1)", [(1, "REC001")], [(1, "REC001")]),
    ("def f(x=print(1)): pass", [(1, "REC001")], [(1, "REC001")]),
    ("def f(print=print(1)): print(2)", [(1, "REC001")], [(1, "REC001")]),
    ("class C(print(1)): pass", [(1, "REC001")], [(1, "REC001")]),
    ("@print\ndef f(): pass", [], []),
    ("def f() -> print(1): pass", [(1, "REC001")], [(1, "REC001")]),
    ("def f(a: print(1)): pass", [(1, "REC001")], [(1, "REC001")]),
    ("x: print(1) = 2", [(1, "REC001")], [(1, "REC001")]),
    ("async def f():\n    async for print in x: pass\n    print(1)", [], []),
    ("async def f():\n    async with a as print: pass\n    print(1)", [], []),
    (
        "def f():\n    try:\n        pass\n    except OSError as e:\n        raise e\n    raise e",
        [(5, "REC003"), (6, "REC003")],
        [(5, "REC003"), (6, "REC003")],
    ),
    (
        "def f():\n    raise e\n    try:\n        pass\n    except OSError as e:\n        pass",
        [(2, "REC003")],
        [(2, "REC003")],
    ),
    (
        "try:\n    pass\nexcept OSError as e:\n    def g():\n        raise e",
        [(5, "REC003")],
        [(5, "REC003")],
    ),
    (
        "class E(Exception): pass\ndef f():\n    class E(RecorderError): pass\n    raise E",
        [(4, "REC003")],
        [(4, "REC003")],
    ),
    (
        "from recorder.errors import RecorderError\nclass E(RecorderError): pass\ndef f():\n    raise E",  # noqa: E501
        [],
        [],
    ),
    ("from recorder.errors import RecorderError as ValueError\nraise ValueError", [], []),
    ("def f():\n    from recorder.errors import usage\n    raise usage()\nraise usage()", [], []),
    ("import sys\ndef f(sys):\n    sys.exit(1)\nsys.exit(1)", [(4, "REC007")], [(4, "REC007")]),
    (
        # Either binding may be the one raised: the builtin's protocol exemption holds.
        "try:\n    from compat import AttributeError\nexcept ImportError:\n"
        "    from builtins import AttributeError\nclass C:\n    def __getattr__(self, n):\n"
        "        raise AttributeError(n)",
        [],
        [],
    ),
    ("def f():\n    import sys\n    sys.exit(1)\nsys.exit(1)", [(3, "REC007")], [(3, "REC007")]),
    ("if TYPE_CHECKING:\n    from rich import print\nprint(1)", [], []),
    ("class A:\n    def print(self): pass\n    print(1)", [], []),
    ("class A:\n    def f(self):\n        class print: pass\n        print(1)", [], []),
    ("print = print\nprint(1)", [], []),
    (
        "try:\n    import json\nexcept ImportError:\n    json = None\nraise json.JSONDecodeError",
        [(5, "REC003")],
        [(5, "REC003")],
    ),
    ("x = [y for y in z if print(y)]", [(1, "REC001")], [(1, "REC001")]),
    ("x = {k: print(v) for k, v in d}", [(1, "REC001")], [(1, "REC001")]),
    ("x = (print(v) for v in d)", [(1, "REC001")], [(1, "REC001")]),
    ("def f():\n    x = [print for print in y]\n    print(1)", [(3, "REC001")], [(3, "REC001")]),
    # 3.12+ syntax: REC000 on 3.11 (see _NEW_SYNTAX).
    ("type X = int", [], []),
    ("def f[T](x): print(1)", [(1, "REC001")], [(1, "REC001")]),
    ("import sys as print\nprint.exit(1)", [(2, "REC007")], [(2, "REC007")]),
    ("from os import write as w\nw(1, b'x')", [(2, "REC006")], [(2, "REC006")]),
    ("import os.path\nos.write(1, b'')", [(2, "REC006")], [(2, "REC006")]),
    ("import os.path as os\nos.write(1, b'')", [], []),
    ("from . import errors\nraise errors.usage()", [(2, "REC003")], []),
    ("from .. import errors\nraise errors.usage()", [(2, "REC003")], [(2, "REC003")]),
    ("from ...a import b\nraise b()", [(2, "REC003")], [(2, "REC003")]),
    ("try:\n    pass\nexcept (OSError, *extra):\n    raise", [(4, "REC004")], [(4, "REC004")]),
    (
        "try:\n    pass\nexcept* (OSError, RecorderError) as eg:\n    raise eg",
        [(4, "REC003")],
        [(4, "REC003")],
    ),
    ("def f():\n    __stdout__ = 1\n    return __stdout__", [], []),
    ("from sys import __stdout__\nx = __stdout__", [(2, "REC006")], [(2, "REC006")]),
    (
        "import sys\nsys.__stdout__ = None\ndel sys.__stdout__",
        [(2, "REC006"), (3, "REC006")],
        [(2, "REC006"), (3, "REC006")],
    ),
    ("def __stdout__(): pass\n__stdout__()", [], []),
    ("f(__stdout__=1)", [], []),
    ("class __stdout__: pass", [], []),
    ("global __stdout__\n__stdout__ = 3", [], []),
    ("import sys\nfor sys.__stdout__ in x: pass", [(2, "REC006")], [(2, "REC006")]),
]


_NEW_SYNTAX = ("type ", "def f[")


@pytest.mark.parametrize(("source", "as_module", "as_recorder"), CORNERS)
def test_scope_corner(source: str, as_module: Rows, as_recorder: Rows) -> None:
    if sys.version_info < (3, 12) and source.startswith(_NEW_SYNTAX):
        as_module = as_recorder = [(1, "REC000")]
    for path, expected in (("pkg/module.py", as_module), ("recorder/session.py", as_recorder)):
        found = sorted({(f.line, f.code) for f in check_source(source, path, EXAMPLE_CONFIG)})
        assert found == expected, path


def test_the_corners_exercise_findings_and_exemptions() -> None:
    assert sum(bool(a) for _, a, _ in CORNERS) >= 20
    assert sum(not a for _, a, _ in CORNERS) >= 20
