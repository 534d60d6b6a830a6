"""The walk's pre-filter (:mod:`lint_rules.prefilter`) skips work, never a finding.

Two oracles: every source the other lint tests use (goldens, catalog examples, scope corners)
and a sample of the running interpreter's standard library must give the same hits with the
filter as without it; and the rows below, each a way a text filter could go wrong, give the
findings written next to them.  That the filter really skips is checked on what the walk builds
(scopes of functions it never entered), not on time.
"""

from __future__ import annotations

import ast
import importlib.util
import sysconfig
from pathlib import Path

import pytest
from lint_helpers import GOLDEN
from test_scope_corners import CORNERS

from lint_rules.catalog import EXAMPLE_CONFIG, EXAMPLE_PATH, RULES, examples
from lint_rules.checker import check_source, decide, parse
from lint_rules.collect import Collector
from lint_rules.prefilter import Triggers, hides_trigger

CONFIG = EXAMPLE_CONFIG


def _sources() -> list[tuple[str, str]]:
    found = [(p.read_text(encoding="utf-8"), f"pkg/{p.name}") for p in sorted(GOLDEN.glob("*.py"))]
    for rule in RULES:
        found += examples(rule.valid) + examples(rule.invalid)
    found += [(source, EXAMPLE_PATH) for source, _, _ in CORNERS]
    return found


def _stdlib_sample() -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    return sorted(root.glob("*.py"))[::7] + sorted(root.glob("[a-l]*/*.py"))[::9]


def _same_hits(source: str, path: str) -> None:
    tree = parse(source, path)
    if not isinstance(tree, ast.Module):
        return
    assert decide(tree, path, CONFIG, source) == decide(tree, path, CONFIG)


@pytest.mark.parametrize(("source", "path"), _sources())
def test_filtered_walk_decides_like_the_full_walk(source: str, path: str) -> None:
    _same_hits(source, path)


def test_filtered_walk_decides_like_the_full_walk_on_the_stdlib() -> None:
    sample = _stdlib_sample()
    assert len(sample) > 50
    for file in sample:
        source = importlib.util.decode_source(file.read_bytes())
        _same_hits(source, f"pkg/{file.name}")


# (source, findings as (line, code)): what a statement-by-statement text filter could miss.
ROWS: list[tuple[str, list[tuple[int, str]]]] = [
    # Aliases hide the word on the calling line: the walk notices and starts again in full.
    ("def f():\n    w(1, b'')\nfrom os import write as w", [(2, "REC006")]),
    ("def f():\n    p('x')\nfrom builtins import print as p", [(2, "REC001")]),
    ("import sys\ndef f():\n    bye(1)\nfrom sys import exit as bye", [(3, "REC007")]),
    ("def f():\n    w(1, b'')\nimport os.write as w", [(2, "REC006")]),
    # An alias keeping the word needs no second walk, and still finds.
    ("from os import _exit as os_exit\ndef f():\n    os_exit(1)", [(3, "REC007")]),
    # Bindings of statements with nothing to report still shadow.
    ("ValueError = Shadow\nraise ValueError", []),
    ("ValueError: type = Shadow\nraise ValueError", []),
    ("def f():\n    ValueError = Shadow\n    raise ValueError", []),
    ("def f():\n    ValueError = Shadow\nraise ValueError", [(3, "REC003")]),
    ("for ValueError in xs:\n    pass\nraise ValueError", []),
    ("for ValueError in xs: pass\nraise ValueError", []),
    ("if cond:\n    ValueError = Shadow\nraise ValueError", []),
    ("while cond:\n    ValueError = Shadow\nraise ValueError", []),
    ("def ValueError():\n    pass\nraise ValueError", []),
    ("class ValueError:\n    pass\nraise ValueError", [(3, "REC003")]),
    ("@decorate\ndef ValueError():\n    return 1\nraise ValueError", []),
    # Bindings made from inside a skipped function or expression.
    ("def f():\n    global ValueError\n    ValueError = Shadow\nraise ValueError", []),
    ("def f():\n    ValueError = 1\n    def g():\n        nonlocal ValueError\n        raise ValueError", []),  # noqa: E501
    ("n = (ValueError := Shadow)\nraise ValueError", []),
    ("if (ValueError := Shadow):\n    pass\nraise ValueError", []),
    # Each rule's own word keeps its statement (and the function around it) walked.
    ("def f():\n    quit()", [(2, "REC007")]),
    ("def f():\n    out = sys.__stdout__\nimport sys", [(2, "REC006")]),
    ("def f():\n    assert f", [(2, "REC002")]),
    ("def f():\n    try:\n        pass\n    except:\n        pass", [(4, "REC005")]),
    ("def f():\n    raise ValueError", [(2, "REC003")]),
    ("import os\ndef f():\n    os.write(1, b'')", [(3, "REC006")]),
    ("@print('x')\nclass C:\n    pass", [(1, "REC001")]),
    # A skipped class body binds nothing outside the class.
    ("class C:\n    ValueError = Shadow\nraise ValueError", [(3, "REC003")]),
    # The walrus binds in the enclosing scope, not the comprehension's.
    ("from builtins import print\n[print(1) for _ in y if (print := log)]", [(2, "REC001")]),
    # Only ``if`` has a TYPE_CHECKING branch.
    ("while TYPE_CHECKING:\n    print(1)", [(2, "REC001")]),
    # Identifiers are NFKC-normalised: this is print.
    ("\uff50\uff52\uff49\uff4e\uff54('x')", [(1, "REC001")]),
    # Calls in a handler count for REC005 whatever they are called.
    ("try:\n    x()\nexcept Exception:\n    report(1)", [(3, "REC005")]),
    ("from recorder.errors import usage\ntry:\n    x()\nexcept Exception:\n    usage('x')", []),
    # Statements spanning lines: the word on any of them counts.
    ("x = (\n    1,\n    sys.\n    exit(1),\n)\nimport sys", [(3, "REC007")]),
    ("if (\n    a and\n    print('x')\n):\n    pass", [(3, "REC001")]),
    ("for x in (\n    print(1),\n):\n    pass", [(2, "REC001")]),
    ("@lru\n@print('x')\ndef f():\n    pass", [(2, "REC001")]),
    # A lone carriage return: the filter steps aside.
    ("x = 1\rprint('x')\n", [(2, "REC001")]),
]


@pytest.mark.parametrize(("source", "expected"), ROWS)
def test_rows(source: str, expected: list[tuple[int, str]]) -> None:
    found = [(f.line, f.code) for f in check_source(source, "pkg/module.py", CONFIG)]
    assert found == expected
    _same_hits(source, "pkg/module.py")


def _scopes(source: str, triggers: Triggers | None) -> int:
    collector = Collector("pkg.module", "pkg", (), triggers)
    collector.run(ast.parse(source))
    assert collector.missed is False  # no alias hides a word here: one walk is enough
    return len(collector.scopes)


def test_an_alias_hiding_a_word_is_noticed() -> None:
    source = "def f():\n    w(1)\nfrom os import write as w\n"
    collector = Collector("pkg.module", "pkg", (), Triggers.of(source))
    collector.run(ast.parse(source))
    assert collector.missed is True


QUIET = (
    "def f(x):\n    return [y for y in x]\n"
    "class C:\n    def g(self):\n        return lambda: 1\n"
)


def test_the_filter_skips_what_cannot_matter() -> None:
    # Module, f, its comprehension, C, g and its lambda when walked in full; only the module
    # when nothing in the file can lead to a finding.
    assert _scopes(QUIET, None) == 6
    assert _scopes(QUIET, Triggers.of(QUIET)) == 1
    loud = QUIET.replace("lambda: 1", "lambda: print(1)")
    assert _scopes(loud, Triggers.of(loud)) == 4  # module, C, g and the lambda
    # Quiet statements inside a walked function: their lambdas are not entered.
    walked = (
        "def h():\n    print(1)\n    y: int = lambda: 2\n    y += (lambda: 3)\n"
        "    z = lambda: 5\n    return lambda: 4\n"
    )
    assert _scopes(walked, None) == 6
    assert _scopes(walked, Triggers.of(walked)) == 2  # module and h


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ("a\nprint\nb\n", [2]),
        ("raise\nraise x\n\nexcept", [1, 2, 4]),
        ("x = 'é'\ny = 1\n", [1]),
        ("sys.exit() or print()\n", [1, 1]),  # one per word and line
        ("a := 1\n\n\nglobal nonlocal assert quit stdout write", [1, 4, 4, 4, 4, 4, 4]),
        ("", []),
    ],
)
def test_trigger_lines(source: str, lines: list[int]) -> None:
    found = Triggers.of(source)
    assert found is not None
    assert found.lines == lines


def test_touch_is_inclusive() -> None:
    triggers = Triggers([3, 7])
    assert [triggers.touch(a, b) for a, b in [(1, 2), (1, 3), (3, 3), (4, 6), (7, 9), (8, 9)]] == [
        False, True, True, False, True, False,
    ]


@pytest.mark.parametrize(
    ("name", "asname", "hides"),
    [
        ("write", "w", True),
        ("os.write", "w", True),
        ("sys", "s", False),
        ("write", "writer", False),
        ("write", None, False),
        ("printing.x", "p", False),
        ("exit", "bye", True),
    ],
)
def test_hides_trigger(name: str, asname: str | None, hides: bool) -> None:
    assert hides_trigger(name, asname) is hides


def test_lines_are_numbered_as_the_parser_numbers_them() -> None:
    # A form feed is not a line break for the parser (str.splitlines would shift the noqa).
    source = "x = 1\f\nprint('x')  # noqa: REC001\nprint('y')\n"
    assert [(f.line, f.code) for f in check_source(source, "pkg/module.py", CONFIG)] == [
        (3, "REC001")
    ]
