"""The Fixit 2 plugin through the real ``fixit lint`` and ``fixit fix`` command lines.

One project holds every golden file as ``pkg/<name>.py`` (the catalog's example configuration
in ``[tool.lint_rules]``, ``enable = ["lint_rules.fixit"]`` in ``[tool.fixit]``, Fixit's own
rules disabled so that only ours run).  ``fixit lint`` must report exactly what ``check``
reports; after ``fixit fix --automatic`` each file compiles, has no undefined name it did not
have, and equals what ``python -m lint_rules fix`` writes, byte for byte.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lint_helpers import GOLDEN, example_pyproject
from test_fixers import undefined_names

from lint_rules.catalog import EXAMPLE_CONFIG
from lint_rules.checker import check_source

FIXIT_CONFIG = (
    '[tool.fixit]\nroot = true\nenable = ["lint_rules.fixit"]\ndisable = ["fixit.rules"]\n'
)
GOLDEN_FILES = sorted(GOLDEN.glob("*.py"))
# ``pkg/raises.py@12:8 ErrorPolicy: REC003 raise of ...``
_REPORT = re.compile(r"^(\S+)@(\d+):(\d+) ErrorPolicy: (REC\d{3}) ", re.MULTILINE)


def _project(root: Path) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "pyproject.toml").write_text(example_pyproject() + "\n" + FIXIT_CONFIG)
    for golden in GOLDEN_FILES:
        shutil.copyfile(golden, root / "pkg" / golden.name)
    return root


def _run(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *argv], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def fixed_both_ways(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    by_fixit = _project(tmp_path_factory.mktemp("fixit"))
    by_us = _project(tmp_path_factory.mktemp("ours"))
    result = _run(by_fixit, "-m", "fixit", "fix", "--automatic", "pkg")
    assert result.returncode in (0, 1), result.stderr
    result = _run(by_us, "-m", "lint_rules", "fix", "pkg")
    assert result.returncode == 0, result.stderr
    return by_fixit, by_us


def test_fixit_lint_reports_what_check_reports(tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = _run(project, "-m", "fixit", "lint", "pkg")
    assert result.returncode == 1, result.stderr
    rows = _REPORT.findall(result.stdout)
    reported = {(Path(path).name, int(line), code) for path, line, _col, code in rows}
    expected = set()
    for golden in GOLDEN_FILES:
        source = golden.read_text(encoding="utf-8")
        findings = check_source(source, f"pkg/{golden.name}", EXAMPLE_CONFIG)
        expected |= {(golden.name, f.line, f.code) for f in findings}
    assert reported == expected
    assert len(expected) > 60


def test_fixit_columns_are_characters(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(example_pyproject() + "\n" + FIXIT_CONFIG)
    (tmp_path / "m.py").write_text("x = 'é'; print(x)\n", encoding="utf-8")
    result = _run(tmp_path, "-m", "fixit", "lint", "m.py")
    assert "m.py@1:9 ErrorPolicy: REC001 " in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("golden", GOLDEN_FILES, ids=lambda p: p.stem)
def test_fixit_fix_equals_our_fix(fixed_both_ways: tuple[Path, Path], golden: Path) -> None:
    by_fixit, by_us = fixed_both_ways
    ours = (by_us / "pkg" / golden.name).read_bytes()
    assert (by_fixit / "pkg" / golden.name).read_bytes() == ours
    fixed = ours.decode("utf-8")
    ast.parse(fixed)
    assert undefined_names(fixed) <= undefined_names(golden.read_text(encoding="utf-8"))


def test_the_goldens_do_get_fixed(fixed_both_ways: tuple[Path, Path]) -> None:
    _by_fixit, by_us = fixed_both_ways
    changed = [
        g.name for g in GOLDEN_FILES if (by_us / "pkg" / g.name).read_bytes() != g.read_bytes()
    ]
    assert len(changed) >= len(GOLDEN_FILES) // 2
