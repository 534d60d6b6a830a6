"""Which code is traced: the program's own by default; globs override; the recorder never."""

from __future__ import annotations

import json
import os
import sysconfig
from pathlib import Path

import pytest

import recorder
from recorder.tracing.filters import CodeFilter

STDLIB_FILE = json.__file__
RECORDER_FILE = recorder.__file__
SITE_FILE = os.path.join(sysconfig.get_paths()["purelib"], "somepkg", "mod.py")


def code_in(filename: str) -> object:
    return compile("x = 1", filename, "exec")


@pytest.mark.parametrize(
    ("filename", "traced"),
    [
        ("/home/user/project/app.py", True),
        (STDLIB_FILE, False),
        (SITE_FILE, False),
        (RECORDER_FILE, False),
        ("<string>", False),
        ("<frozen importlib._bootstrap>", False),
        ("<stdin>", False),
        ("", False),
    ],
)
def test_default_decisions(filename: str, traced: bool) -> None:
    assert CodeFilter().accepts(code_in(filename)) is traced  # type: ignore[arg-type]


def test_include_glob_traces_the_standard_library() -> None:
    include = os.path.join(os.path.dirname(STDLIB_FILE), "*")
    assert CodeFilter(include=[include]).accepts_file(STDLIB_FILE)


def test_exclude_glob_wins_over_include_and_defaults() -> None:
    code_filter = CodeFilter(include=["*/project/*"], exclude=["*/project/generated/*"])
    assert code_filter.accepts_file("/home/user/project/app.py")
    assert not code_filter.accepts_file("/home/user/project/generated/schema.py")


def test_the_recorder_is_never_traced_even_when_included() -> None:
    assert not CodeFilter(include=["*"]).accepts_file(RECORDER_FILE)


def test_decisions_are_cached(tmp_path: Path) -> None:
    script = tmp_path / "prog.py"
    script.write_text("x = 1\n")
    code_filter = CodeFilter(exclude=[])
    assert code_filter.accepts_file(str(script))
    code_filter.exclude = ("*",)  # changing the rules afterwards does not change a cached decision
    assert code_filter.accepts_file(str(script))
