"""Edge cases of name resolution and rule scope, as a table: source in, (line, code) set out.

Each case is checked with the catalog's example configuration at ``pkg/module.py`` unless it
names another path.  Together with the golden files these pin the decisions written down in
``lint_rules/semantics.py``, which the libcst engine must make identically.
"""

from __future__ import annotations

import ast
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from lint_helpers import GOLDEN

from lint_rules import collect
from lint_rules.catalog import EXAMPLE_CONFIG
from lint_rules.checker import analyse, check_source
from lint_rules.collect import _child_fields

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


def test_relative_import_in_a_top_level_module() -> None:
    # ``mod.py`` has no package: ``from . import sys`` resolves to plain ``sys``.
    source = "from . import sys\nsys.exit(1)\n"
    assert [(f.line, f.code) for f in check_source(source, "mod.py", EXAMPLE_CONFIG)] == [
        (2, "REC007")
    ]


def test_roles_of_absolute_paths_are_relative_to_the_config_root(tmp_path: Path) -> None:
    cfg = replace(EXAMPLE_CONFIG, root=str(tmp_path))
    output = str(tmp_path / "pkg" / "output.py")
    assert check_source("print('x')\n", output, cfg) == []
    assert [f.code for f in check_source("print('x')\n", output, EXAMPLE_CONFIG)] == ["REC001"]


def test_a_guard_nested_in_a_function_is_named_by_its_qualified_name() -> None:
    source = (
        "def outer():\n    def contain():\n        try:\n            pass\n"
        "        except Exception:\n            pass\n"
    )
    cfg = replace(EXAMPLE_CONFIG, guard_functions=("pkg.module.outer.contain",))
    assert check_source(source, "pkg/module.py", cfg) == []
    assert [f.code for f in check_source(source, "pkg/module.py", EXAMPLE_CONFIG)] == ["REC005"]


def test_rec000_findings_are_exact_and_can_be_deselected() -> None:
    minus = replace(EXAMPLE_CONFIG, ignore=("REC000",))
    for source in ("x = (\n", "x = 1\x00\n"):
        assert check_source(source, "pkg/module.py", minus) == []
        assert analyse(source, "pkg/module.py", minus) == []
    [syntax] = check_source("x = 1\ny = )\n", "pkg/module.py", EXAMPLE_CONFIG)
    assert (syntax.line, syntax.col, syntax.code) == (2, 4, "REC000")
    assert syntax.message == "file could not be parsed: SyntaxError: unmatched ')'"
    too_deep = "x = " + " + ".join(["print(1)"] * 100_000) + "\n"
    [deep] = check_source(too_deep, "pkg/module.py", EXAMPLE_CONFIG)
    assert (deep.line, deep.col) == (1, 0)
    assert deep.message.startswith("file could not be parsed: RecursionError: ")
    assert analyse("x = 1\ny = )\n", "pkg/module.py", EXAMPLE_CONFIG) == [syntax]


def test_analyse_reports_exactly_what_check_reports() -> None:
    for golden in sorted(GOLDEN.glob("*.py")):
        source = golden.read_text(encoding="utf-8")
        path = f"pkg/{golden.name}"
        checked = check_source(source, path, EXAMPLE_CONFIG)
        analysed = analyse(source, path, EXAMPLE_CONFIG)
        # Field by field: ``fix`` is left out of a Finding's equality.
        assert [f.to_dict() for f in analysed] == [f.to_dict() for f in checked]


def test_walk_fields_skip_only_what_cannot_matter() -> None:
    assert _child_fields(ast.Call) == ("func", "args", "keywords")
    assert _child_fields(ast.Name) == ()
    assert _child_fields(ast.ExceptHandler) == ("type", "body")
    assert _child_fields(int) == ()


@pytest.mark.parametrize(
    ("path", "source", "facade", "expected"),
    [
        # a top-level module has no package: ``.sys`` is ``sys``
        ("mod.py", "from .sys import exit\nexit(1)\n", "recorder.errors", [(2, "REC007")]),
        # two dots from recorder/sub: recorder.errors, the façade
        ("recorder/sub/mod.py", "from .. import errors\nraise errors.UsageError('x')\n",
         "recorder.errors", []),
        ("recorder/sub/mod.py", "from . import errors\nraise errors.UsageError('x')\n",
         "recorder.errors", [(2, "REC003")]),
        # more dots than packages: the module as written
        ("p/q/mod.py", "from ....a import Err\nraise Err()\n", "a", []),
        ("p/q/mod.py", "from ....b import Err\nraise Err()\n", "a", [(2, "REC003")]),
    ],
)
def test_relative_imports_resolve_against_the_package(
    path: str, source: str, facade: str, expected: list[tuple[int, str]]
) -> None:
    cfg = replace(EXAMPLE_CONFIG, facade_modules=(facade,))
    assert [(f.line, f.code) for f in check_source(source, path, cfg)] == expected


def test_a_class_inside_a_guard_is_guarded_too() -> None:
    source = (
        "def contain(fn):\n    class Runner:\n        def run(self):\n            try:\n"
        "                fn()\n            except Exception:\n                pass\n"
    )
    assert check_source(source, "pkg/guard.py", EXAMPLE_CONFIG) == []
    assert [f.code for f in check_source(source, "pkg/other.py", EXAMPLE_CONFIG)] == ["REC005"]


def test_syntax_error_positions_are_zero_based_columns() -> None:
    [first] = check_source(")\n", "pkg/module.py", EXAMPLE_CONFIG)
    assert (first.line, first.col) == (1, 0)
    [nul] = check_source("x = 1\x00\n", "pkg/module.py", EXAMPLE_CONFIG)
    assert (nul.line, nul.col, nul.code) == (1, 0, "REC000")
    assert "null bytes" in nul.message


def test_the_walk_table_is_rebuilt_when_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    # The per-class field table is a cache: a miss must compute the same fields.
    monkeypatch.setattr(collect, "_CHILD_FIELDS", {ast.Constant: ()})
    source = "def f(x):\n    return [print(x)]\n"
    assert [f.code for f in check_source(source, "pkg/module.py", EXAMPLE_CONFIG)] == ["REC001"]
