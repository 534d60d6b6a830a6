"""The autofix codemods: each fix (source in -> fixed source out), what is left alone, the
imports added exactly once, idempotence, and a realistic legacy module where, after ``fix``,
``check`` reports exactly what cannot be fixed automatically.
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

from lint_rules import checker
from lint_rules.catalog import EXAMPLE_CONFIG, RULES, examples
from lint_rules.fixers import fix_source

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


def _check_fix(source: str, path: str) -> str:
    """Properties every fix has: parses, idempotent, never adds a finding, imports once."""
    fixed = fix(source, path)
    ast.parse(fixed)
    assert fix(fixed, path) == fixed
    before, after = _codes(source, path), _codes(fixed, path)
    assert all(after[code] <= before[code] for code in after), (before, after)
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
