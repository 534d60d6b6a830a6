"""The pre-commit hooks, run the way pre-commit runs them, offline.

pre-commit would normally build a virtualenv for a ``language: python`` hook and pip-install
this repository into it, which needs the network.  The test therefore takes the hook definitions
from ``.pre-commit-hooks.yaml`` unchanged (id, entry, types, ...) and only switches ``language``
to ``system`` with this interpreter's ``bin`` on PATH, so pre-commit itself selects the files,
passes them to the entry and interprets the exit status.  The repository's own
``.pre-commit-config.yaml`` is run as it is, in a scratch git repository that links .venv.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from lint_helpers import ROOT

BIN = Path(sys.executable).parent
BAD = "print('hello')\n"
GOOD = "value = 1\n"


def _require_tools() -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if not (BIN / "pre-commit").exists():
        pytest.skip("pre-commit is not installed next to this interpreter")


def _git_repo(path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(path)], check=True)


def _pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
        "PRE_COMMIT_COLOR": "never",
        "SKIP": "",
    }
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    return subprocess.run(
        [str(BIN / "pre-commit"), *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _published_hooks() -> dict[str, dict[str, object]]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: hook for hook in hooks}


def test_manifest_and_config_validate() -> None:
    _require_tools()
    for command, name in (
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ):
        result = subprocess.run(
            [str(BIN / "pre-commit"), command, name], cwd=ROOT, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def consumer_repo(tmp_path: Path) -> Path:
    """Another project adopting the rec-lint hook, with its own [tool.lint_rules]."""
    _require_tools()
    repo = tmp_path / "consumer"
    repo.mkdir()
    _git_repo(repo)
    (repo / "pyproject.toml").write_text(
        '[tool.lint_rules]\nfacade-modules = ["app.errors"]\noutput-modules = ["app.ui"]\n'
    )
    (repo / "app").mkdir()
    (repo / "app" / "core.py").write_text(BAD)
    (repo / "app" / "ui.py").write_text(BAD)
    (repo / "app" / "ok.py").write_text(GOOD)
    (repo / "README.md").write_text("print('not python')\n")
    hook = {**_published_hooks()["rec-lint"], "language": "system"}
    hook.pop("additional_dependencies", None)
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    return repo


def test_rec_lint_hook_fails_on_a_violation(consumer_repo: Path) -> None:
    result = _pre_commit(consumer_repo, "run", "rec-lint", "--all-files")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "app/core.py:1:1: REC001" in result.stdout
    assert "app/ui.py" not in result.stdout  # an output module, per its pyproject
    assert "README.md" not in result.stdout  # types: [python]


def test_rec_lint_hook_passes_clean_files(consumer_repo: Path) -> None:
    result = _pre_commit(consumer_repo, "run", "rec-lint", "--files", "app/ok.py", "app/ui.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_this_repositorys_own_rec_lint_hook(tmp_path: Path) -> None:
    _require_tools()
    if not (ROOT / ".venv" / "bin" / "flake8").exists():
        pytest.skip("the repository's .venv (make venv) is missing")
    repo = tmp_path / "copy"
    repo.mkdir()
    _git_repo(repo)
    shutil.copy(ROOT / ".pre-commit-config.yaml", repo)
    shutil.copy(ROOT / "pyproject.toml", repo)
    (repo / ".venv").symlink_to(ROOT / ".venv")
    (repo / "recorder").mkdir()
    (repo / "recorder" / "engine.py").write_text("def f(x):\n    assert x\n")
    (repo / "tests").mkdir()
    (repo / "tests" / "test_engine.py").write_text("def test_f():\n    assert True\n")
    result = _pre_commit(repo, "run", "rec-lint", "--all-files")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "recorder/engine.py:2:5: REC002" in result.stdout
    assert "tests/" not in result.stdout


def test_rec_fix_hook_rewrites_or_reports_missing_fixer(consumer_repo: Path) -> None:
    hook = {**_published_hooks()["rec-fix"], "language": "system"}
    hook.pop("additional_dependencies", None)
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (consumer_repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    result = _pre_commit(consumer_repo, "run", "rec-fix", "--files", "app/core.py")
    # Either the fixer rewrote the file (pre-commit fails a hook that modifies files) or,
    # without the libcst fixer installed, the hook fails with a one-line usage error.
    assert result.returncode == 1, result.stdout + result.stderr
    changed = (consumer_repo / "app" / "core.py").read_text() != BAD
    assert changed or "fixer is not available" in result.stdout
    assert "Traceback" not in result.stdout
