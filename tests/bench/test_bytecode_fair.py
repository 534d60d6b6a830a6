"""Fair bytecode: after ``compile_tree`` a child imports the tree's modules from ``.pyc`` only."""

import subprocess
import sys
from pathlib import Path

import pytest

from bench import bytecode


def test_child_env_drops_dont_write_bytecode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("BENCH_KEPT", "yes")
    env = bytecode.child_env()
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert env["BENCH_KEPT"] == "yes"


def test_compiled_tree_is_not_compiled_again(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from pkg import mod\n", encoding="utf-8")
    (package / "mod.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    bytecode.compile_tree(Path(sys.executable), (package,))
    env = {**bytecode.child_env(), "PYTHONPATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-v", "-c", "import pkg"], env=env,
                          capture_output=True, text=True, timeout=60, check=True)
    loaded = [line for line in done.stderr.splitlines()
              if line.startswith("# code object from") and str(package) in line]
    assert len(loaded) == 2
    assert all(".pyc" in line for line in loaded)


def test_a_failed_compilation_is_unavailable(tmp_path: Path) -> None:
    from bench.errors import Unavailable

    with pytest.raises(Unavailable, match="compileall failed"):
        bytecode.compile_tree(tmp_path / "no-python", (tmp_path,))
