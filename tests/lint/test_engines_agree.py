"""The ast engine and the libcst engine report the same ``(path, line, code)`` sets.

Over a corpus (catalog examples, golden files, this package's own sources, stdlib packages) and
over programs hypothesis composes from catalog snippets and rule-relevant statements nested in
functions, classes, handlers and ``TYPE_CHECKING`` blocks.  Neither engine may crash.
"""

from __future__ import annotations

import json
import logging
import symtable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lint_helpers import GOLDEN, ROOT

from lint_rules import ast_engine, cst_engine
from lint_rules.catalog import EXAMPLE_CONFIG, RULES, examples
from lint_rules.config import LintConfig

Rows = set[tuple[str, int, str]]


def _both(source: str, path: str, cfg: LintConfig = EXAMPLE_CONFIG) -> tuple[Rows, Rows]:
    by_ast = {(f.path, f.line, f.code) for f in ast_engine.check_source(source, path, cfg)}
    by_cst = {(f.path, f.line, f.code) for f in cst_engine.check_source(source, path, cfg)}
    return by_ast, by_cst


CATALOG = [
    pytest.param(src, path, id=f"{rule.code}-{kind}-{i}")
    for rule in RULES
    for kind, snippets in (("valid", rule.valid), ("invalid", rule.invalid))
    for i, (src, path) in enumerate(examples(snippets))
]


@pytest.mark.parametrize(("source", "path"), CATALOG)
def test_catalog_examples(source: str, path: str) -> None:
    by_ast, by_cst = _both(source, path)
    assert by_ast == by_cst


# Scope corners where a resolver is easy to get wrong (libcst's own scope analysis misses the
# ``:=``-in-comprehension and match-capture bindings; the engine patches them).
SCOPE_CORNERS = [
    "class Guard:\n    global print\n    match x:\n        case print:\n            pass\n"
    "    print(1)\n    lambda: print(1)",
    "def f():\n    global print\n    print(1)\ndef g():\n    global print\n"
    "    match x:\n        case print: pass",
    "def f():\n    print(1)\n    def g():\n        nonlocal print\n"
    "        [(print := 1) for _ in x]\n    print = 3",
    "[print for print in x]\nprint(1)",
    "[print(1) for print in x]",
    "[1 for x in print(1)]",
    "class C:\n    print = 1\n    [print(2) for _ in x]",
    "class C:\n    ValueError = 1\n    raise ValueError",
    "def f():\n    print = 1\n    def g():\n        print(1)",
    "def f():\n    def g():\n        nonlocal print\n        print = 1\n"
    "    print = 2\n    print(3)",
    "def f():\n    global print\n    print = 1\nprint(2)",
    "print(1)\ndef f():\n    global print\n    print = 2",
    "(print := 1)\nprint(2)",
    "[(print := 1) for x in y]\nprint(2)",
    "for print in x: pass\nprint(1)",
    "with a as print: pass\nprint(1)",
    "try:\n    pass\nexcept E as print:\n    pass\nprint(1)",
    "match x:\n    case print:\n        pass\nprint(1)",
    "match x:\n    case [*print]:\n        pass\nprint(1)",
    "match x:\n    case {**print}:\n        pass\nprint(1)",
    "del print\nprint(1)",
    "print: int\nprint(1)",
    "print: int = 3\nprint(1)",
    "import print\nprint(1)",
    "import print.x\nprint(1)",
    "from x import *\nprint(1)",
    "lambda print: print(1)",
    "lambda: print(1)",
    "def f(x=print(1)): pass",
    "def f(print=print(1)): print(2)",
    "class C(print(1)): pass",
    "@print\ndef f(): pass",
    "def f() -> print(1): pass",
    "def f(a: print(1)): pass",
    "x: print(1) = 2",
    "async def f():\n    async for print in x: pass\n    print(1)",
    "async def f():\n    async with a as print: pass\n    print(1)",
    "def f():\n    try:\n        pass\n    except OSError as e:\n        raise e\n    raise e",
    "def f():\n    raise e\n    try:\n        pass\n    except OSError as e:\n        pass",
    "try:\n    pass\nexcept OSError as e:\n    def g():\n        raise e",
    "class E(Exception): pass\ndef f():\n    class E(RecorderError): pass\n    raise E",
    "from recorder.errors import RecorderError\nclass E(RecorderError): pass\n"
    "def f():\n    raise E",
    "from recorder.errors import RecorderError as ValueError\nraise ValueError",
    "def f():\n    from recorder.errors import usage\n    raise usage()\nraise usage()",
    "import sys\ndef f(sys):\n    sys.exit(1)\nsys.exit(1)",
    "def f():\n    import sys\n    sys.exit(1)\nsys.exit(1)",
    "if TYPE_CHECKING:\n    from rich import print\nprint(1)",
    "class A:\n    def print(self): pass\n    print(1)",
    "class A:\n    def f(self):\n        class print: pass\n        print(1)",
    "print = print\nprint(1)",
    "try:\n    import json\nexcept ImportError:\n    json = None\nraise json.JSONDecodeError",
    "x = [y for y in z if print(y)]",
    "x = {k: print(v) for k, v in d}",
    "x = (print(v) for v in d)",
    "def f():\n    x = [print for print in y]\n    print(1)",
    "type X = int",
    "def f[T](x): print(1)",
    "import sys as print\nprint.exit(1)",
    "from os import write as w\nw(1, b'x')",
    "import os.path\nos.write(1, b'')",
    "import os.path as os\nos.write(1, b'')",
    "from . import errors\nraise errors.usage()",
    "from .. import errors\nraise errors.usage()",
    "from ...a import b\nraise b()",
    "try:\n    pass\nexcept (OSError, *extra):\n    raise",
    "try:\n    pass\nexcept* (OSError, RecorderError) as eg:\n    raise eg",
    "def f():\n    __stdout__ = 1\n    return __stdout__",
    "from sys import __stdout__\nx = __stdout__",
    "import sys\nsys.__stdout__ = None\ndel sys.__stdout__",
    "def __stdout__(): pass\n__stdout__()",
    "f(__stdout__=1)",
    "class __stdout__: pass",
    "global __stdout__\n__stdout__ = 3",
    "import sys\nfor sys.__stdout__ in x: pass",
]


@pytest.mark.parametrize("source", SCOPE_CORNERS)
@pytest.mark.parametrize("path", ["pkg/module.py", "recorder/session.py"])
def test_scope_corners(source: str, path: str) -> None:
    by_ast, by_cst = _both(source, path)
    assert by_ast == by_cst


def _files() -> list[tuple[Path, str]]:
    files = [(p, f"pkg/{p.name}") for p in sorted(GOLDEN.glob("*.py"))]
    files += [(p, f"lint_rules/{p.name}") for p in sorted((ROOT / "lint_rules").glob("*.py"))]
    for package in (json, logging):
        directory = Path(package.__file__ or "").parent
        files += [(p, f"{package.__name__}/{p.name}") for p in sorted(directory.glob("*.py"))]
    return files


@pytest.mark.parametrize(("file", "path"), _files(), ids=lambda v: str(v))
def test_real_files(file: Path, path: str) -> None:
    source = file.read_text(encoding="utf-8")
    by_ast, by_cst = _both(source, path)
    assert by_ast == by_cst
    # Part of the stdlib seen as the façade: exceptions imported from there become typed.
    as_facade = replace(EXAMPLE_CONFIG, facade_modules=("json.decoder", "logging.handlers"))
    by_ast, by_cst = _both(source, path, as_facade)
    assert by_ast == by_cst


def test_the_corpus_has_findings() -> None:
    """Guard against a vacuous comparison: the corpus must exercise every rule."""
    codes: set[str] = set()
    for file, path in _files():
        codes |= {c for _, _, c in _both(file.read_text(encoding="utf-8"), path)[1]}
    assert {"REC001", "REC002", "REC003", "REC004", "REC005", "REC006"} <= codes


# -- generated programs ------------------------------------------------------------------------

IMPORTS = [
    "import sys",
    "import os",
    "import abc",
    "import typing",
    "from typing import TYPE_CHECKING",
    "from recorder.errors import usage, bug, translate, ErrorCode, ExitCode, RecorderError",
    "import recorder.errors as e",
    "from recorder import errors",
    "from builtins import print as p",
    "import builtins",
    "from sys import stdout, exit as leave",
    "from json import JSONDecodeError",
    "from .errors import UsageError",
]

STATEMENTS = [
    "pass",
    "print('x')",
    "p('x')",
    "builtins.print('x')",
    "print('x', file=sys.stdout)",
    "print('x', file=sys.stderr)",
    "print = len",
    "assert x, 'm'",
    "raise ValueError('m')",
    "raise ValueError('m') from exc",
    "raise",
    "raise exc",
    "raise usage(ErrorCode.UNKNOWN, 'm')",
    "raise translate(exc) from exc",
    "raise e.UsageError('m')",
    "raise errors.TargetError('m')",
    "raise UsageError('m')",
    "raise MyError('m')",
    "raise Foreign('m')",
    "raise JSONDecodeError('m', 'd', 0)",
    "raise NotImplementedError",
    "raise AttributeError(name)",
    "raise StopIteration",
    "raise KeyError(k)",
    "raise Undefined",
    "raise self.error",
    "sys.exit(1)",
    "sys.exit(ExitCode.USAGE)",
    "sys.exit(err.kind.exit_code)",
    "leave(2)",
    "exit()",
    "quit(e.ExitCode.TARGET)",
    "os._exit(3)",
    "sys.stdout.write('x')",
    "sys.stdout.buffer.write(b'x')",
    "stdout.writelines([])",
    "os.write(1, b'x')",
    "os.write(2, b'x')",
    "stream = sys.__stdout__",
    "global print",
    "exc = None",
    "x = lambda m: print(m)",
    "[print(i) for i in range(3)]",
    "print('x')  # noqa",
    "print('x')  # noqa: REC001",
    "raise ValueError('m')  # noqa: REC001",
    "class MyError(RecorderError):\n    pass",
    "class Foreign(Exception):\n    pass",
    "def print(*args):\n    return args",
    "return translate(exc)",
    "cleanup(exc)",
    "report(translate(exc))",
]

CATALOG_SNIPPETS = [src for rule in RULES for src, _ in examples(rule.valid + rule.invalid)]

HEADERS = [
    "def f(exc):",
    "def f(print):",
    "async def f():",
    "def __getattr__(self, name):",
    "def __next__(self):",
    "@abc.abstractmethod\ndef run(self):",
    "def contain(fn):",
    "def run(self, fn):",
    "class Guard:",
    "class It:",
    "class MyError(RecorderError):",
    "if TYPE_CHECKING:",
    "if typing.TYPE_CHECKING:",
    "if x:",
    "for i in items:",
    "with ctx() as exc:",
    "while x:",
]

HANDLERS = [
    "except:",
    "except Exception:",
    "except BaseException as exc:",
    "except (OSError, Exception) as exc:",
    "except OSError as exc:",
    "except RecorderError as exc:",
    "except (e.UsageError, errors.TargetError):",
    "except MyError:",
    "except Foreign as exc:",
    "except ValueError:",
]

PATHS = [
    "pkg/module.py",
    "pkg/output.py",
    "pkg/cli.py",
    "pkg/guard.py",
    "tests/test_x.py",
    "recorder/errors/x.py",
    "recorder/session.py",
]


def _indent(lines: list[str]) -> list[str]:
    return ["    " + line if line else line for line in lines]


def _block(children: st.SearchStrategy[list[str]]) -> st.SearchStrategy[list[str]]:
    """One compound statement around generated bodies."""

    def compound(parts: tuple[str, list[str], list[str], list[str], bool, str]) -> list[str]:
        header, body, other, final, with_else, handler = parts
        if header == "try":
            lines = ["try:", *_indent(body), handler, *_indent(other)]
            if with_else:
                lines += ["finally:", *_indent(final)]
            return lines
        lines = [*header.splitlines(), *_indent(body)]
        if with_else and header.startswith("if "):
            lines += ["else:", *_indent(other)]
        return lines

    return st.tuples(
        st.sampled_from([*HEADERS, "try", "try", "try"]),
        children,
        children,
        children,
        st.booleans(),
        st.sampled_from(HANDLERS),
    ).map(compound)


_PARSEABLE_CORNERS = [c for c in SCOPE_CORNERS if not c.startswith(("type ", "def f["))]
_leaf = st.one_of(
    st.sampled_from(STATEMENTS).map(lambda s: s.splitlines()),
    st.sampled_from(CATALOG_SNIPPETS).map(lambda s: s.splitlines()),
    st.sampled_from(_PARSEABLE_CORNERS).map(lambda s: s.splitlines()),
)
_bodies = st.recursive(
    st.lists(_leaf, min_size=1, max_size=3).map(lambda ls: [x for group in ls for x in group]),
    lambda inner: st.lists(st.one_of(_leaf, _block(inner)), min_size=1, max_size=3).map(
        lambda ls: [x for group in ls for x in group]
    ),
    max_leaves=12,
)
programs = st.tuples(st.lists(st.sampled_from(IMPORTS), max_size=5), _bodies).map(
    lambda parts: "\n".join([*parts[0], *parts[1]]) + "\n"
)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(source=programs, path=st.sampled_from(PATHS))
def test_generated_programs(source: str, path: str) -> None:
    by_ast, by_cst = _both(source, path)  # neither engine may crash, whatever the input
    if _scopes_are_valid(source):
        assert by_ast == by_cst, source


def _scopes_are_valid(source: str) -> bool:
    """False for programs the compiler rejects in its symbol-table pass (``global x`` after a
    use of ``x``, ``nonlocal`` at module level...): ``ast.parse`` accepts them, their scopes
    have no meaning, and the engines need not agree on them."""
    try:
        symtable.symtable(source, "<generated>", "exec")
    except SyntaxError:
        return False
    return True
