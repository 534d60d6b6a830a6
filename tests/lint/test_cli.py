"""``python -m lint_rules``: exit statuses, formats, usage errors, the cache, parallel runs."""

from __future__ import annotations

import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from lint_helpers import ROOT

from lint_rules import docs
from lint_rules.cache import CACHE_DIR_NAME
from lint_rules.cli import main
from lint_rules.config import load_config
from lint_rules.findings import Finding

BAD = "import sys\nprint('x')\nsys.exit(3)\n"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def project(example_project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (example_project / "pkg").mkdir()
    (example_project / "pkg" / "bad.py").write_text(BAD)
    (example_project / "pkg" / "good.py").write_text("x = 1\n")
    monkeypatch.chdir(example_project)
    return example_project


def test_exit_status_clean_and_findings(project: Path) -> None:
    assert run("check", "pkg/good.py") == (0, "", "")
    status, out, _ = run("check", "pkg")
    assert status == 1
    assert out == (
        "pkg/bad.py:2:1: REC001 print() outside the output modules; write diagnostics through "
        "the logger\n"
        "pkg/bad.py:3:1: REC007 sys.exit() outside the entry modules without a façade exit "
        "code\n"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "missing.py"],
        ["check"],
        ["nonsense"],
        ["check", "--format", "xml", "pkg"],
        ["check", "--jobs", "0", "pkg"],
        ["check", "--config", "nope.toml", "pkg"],
        ["docs", "--write", "no/such/dir/rules.md"],
        ["docs", "--check", "missing.md"],
        ["docs", "--write", "a.md", "--check", "b.md"],
        [],
    ],
)
def test_usage_errors_exit_2_with_one_line(project: Path, argv: list[str]) -> None:
    status, out, err = run(*argv)
    assert status == 2
    assert out == ""
    assert err.startswith("lint_rules: error: ") and err.count("\n") == 1


def test_bad_configuration_is_a_usage_error(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.lint_rules]\nfacade-module = ['x']\n")
    status, _out, err = run("check", "--no-cache", "pkg")
    assert status == 2 and "unknown key 'facade-module'" in err


def test_usage_error_from_a_real_process_has_no_traceback(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "lint_rules", "check", "missing.py"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "missing.py" in result.stderr


def test_json_format(project: Path) -> None:
    status, out, _ = run("check", "--format", "json", "pkg")
    assert status == 1
    rows = json.loads(out)
    assert [(r["path"], r["line"], r["column"], r["code"]) for r in rows] == [
        ("pkg/bad.py", 2, 1, "REC001"),
        ("pkg/bad.py", 3, 1, "REC007"),
    ]


def test_sarif_format(project: Path) -> None:
    status, out, _ = run("check", "--format", "sarif", "pkg")
    assert status == 1
    document = json.loads(out)
    assert document["version"] == "2.1.0"
    (sarif_run,) = document["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    results = sarif_run["results"]
    assert [r["ruleId"] for r in results] == ["REC001", "REC007"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "pkg/bad.py"
        assert location["region"]["startColumn"] == 1
    assert run("check", "--format", "sarif", "pkg/good.py")[0] == 0


def test_select_and_ignore_flags(project: Path) -> None:
    assert run("check", "--select", "REC007", "pkg")[1].count("\n") == 1
    assert run("check", "--ignore", "REC001,REC007", "pkg")[0] == 0


def test_cache_answers_unchanged_files_and_misses_changed_ones(project: Path) -> None:
    assert run("check", "pkg/bad.py")[0] == 1
    entries = list((project / CACHE_DIR_NAME).rglob("*.json"))
    assert len(entries) == 1
    # Plant a different answer: an unchanged file must be answered from the cache.
    planted = Finding("pkg/bad.py", 1, 0, "REC002", "planted")
    entries[0].write_text(json.dumps([planted.to_dict()]))
    assert run("check", "pkg/bad.py")[1] == "pkg/bad.py:1:1: REC002 planted\n"
    # Any change to the content is a miss.
    (project / "pkg" / "bad.py").write_text(BAD + "\n")
    assert "REC001" in run("check", "pkg/bad.py")[1]
    # --no-cache neither reads nor writes.
    entries = list((project / CACHE_DIR_NAME).rglob("*.json"))
    for entry in entries:
        entry.write_text(json.dumps([planted.to_dict()]))
    assert "REC001" in run("check", "--no-cache", "pkg/bad.py")[1]


def test_cache_key_includes_configuration(project: Path) -> None:
    assert run("check", "pkg/bad.py")[0] == 1
    (project / "pyproject.toml").write_text(
        '[tool.lint_rules]\noutput-modules = ["pkg.bad"]\nentry-modules = ["pkg"]\n'
    )
    assert run("check", "pkg/bad.py") == (0, "", "")


def test_a_corrupt_cache_entry_is_ignored(project: Path) -> None:
    run("check", "pkg/bad.py")
    for entry in (project / CACHE_DIR_NAME).rglob("*.json"):
        entry.write_text("{not json")
    assert run("check", "pkg/bad.py")[1].count("\n") == 2


def test_parallel_run_matches_serial_run(project: Path) -> None:
    for n in range(40):
        (project / "pkg" / f"m{n}.py").write_text(BAD * (n % 3) + "x = 1\n")
    serial = run("check", "--no-cache", "--jobs", "1", "pkg")
    parallel = run("check", "--no-cache", "--jobs", "2", "pkg")
    assert serial == parallel
    assert serial[1].count("REC001") == sum(n % 3 for n in range(40)) + 1


def test_syntax_errors_and_undecodable_files_are_reported(project: Path) -> None:
    (project / "pkg" / "broken.py").write_text("def f(:\n")
    (project / "pkg" / "latin.py").write_bytes(b"# -*- coding: latin-1 -*-\nx = '\xe9'\n")
    (project / "pkg" / "bad_utf8.py").write_bytes(b"x = '\xff'\n")
    status, out, _ = run("check", "pkg/broken.py", "pkg/latin.py", "pkg/bad_utf8.py")
    assert status == 1
    assert [line.split(": ")[1][:6] for line in out.splitlines()] == ["REC000", "REC000"]
    assert "latin.py" not in out


@pytest.mark.parametrize("engine", ["cst", "ast"])
def test_the_removed_engine_option_names_its_replacement(project: Path, engine: str) -> None:
    status, out, err = run("check", "--no-cache", "--engine", engine, "pkg/good.py")
    assert (status, out) == (2, "")
    assert f"check --engine {engine} was removed in lint_rules 0.2.0" in err
    assert "drop --engine" in err and err.count("\n") == 1


def test_fix_diff(project: Path) -> None:
    if importlib.util.find_spec("lint_rules.fixers") is None:
        status, _out, err = run("fix", "--diff", "pkg/bad.py")
        assert status == 2 and "fixer is not available" in err
        return
    before = (project / "pkg" / "bad.py").read_text()
    status, out, _err = run("fix", "--diff", "pkg/bad.py")
    assert status == 1 and out.startswith("--- a/pkg/bad.py")
    assert (project / "pkg" / "bad.py").read_text() == before


def test_docs_check_detects_a_stale_file(project: Path) -> None:
    assert run("docs", "--write", "rules.md") == (0, "", "")
    assert run("docs", "--check", "rules.md")[0] == 0
    (project / "rules.md").write_text("old\n")
    status, _out, err = run("docs", "--check", "rules.md")
    assert status == 1 and "stale" in err
    assert run("docs")[1] == docs.render()


def test_lint_rules_is_clean_under_its_own_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """The package lints itself with the project's configuration (flake8-bugbear does too)."""
    monkeypatch.chdir(ROOT)
    config = load_config(ROOT)
    assert "lint_rules.errors" in config.facade_modules, (
        "[tool.lint_rules] facade-modules must list lint_rules.errors (the package's own "
        "exception base), or every raise in lint_rules is REC003"
    )
    assert run("check", "--no-cache", "lint_rules") == (0, "", "")
