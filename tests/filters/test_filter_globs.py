"""Glob selectors match as Rust's ``globset`` does with ``literal_separator`` (0.3.0's setting).

Table: (pattern, candidate, matches). ``fnmatch`` would get many of these wrong: there ``*``
crosses ``/`` and ``**``, ``{a,b}`` do not exist.
"""

from __future__ import annotations

import pytest

from recorder.filters.globs import compile_glob

CASES = [
    ("*.py", "a.py", True),
    ("*.py", "dir/a.py", False),  # * never crosses /
    ("src/*.py", "src/a.py", True),
    ("src/*.py", "src/sub/a.py", False),
    ("**/*.py", "a.py", True),  # **/ may match nothing
    ("**/*.py", "d/e/a.py", True),
    ("src/**", "src/a/b.py", True),
    ("src/**", "src", False),
    ("a/**/b", "a/b", True),
    ("a/**/b", "a/x/y/b", True),
    ("a/**/b", "a/xb", False),
    ("**", "any/thing/at/all", True),
    ("a**", "abc", True),  # not a whole component: two *
    ("a**", "ab/c", False),
    ("?.py", "a.py", True),
    ("?.py", "/.py", False),  # ? never matches /
    ("?.py", "ab.py", False),
    ("{a,b}.py", "b.py", True),
    ("{a,b}.py", "c.py", False),
    ("{src/**,lib}", "src/x/y", True),
    ("[abc].py", "b.py", True),
    ("[!a].py", "b.py", True),
    ("[!a].py", "a.py", False),
    ("[^a].py", "a.py", False),
    ("[a-c]x", "bx", True),
    ("[a-c]x", "dx", False),
    ("[]]", "]", True),
    ("a\\*", "a*", True),
    ("a\\*", "ab", False),
    ("app.*", "app.services.api", True),  # dots are ordinary characters
    ("app.*", "app", False),
    ("app.services.api.*", "app.services.api.module_1", True),
    ("my_app.services.*", "other.services.x", False),
    ("a+b(c)", "a+b(c)", True),  # regex metacharacters are literal
    ("x", "x\n", False),  # the whole name, not a prefix or a line
]


@pytest.mark.parametrize(("pattern", "candidate", "expected"), CASES)
def test_glob_matches_like_globset(pattern: str, candidate: str, expected: bool) -> None:
    assert (compile_glob(pattern).match(candidate) is not None) is expected
