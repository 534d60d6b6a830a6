"""Edge cases of name resolution and rule scope, as a table: source in, (line, code) set out.

Each case is checked with the catalog's example configuration at ``pkg/module.py`` unless it
names another path.  Together with the golden files these pin the decisions written down in
``lint_rules/semantics.py``, which the libcst engine must make identically.
"""

from __future__ import annotations

import sys
import textwrap
from dataclasses import replace

import pytest

from lint_rules.catalog import EXAMPLE_CONFIG
from lint_rules.checker import check_source

CASES: list[tuple[str, str, str, set[tuple[int, str]]]] = [
    # (id, path, source, expected {(line, code)})
    (
        "global-import-shadows",
        "pkg/module.py",
        """
        def f():
            global print
            print("x")
        from rich import print
    """,
        set(),
    ),
    (
        "nonlocal-sees-enclosing",
        "pkg/module.py",
        """
        def outer():
            print = len
            def inner():
                nonlocal print
                print("x")
            return inner
    """,
        set(),
    ),
    (
        "walrus-in-comprehension-binds-outside",
        "pkg/module.py",
        """
        def f(xs):
            [print := x for x in xs]
            print("bound by the walrus in f")
    """,
        set(),
    ),
    (
        "match-capture-binds",
        "pkg/module.py",
        """
        match command:
            case [print, *rest]:
                print(rest)
    """,
        set(),
    ),
    (
        "star-import-does-not-shadow",
        "pkg/module.py",
        """
        from rich import *
        print("x")
    """,
        {(3, "REC001")},
    ),
    (
        "relative-import-of-facade",
        "recorder/session.py",
        """
        from .errors import usage, ErrorCode
        from . import errors
        raise usage(ErrorCode.UNKNOWN, "typed via a relative import")
        raise errors.UsageError("typed")
        raise ValueError("untyped")
    """,
        {(6, "REC003")},
    ),
    (
        "relative-import-from-package-init",
        "recorder/__init__.py",
        """
        from .errors import RecorderError
        raise RecorderError("x")
    """,
        set(),
    ),
    (
        "similar-prefix-is-not-the-facade",
        "pkg/module.py",
        """
        from recorder.errorsx import UsageError
        raise UsageError("x")
    """,
        {(3, "REC003")},
    ),
    (
        "facade-keeps-other-rules",
        "recorder/errors/kinds.py",
        """
        print("the façade may raise anything but not print")
        raise ValueError("x")
        try:
            pass
        except OSError:
            raise
    """,
        {(2, "REC001")},
    ),
    ("assert-in-test-paths", "tests/test_x.py", "assert True\nprint('x')\n", {(2, "REC001")}),
    ("conftest-is-a-test-path", "pkg/conftest.py", "assert True\n", set()),
    ("exit-in-entry-module", "pkg/cli.py", "import sys\nsys.exit(2)\nexit()\n", set()),
    ("exit-in-entry-submodule", "pkg/cli/main.py", "import sys\nsys.exit(2)\n", set()),
    (
        "guard-nested-function",
        "pkg/guard.py",
        """
        def contain(fn):
            def run():
                try:
                    fn()
                except Exception:
                    pass
            return run
        def other(fn):
            try:
                fn()
            except Exception:
                pass
    """,
        {(12, "REC005")},
    ),
    (
        "reraise-name-is-flow-sensitive",
        "pkg/module.py",
        """
        from recorder.errors import RecorderError
        try:
            pass
        except RecorderError as exc:
            raise exc
        try:
            pass
        except KeyError as exc:
            raise exc
    """,
        {(10, "REC003")},
    ),
    (
        "class-cycle-does-not-hang",
        "pkg/module.py",
        """
        class A(B):
            pass
        class B(A):
            pass
        raise A()
    """,
        {(6, "REC003")},
    ),
    (
        "except-name-refers-to-itself",
        "pkg/module.py",
        """
        try:
            pass
        except e as e:
            raise e
        """,
        set(),
    ),
    ("raise-call-of-call-is-unknown", "pkg/module.py", "raise factory()()\n", set()),
    ("undefined-name-is-unknown", "pkg/module.py", "raise NoSuchError()\n", set()),
    (
        "except-star-handlers",
        "pkg/module.py",
        """
        try:
            pass
        except* OSError:
            raise
    """,
        {(5, "REC004")},
    ),
    (
        "bare-raise-in-class-body-inside-handler",
        "pkg/module.py",
        """
        try:
            pass
        except OSError:
            class C:
                raise
    """,
        {(6, "REC004")},
    ),
    (
        "type-checking-else-branch",
        "pkg/module.py",
        """
        if TYPE_CHECKING:
            assert x
        elif other:
            assert y
    """,
        {(5, "REC002")},
    ),
    (
        "noqa-variants",
        "pkg/module.py",
        """
        print(1)  # noqa
        print(2)  # noqa:REC001
        print(3)  # NOQA: rec001
        print(4)  # noqa: REC0
        print(5)  # noqa: E501,W291
        print(6)  #noqa
    """,
        {(6, "REC001"), (7, "REC001")},
    ),
    (
        "stdout-reference-kinds",
        "pkg/module.py",
        """
        import sys
        from sys import __stdout__
        __stdout__.write("x")
        sys.stdout.write
        out = sys.stdout
    """,
        {(4, "REC006")},
    ),
    (
        "print-kwarg-file-other",
        "pkg/module.py",
        """
        import sys
        print("x", file=handle)
        print("y", file=sys.__stdout__)
    """,
        {(3, "REC001"), (4, "REC006")},
    ),
    ("os-write-true-is-not-fd-1", "pkg/module.py", "import os\nos.write(True, b'x')\n", set()),
    (
        "exit-code-keyword-and-attribute",
        "pkg/module.py",
        """
        import sys
        from recorder.errors import ExitCode
        sys.exit(code=ExitCode.USAGE)
        sys.exit(status.exit_code)
        sys.exit(exit_code)
    """,
        {(6, "REC007")},
    ),
]


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [pytest.param(path, src, exp, id=case_id) for case_id, path, src, exp in CASES],
)
def test_case(path: str, source: str, expected: set[tuple[int, str]]) -> None:
    text = textwrap.dedent(source)
    found = {(f.line, f.code) for f in check_source(text, path, EXAMPLE_CONFIG)}
    assert found == expected


NEEDS_312 = pytest.mark.skipif(sys.version_info >= (3, 12), reason="this interpreter parses it")
NEWER_SYNTAX = [
    pytest.param("type Alias = list[int]\n", id="type-statement", marks=NEEDS_312),
    pytest.param(
        "def first[T](xs: list[T]) -> T:\n    return xs[0]\n", id="generics", marks=NEEDS_312
    ),
    pytest.param('x = f"{"nested quotes"}"\n', id="pep701-fstring", marks=NEEDS_312),
    pytest.param("print(\n", id="plain-syntax-error"),
    pytest.param("x = 1\x00\n", id="nul-byte"),
]


@pytest.mark.parametrize("source", NEWER_SYNTAX)
def test_unparsable_source_reports_rec000(source: str) -> None:
    findings = check_source(source, "pkg/module.py", EXAMPLE_CONFIG)
    assert [f.code for f in findings] == ["REC000"]
    assert findings[0].message.startswith("file could not be parsed:")


def test_deep_nesting_is_reported_not_crashed() -> None:
    # The collector is iterative, so any tree the parser builds is walked; deeper than that,
    # the parser's own RecursionError becomes REC000.
    parsable = "x = " + " + ".join(["print(1)"] * 900) + "\n"
    findings = check_source(parsable, "pkg/module.py", EXAMPLE_CONFIG)
    assert [f.code for f in findings] == ["REC001"] * 900
    too_deep = "x = " + " + ".join(["print(1)"] * 100_000) + "\n"
    assert [f.code for f in check_source(too_deep, "pkg/module.py", EXAMPLE_CONFIG)] == ["REC000"]


def test_select_and_ignore_in_config() -> None:
    source = "print(1)\nassert x\n"
    only = replace(EXAMPLE_CONFIG, select=("REC002",))
    assert [f.code for f in check_source(source, "pkg/module.py", only)] == ["REC002"]
    minus = replace(EXAMPLE_CONFIG, ignore=("REC002",))
    assert [f.code for f in check_source(source, "pkg/module.py", minus)] == ["REC001"]


@pytest.mark.skipif(sys.version_info < (3, 12), reason="the type statement is 3.12+")
def test_a_type_statement_binds_its_name() -> None:
    # ``type ValueError = int`` shadows the builtin, so raising it is not raising a builtin.
    source = "type ValueError = int\ndef f() -> None:\n    raise ValueError('x')\n"
    assert check_source(source, "pkg/module.py", EXAMPLE_CONFIG) == []
