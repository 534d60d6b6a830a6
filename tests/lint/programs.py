"""Programs hypothesis composes from catalog snippets and rule-relevant statements nested in
functions, classes, handlers and ``TYPE_CHECKING`` blocks (used by the robustness and fixer tests).

Imported as ``programs`` (pytest puts this directory on sys.path: tests have no packages).
"""

from __future__ import annotations

from hypothesis import strategies as st
from test_scope_corners import CORNERS

from lint_rules.catalog import RULES, examples

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


_PARSEABLE_CORNERS = [c for c, _, _ in CORNERS if not c.startswith(("type ", "def f["))]
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
