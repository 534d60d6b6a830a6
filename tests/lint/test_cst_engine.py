"""The libcst engine on the catalog (Fixit's style: every VALID/INVALID example is a test),
on the golden files, and on the cases the issue names: shadowing, aliases, TYPE_CHECKING, noqa,
syntax the running parser does not know.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from lint_helpers import GOLDEN, expected_codes, marked_lines

from lint_rules.catalog import EXAMPLE_CONFIG, RULES, Rule, examples
from lint_rules.config import LintConfig
from lint_rules.cst_engine import check_source


def _cases(kind: str) -> list[tuple[str, str, str]]:
    cases = []
    for rule in RULES:
        snippets = rule.valid if kind == "valid" else rule.invalid
        cases += [(rule.code, src, path) for src, path in examples(snippets)]
    return cases


def _codes(source: str, path: str = "pkg/module.py", cfg: LintConfig = EXAMPLE_CONFIG) -> set:
    return {(f.line, f.code) for f in check_source(source, path, cfg)}


@pytest.mark.parametrize(("code", "source", "path"), _cases("valid"))
def test_valid_example_has_no_finding_of_its_rule(code: str, source: str, path: str) -> None:
    assert code not in {c for _, c in _codes(source, path)}


@pytest.mark.parametrize(("code", "source", "path"), _cases("invalid"))
def test_invalid_example_is_found_on_its_marked_lines(code: str, source: str, path: str) -> None:
    lines = {line for line, c in _codes(source, path) if c == code}
    assert lines, f"{code} not found"
    marked = marked_lines(source)
    if marked:
        assert lines == marked


def test_every_rule_has_examples() -> None:
    rules: list[Rule] = [r for r in RULES if r.code != "REC000"]
    assert all(r.valid and r.invalid for r in rules)


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.py")), ids=lambda p: p.stem)
def test_golden_file(golden: Path) -> None:
    source = golden.read_text(encoding="utf-8")
    assert _codes(source, f"pkg/{golden.name}") == expected_codes(source)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # shadowing by scope, not by spelling
        ("print('x')", {(1, "REC001")}),
        ("def f(print):\n    print('x')", set()),
        ("def f():\n    def print(): pass\n    print('x')", set()),
        ("print('before')\ndef print(): pass", set()),  # flow-insensitive, like the ast engine
        ("class C:\n    print = len\n    def m(self):\n        print('x')", {(4, "REC001")}),
        ("from builtins import print as p\np('x')", {(2, "REC001")}),
        ("import builtins as b\nb.print('x')", {(2, "REC001")}),
        ("p = print\np('x')", set()),  # an assignment is not an alias the engines follow
        ("[print(x) for x in y]", {(1, "REC001")}),
        ("def f():\n    global print\n    print('x')", {(3, "REC001")}),
        # TYPE_CHECKING is skipped, its else branch is not
        (
            "import typing\nif typing.TYPE_CHECKING:\n    print('a')\nelse:\n    print('b')",
            {(5, "REC001")},
        ),
        ("print('x')  # noqa", set()),
        ("print('x')  # NOQA:REC001", set()),
        ("print('x')  # noqa: REC002", {(1, "REC001")}),
        # raise forms
        ("raise ValueError('x') from None", {(1, "REC003")}),
        ("from recorder.errors import bug\nraise bug('x') from None", set()),
        ("from .errors import usage\nraise usage('x')", {(2, "REC003")}),
        ("raise Undefined('x')", set()),  # unknown, not a builtin
        ("try:\n    pass\nexcept* OSError:\n    raise", {(4, "REC004")}),
        # REC006 by every route
        ("import sys\nsys.__stdout__.write('x')", {(2, "REC006")}),
        ("import os\nos.write(0x1, b'x')", {(2, "REC006")}),
        ("import os\nos.write(True, b'x')", set()),
        # REC007 arguments
        ("import sys\nsys.exit(code=ExitCode.USAGE)", {(2, "REC007")}),
        (
            "import sys\nfrom recorder.errors import ExitCode\nsys.exit(*[ExitCode.USAGE])",
            {(3, "REC007")},
        ),
    ],
)
def test_cases(source: str, expected: set) -> None:
    assert _codes(source) == expected


def test_relative_import_of_the_facade_is_typed() -> None:
    source = "from .errors import usage\nraise usage('x')"
    assert _codes(source, "recorder/session.py") == set()


def test_multiline_statement_reports_the_start_line() -> None:
    source = "x = 1\nprint(\n    'a',\n    'b',\n)\n"
    assert _codes(source) == {(2, "REC001")}


def test_column_is_a_utf8_byte_offset_like_ast() -> None:
    (finding,) = check_source("é = 1; print(é)", "pkg/module.py", EXAMPLE_CONFIG)
    assert finding.col == len("é = 1; ".encode())


@pytest.mark.parametrize(
    "source",
    [
        "def f(:\n    pass",
        "x = (",
        "print(*a for a in b)",  # libcst accepts it, the interpreter does not
        "a\0b",
        "x = " + "(" * 300 + ")" * 300,
    ],
)
def test_unparsable_source_is_one_rec000(source: str) -> None:
    findings = check_source(source, "pkg/module.py", EXAMPLE_CONFIG)
    assert [f.code for f in findings] == ["REC000"]
    from lint_rules.ast_engine import check_source as ast_check

    assert [(f.line, f.code) for f in ast_check(source, "pkg/module.py", EXAMPLE_CONFIG)] == [
        (f.line, f.code) for f in findings
    ]


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="3.12 knows PEP 695 syntax")
def test_syntax_newer_than_the_interpreter_is_rec000_not_checked() -> None:
    findings = check_source("type X = int\nprint('x')", "pkg/module.py", EXAMPLE_CONFIG)
    assert [f.code for f in findings] == ["REC000"]


def test_select_and_ignore() -> None:
    source = "print('x')\nassert x"
    only = LintConfig(select=("REC002",))
    assert {f.code for f in check_source(source, "pkg/m.py", only)} == {"REC002"}
    ignored = LintConfig(ignore=("REC00",))
    assert check_source(source, "pkg/m.py", ignored) == []


def test_start_positions_match_position_provider() -> None:
    """The cheap position pass agrees with libcst's PositionProvider on every node kind used."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    from lint_rules.cst_positions import start_positions

    kinds = (cst.Call, cst.Raise, cst.Assert, cst.ExceptHandler, cst.Attribute, cst.Name)
    source = (GOLDEN / "handlers.py").read_text(encoding="utf-8")
    source += "\nx = (\n  (print)\n)(1); assert x  # c\ntry: pass\n# lead\nexcept E: raise\n"
    wrapper = MetadataWrapper(cst.parse_module(source), unsafe_skip_copy=True)
    expected = {
        node: (r.start.line, r.start.column)
        for node, r in wrapper.resolve(PositionProvider).items()
        if isinstance(node, kinds)
    }
    assert len(expected) > 50
    assert start_positions(wrapper.module, list(expected)) == expected


@pytest.mark.parametrize(
    "source",
    [
        "try:\n    pass\nexcept ValueError as ValueError:\n    raise ValueError\n",
        "try:\n    pass\nexcept e as e:\n    raise e\n",
        "try:\n    pass\nexcept (a, b) as a:\n    raise a\n",
    ],
)
def test_self_referential_handler_names_do_not_recurse(source: str) -> None:
    from lint_rules import ast_engine

    config = LintConfig()
    found = check_source(source, "pkg/module.py", config)
    assert [(f.line, f.code) for f in found] == [
        (f.line, f.code) for f in ast_engine.check_source(source, "pkg/module.py", config)]
