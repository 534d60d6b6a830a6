"""The flake8 plugin: catalog examples and golden files through real flake8 runs.

Every example gets its own throwaway project (a pyproject.toml with the catalog's example
configuration, the example at its path), and one flake8 process checks them all: the plugin
reads the pyproject nearest to each file.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lint_helpers import (
    GOLDEN,
    example_pyproject,
    expected_codes,
    marked_lines,
    parse_flake8,
    run_flake8,
)

from lint_rules.catalog import RULES, examples


@pytest.fixture(scope="module")
def catalog_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, tuple], set]:
    """Write every example as its own project, run flake8 once, return cases and findings."""
    base = tmp_path_factory.mktemp("catalog")
    cases: dict[str, tuple[str, str, str, bool]] = {}
    for rule in RULES:
        for kind, snippets in (("valid", rule.valid), ("invalid", rule.invalid)):
            for n, (source, path) in enumerate(examples(snippets)):
                project = f"{rule.code}_{kind}_{n}"
                target = base / project / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(source + "\n", encoding="utf-8")
                (base / project / "pyproject.toml").write_text(example_pyproject())
                cases[f"{project}/{path}"] = (rule.code, source, kind, True)
    result = run_flake8(base, "--select", "REC", *sorted(cases))
    assert result.returncode == 1, result.stderr
    return cases, parse_flake8(result.stdout)


def test_flake8_finds_every_invalid_case_and_no_valid_one(catalog_run: tuple) -> None:
    cases, found = catalog_run
    problems = []
    for path, (code, source, kind, _) in cases.items():
        lines = {line for (p, line, c) in found if p == path and c == code}
        if kind == "valid" and lines:
            problems.append(f"{path}: VALID example reported {code} on {sorted(lines)}")
        if kind == "invalid":
            marked = marked_lines(source)
            if not lines or (marked and lines != marked):
                problems.append(f"{path}: INVALID example gave {code} on {sorted(lines)}")
    assert problems == []
    assert len(cases) > 60


def test_flake8_agrees_with_the_golden_files(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(example_pyproject())
    (tmp_path / "pkg").mkdir()
    expected = set()
    for golden in sorted(GOLDEN.glob("*.py")):
        shutil.copy(golden, tmp_path / "pkg" / golden.name)
        source = golden.read_text(encoding="utf-8")
        expected |= {(f"pkg/{golden.name}", line, code) for line, code in expected_codes(source)}
    result = run_flake8(tmp_path, "--select", "REC", "pkg")
    assert result.returncode == 1, result.stderr
    assert sorted(parse_flake8(result.stdout)) == sorted(expected)


SAMPLE = "import sys\nprint('x')\nassert sys\nsys.exit(3)\n"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--select", "REC"], {"REC001", "REC002", "REC007"}),
        (["--select", "REC001"], {"REC001"}),
        (["--select", "E501", "--extend-select", "REC002"], {"REC002"}),
        (["--select", "REC", "--extend-ignore", "REC001"], {"REC002", "REC007"}),
        (["--select", "REC", "--per-file-ignores", "pkg/module.py:REC001,REC007"], {"REC002"}),
        (["--select", "REC", "--rec-output-modules", "pkg.module"], {"REC002", "REC007"}),
        (["--select", "REC", "--rec-entry-modules", "pkg"], {"REC001", "REC002"}),
        (["--select", "REC", "--rec-test-paths", "pkg/*"], {"REC001", "REC007"}),
    ],
)
def test_flake8_selection_and_options(
    example_project: Path, args: list[str], expected: set[str]
) -> None:
    (example_project / "pkg").mkdir()
    (example_project / "pkg" / "module.py").write_text(SAMPLE)
    result = run_flake8(example_project, *args, "pkg/module.py")
    assert {code for _p, _l, code in parse_flake8(result.stdout)} == expected, result.stderr


def test_options_are_read_from_flake8_config_files(example_project: Path) -> None:
    (example_project / "pkg").mkdir()
    (example_project / "pkg" / "module.py").write_text(SAMPLE)
    (example_project / ".flake8").write_text(
        "[flake8]\nselect = REC\nrec-output-modules = pkg.module\nrec-entry-modules =\n"
        "    pkg.module,\n    other\n"
    )
    result = run_flake8(example_project, "pkg/module.py")
    assert {code for _p, _l, code in parse_flake8(result.stdout)} == {"REC002"}


def test_pyproject_settings_apply_without_flake8_options(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.lint_rules]\noutput-modules = ["pkg.module"]\ntest-paths = ["pkg/*"]\n'
    )
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "module.py").write_text(SAMPLE)
    result = run_flake8(tmp_path, "--select", "REC", "pkg/module.py")
    assert {code for _p, _l, code in parse_flake8(result.stdout)} == {"REC007"}


def test_noqa_is_honoured_by_flake8(example_project: Path) -> None:
    (example_project / "m.py").write_text("print(1)  # noqa: REC001\nprint(2)  # noqa: E501\n")
    result = run_flake8(example_project, "--select", "REC", "m.py")
    assert parse_flake8(result.stdout) == {("m.py", 2, "REC001")}


def test_the_fast_path_never_imports_libcst() -> None:
    code = (
        "import sys, lint_rules.flake8_plugin, lint_rules.cli, lint_rules.runner\n"
        "from lint_rules.cli import main\n"
        "import io\n"
        "main(['check', '--no-cache', 'lint_rules/catalog.py'], io.StringIO(), io.StringIO())\n"
        "sys.exit('libcst' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True)
    assert result.returncode == 0, result.stderr


def test_flake8_finds_lint_rules_itself_clean() -> None:
    """``make lint-errors`` runs exactly this over lint_rules/ (with .flake8 and pyproject)."""
    root = Path(__file__).resolve().parents[2]
    result = run_flake8(root, "--select", "REC", "lint_rules")
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
