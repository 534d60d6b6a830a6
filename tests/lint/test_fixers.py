"""The autofix codemods: each fix (source in -> fixed source out), what is left alone, the
imports added exactly once, idempotence, no undefined name introduced (pyflakes F821), the
fixer applying exactly the facts it is handed, and a realistic legacy module where, after
``fix``, ``check`` reports exactly what cannot be fixed automatically.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from programs import PATHS, programs
from pyflakes.checker import Checker
from pyflakes.messages import UndefinedName

from lint_rules import checker
from lint_rules.catalog import EXAMPLE_CONFIG, RULES, examples
from lint_rules.findings import Fix
from lint_rules.fixers import fix_source, fix_with

LEGACY = Path(__file__).parent / "legacy" / "legacy_module.py"
MODULE = "pkg/module.py"
FACADE_IMPORT = "from recorder.errors import "
LOGGER = "import logging\n\nlogger = logging.getLogger(__name__)\n"


def fix(source: str, path: str = MODULE) -> str:
    return fix_source(source, path, EXAMPLE_CONFIG)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # REC001: print -> the module's logger
        ("print('hi')\n", LOGGER + "\nlogger.info('hi')\n"),
        ("print(x)\n", LOGGER + '\nlogger.info("%s", x)\n'),
        ("print('a', b, sep=', ', end='')\n", LOGGER + "\nlogger.info(\"%s, %s\", 'a', b)\n"),
        ("print('100%', n, sep='%')\n", LOGGER + "\nlogger.info(\"%s%%%s\", '100%', n)\n"),
        ("print()\n", LOGGER + '\nlogger.info("")\n'),
        (
            "import sys\nprint('oops', file=sys.stderr)\n",
            "import sys\n" + LOGGER + "\nlogger.warning('oops')\n",
        ),
        (
            '"""Doc."""\n\nimport os\n\n\ndef f():\n    print(f"{os.sep}")\n',
            '"""Doc."""\n\nimport os\n' + LOGGER + '\n\ndef f():\n    logger.info(f"{os.sep}")\n',
        ),
        (
            "import logging\n\nlog = logging.getLogger('app')\nprint('x')\n",
            "import logging\n\nlog = logging.getLogger('app')\nlog.info('x')\n",
        ),
        # REC002: assert -> ensure_internal
        (
            "def f(x):\n    assert x, 'x is required'\n",
            FACADE_IMPORT + "ErrorCode, ensure_internal\n\ndef f(x):\n"
            "    ensure_internal(x, ErrorCode.INVARIANT_VIOLATED, 'x is required')\n",
        ),
        (
            "assert x > 0\n",
            FACADE_IMPORT + "ErrorCode, ensure_internal\n\n"
            'ensure_internal(x > 0, ErrorCode.INVARIANT_VIOLATED, "assertion failed: x > 0")\n',
        ),
        (
            "assert ok, reason\n",
            FACADE_IMPORT + "ErrorCode, ensure_internal\n\n"
            "ensure_internal(ok, ErrorCode.INVARIANT_VIOLATED, str(reason))\n",
        ),
        # REC003: builtin raise -> façade constructor of the right kind + TODO
        (
            "raise ValueError('bad')\n",
            FACADE_IMPORT + "ErrorCode, usage\n\n"
            "raise usage(ErrorCode.UNKNOWN, 'bad')  # TODO(REC003): pick an ERR_* code\n",
        ),
        (
            "raise FileNotFoundError(path) from exc\n",
            FACADE_IMPORT + "ErrorCode, enverr\n\n"
            "raise enverr(ErrorCode.UNKNOWN, str(path)) from exc"
            "  # TODO(REC003): pick an ERR_* code\n",
        ),
        (
            "if x: raise RuntimeError  # old\n",
            FACADE_IMPORT + "ErrorCode, bug\n\n"
            'if x: raise bug(ErrorCode.UNKNOWN, "RuntimeError")  # old\n',
        ),
        (
            "if x: raise KeyError\n",
            FACADE_IMPORT + "ErrorCode, bug\n\n"
            'if x: raise bug(ErrorCode.UNKNOWN, "KeyError")  # TODO(REC003): pick an ERR_* code\n',
        ),
        (
            "raise TimeoutError('slow')  # why\n",
            FACADE_IMPORT + "ErrorCode, enverr\n\n# TODO(REC003): pick an ERR_* code\n"
            "raise enverr(ErrorCode.UNKNOWN, 'slow')  # why\n",
        ),
        # imports merge into an existing façade import, exactly once
        (
            "from recorder.errors import usage\nraise TypeError('t')\nraise ValueError('v')\n",
            FACADE_IMPORT + "ErrorCode, usage\n"
            "raise usage(ErrorCode.UNKNOWN, 't')  # TODO(REC003): pick an ERR_* code\n"
            "raise usage(ErrorCode.UNKNOWN, 'v')  # TODO(REC003): pick an ERR_* code\n",
        ),
    ],
)
def test_fix(source: str, expected: str) -> None:
    assert fix(source) == expected


@pytest.mark.parametrize(
    ("source", "path"),
    [
        ("print('x', file=fh)\n", MODULE),  # writing to a file is not logging
        ("print(*items)\n", MODULE),
        ("print(a, b, sep=separator)\n", MODULE),
        ("def f(logger):\n    print('x')\n", MODULE),  # the parameter would capture the call
        ("print('x')  # noqa: REC001\n", MODULE),
        ("if TYPE_CHECKING:\n    print('x')\n", MODULE),
        ("print('x')\n", "pkg/output.py"),
        ("assert x\n", "tests/test_things.py"),
        ("raise ValueError('x')\n", "recorder/errors/kinds.py"),
        ("raise SystemExit(2)\n", MODULE),  # not an error to classify
        ("raise ValueError('x', 2)\n", MODULE),
        ("import json\nraise json.JSONDecodeError('m', 'd', 0)\n", MODULE),
        ("class Mine(Exception):\n    pass\nraise Mine('x')\n", MODULE),
        ("class It:\n    def __next__(self):\n        raise StopIteration\n", MODULE),
        ("def f(:\n", MODULE),
    ],
)
def test_left_alone(source: str, path: str) -> None:
    assert fix(source, path) == source


def test_deselected_codes_are_not_fixed() -> None:
    cfg = replace(EXAMPLE_CONFIG, ignore=("REC001",))
    assert fix_source("print('x')\n", MODULE, cfg) == "print('x')\n"


def test_facade_module_comes_from_configuration() -> None:
    cfg = replace(EXAMPLE_CONFIG, facade_modules=("myproj.failures", "other.errors"))
    fixed = fix_source("assert x\n", MODULE, cfg)
    assert fixed.startswith("from myproj.failures import ErrorCode, ensure_internal\n")


def test_without_a_facade_only_prints_are_fixed() -> None:
    cfg = replace(EXAMPLE_CONFIG, facade_modules=())
    source = "assert x\nraise ValueError('v')\nprint('p')\n"
    fixed = fix_source(source, MODULE, cfg)
    assert "assert x\nraise ValueError('v')\nlogger.info('p')\n" in fixed


def test_asserts_inside_the_facade_are_left_alone() -> None:
    source = "assert x\n"
    assert fix(source, "recorder/errors/kinds.py") == source


def _codes(source: str, path: str) -> Counter[str]:
    return Counter(f.code for f in checker.check_source(source, path, EXAMPLE_CONFIG))


def undefined_names(source: str) -> set[str]:
    """The names pyflakes reports as undefined (F821)."""
    messages = Checker(ast.parse(source), "<fixed>").messages
    return {str(m.message_args[0]) for m in messages if isinstance(m, UndefinedName)}


def _check_fix(source: str, path: str) -> str:
    """Properties every fix has: parses, idempotent, never adds a finding or an undefined name
    (a missing import), imports once."""
    fixed = fix(source, path)
    ast.parse(fixed)
    assert undefined_names(fixed) <= undefined_names(source)
    assert fix(fixed, path) == fixed
    before, after = _codes(source, path), _codes(fixed, path)
    assert all(after[code] <= before[code] for code in after), (before, after)
    # Each fix the analysis described removed its own finding, and only that one.
    described = Counter(
        f.code for f in checker.analyse(source, path, EXAMPLE_CONFIG) if f.fix is not None
    )
    for code in ("REC001", "REC002", "REC003"):
        assert after[code] == before[code] - described[code], (code, before, after)
    for line in fixed.splitlines():
        if line.startswith(FACADE_IMPORT) and "import ErrorCode" in fixed:
            # The fix adds no second copy; one the program already had twice stays as it was.
            assert fixed.count(line) <= max(1, source.count(line)), line
    assert fixed.count("logger = logging.getLogger(__name__)") <= 1
    return fixed


@pytest.mark.parametrize(
    ("source", "path"),
    [(s, p) for rule in RULES for s, p in examples(rule.invalid + rule.valid)],
)
def test_catalog_examples_fix_cleanly(source: str, path: str) -> None:
    fixed = _check_fix(source, path)
    # Everything the catalog calls fixable is fixed in these simple snippets (unless noqa'd).
    if "noqa" not in source:
        assert _codes(fixed, path)["REC002"] == 0


def _unfixable_markers(source: str) -> set[tuple[str, str]]:
    found = set()
    for line in source.splitlines():
        match = re.search(r"# unfixable: (REC\d{3})", line)
        if match:
            found.add((match.group(1), line.strip()))
    return found


def test_legacy_module_keeps_only_what_cannot_be_fixed() -> None:
    source = LEGACY.read_text(encoding="utf-8")
    path = "pkg/settings.py"
    assert sum(_codes(source, path).values()) > len(_unfixable_markers(source)) + 8
    fixed = _check_fix(source, path)
    lines = fixed.splitlines()
    for engine in (checker,):
        remaining = {
            (f.code, lines[f.line - 1].strip())
            for f in engine.check_source(fixed, path, EXAMPLE_CONFIG)
        }
        assert remaining == _unfixable_markers(source)
    assert fixed.count(FACADE_IMPORT) == 1
    assert fixed.count("import logging\n") == 1
    # The one-line ``if ...: raise ...  # fmt: skip`` already has a comment: no TODO there.
    assert fixed.count("# TODO(REC003): pick an ERR_* code") == 3


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(source=programs, path=st.sampled_from(PATHS))
def test_generated_programs_fix_cleanly(source: str, path: str) -> None:
    _check_fix(source, path)


# -- the fixer applies the facts it is handed, and decides nothing ---------------------------

SOURCE = "print('a')\nprint('b')\nassert ok\nraise ValueError('v')\n"


def _facts(source: str, path: str = MODULE) -> dict[int, Fix]:
    return {
        f.line: f.fix
        for f in checker.analyse(source, path, EXAMPLE_CONFIG)
        if f.fix is not None
    }


def test_the_fixer_touches_only_the_findings_it_is_given() -> None:
    facts = _facts(SOURCE)
    assert sorted(facts) == [1, 2, 3, 4]
    fixed = fix_with(SOURCE, MODULE, [facts[2]])
    assert fixed == LOGGER + "\nprint('a')\nlogger.info('b')\nassert ok\nraise ValueError('v')\n"
    fixed = fix_with(SOURCE, MODULE, [facts[3]])
    assert fixed == (
        FACADE_IMPORT + "ErrorCode, ensure_internal\n\nprint('a')\nprint('b')\n"
        'ensure_internal(ok, ErrorCode.INVARIANT_VIOLATED, "assertion failed: ok")\n'
        "raise ValueError('v')\n"
    )
    assert fix_with(SOURCE, MODULE, []) == SOURCE


def test_the_fixer_applies_hand_made_facts_without_judging_them() -> None:
    # An output module may print: the analysis reports nothing, yet a hand-made fact is applied
    # as it says (level, logger name, no logger line, no import).
    source = "print('x', file=sys.stderr)\n"
    assert _facts(source, "pkg/output.py") == {}
    made = Fix("Call", (1, 0), (1, 27), call="error", logger="audit")
    assert fix_with(source, "pkg/output.py", [made]) == "audit.error('x')\n"
    made = Fix("Raise", (1, 0), (1, 20), call="target", message="it broke",
               imports=(("my.errors", "target"),))
    assert fix_with("raise KeyError(key)\n", MODULE, [made]) == (
        "from my.errors import target\n\n"
        'raise target(ErrorCode.UNKNOWN, "it broke")  # TODO(REC003): pick an ERR_* code\n'
    )


def test_a_fact_that_matches_no_node_changes_nothing() -> None:
    wrong_place = Fix("Call", (1, 3), (1, 13), call="info", logger="logger")
    wrong_kind = Fix("Assert", (1, 0), (1, 10))
    assert fix_with("print('x')\n", MODULE, [wrong_place, wrong_kind]) == "print('x')\n"


def test_nodes_starting_together_are_told_apart_by_their_end() -> None:
    source = "print('a')('b')\n"
    outer, inner = Fix("Call", (1, 0), (1, 15)), Fix("Call", (1, 0), (1, 10))
    assert fix_with(source, MODULE, [replace(inner, call="info", logger="log")]) == (
        "log.info('a')('b')\n"
    )
    assert fix_with(source, MODULE, [replace(outer, call="info", logger="log")]) == (
        "log.info('b')\n"
    )


def test_missing_imports_are_caught_by_the_undefined_name_property() -> None:
    # A fact that forgets its imports yields code using an undefined name: the property used
    # by every fixer test above must see it.
    facts = _facts("assert ok\n")
    forgetful = replace(facts[1], imports=())
    fixed = fix_with("assert ok\n", MODULE, [forgetful])
    assert undefined_names(fixed) - undefined_names("assert ok\n") == {
        "ensure_internal", "ErrorCode"
    }


def test_columns_are_characters_for_libcst() -> None:
    source = "x = 'é'; print('ü', x)\n"
    assert fix(source) == LOGGER + "\nx = 'é'; logger.info(\"%s %s\", 'ü', x)\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # the message form is decided on the ast: str-valued expressions are passed as they are
        ("print('%d' % n)\n", LOGGER + "\nlogger.info('%d' % n)\n"),
        ("print('{}'.format(n))\n", LOGGER + "\nlogger.info('{}'.format(n))\n"),
        ("print(template.format(n))\n", LOGGER + '\nlogger.info("%s", template.format(n))\n'),
        ("print('abc'.upper())\n", LOGGER + "\nlogger.info(\"%s\", 'abc'.upper())\n"),
        ("print('x', flush=True)\n", LOGGER + "\nlogger.info('x')\n"),
        ("print(1)('b')\n", LOGGER + "\nlogger.info(\"%s\", 1)('b')\n"),
        # the logger: an existing one (getLogger spelled bare), else a free name
        (
            "from logging import getLogger\nlog = getLogger(__name__)\nprint('x')\n",
            "from logging import getLogger\nlog = getLogger(__name__)\nlog.info('x')\n",
        ),
        (
            "import structlog\nlog = structlog.get_logger()\nprint('x')\n",
            "import structlog\nlog = structlog.get_logger()\nlog.info('x')\n",
        ),
        (
            "import logger.a.b\nprint('x')\n",
            "import logger.a.b\nimport logging\n\nlog = logging.getLogger(__name__)\n"
            "\nlog.info('x')\n",
        ),
        (
            "from x import *\nlogger = log = _logger = None\nprint('x')\n",
            "from x import *\nimport logging\n\n_rec_logger = logging.getLogger(__name__)\n"
            "\nlogger = log = _logger = None\n_rec_logger.info('x')\n",
        ),
        (
            "def f():\n    global logger\n    logger = None\n    print('x')\n",
            LOGGER + "\ndef f():\n    global logger\n    logger = None\n    logger.info('x')\n",
        ),
        # the assert's message is its source text
        (
            "assert x>0\n",
            FACADE_IMPORT + "ErrorCode, ensure_internal\n\n"
            'ensure_internal(x>0, ErrorCode.INVARIANT_VIOLATED, "assertion failed: x>0")\n',
        ),
    ],
)
def test_facts_decided_on_the_ast(source: str, expected: str) -> None:
    assert fix(source) == expected


@pytest.mark.parametrize(
    "source",
    ["raise ValueError(*args)\n", "raise ValueError(**kw)\n", "raise ValueError(m, code=2)\n"],
)
def test_raises_the_fixer_cannot_express_are_left_alone(source: str) -> None:
    assert fix(source) == source


def test_a_multi_line_call_starting_with_another_is_located_by_its_end() -> None:
    source = "print(\n    'a'\n)('b')\n"
    assert fix(source) == LOGGER + "\nlogger.info(\n    'a'\n)('b')\n"
