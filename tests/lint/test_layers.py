"""Import boundaries of ``lint_rules``, read from each module's import statements.

* libcst is imported only by the fix side (the fixer, its codemods and the Fixit plugin): the
  analysis that decides the rules, the flake8 plugin and ``check`` never need it;
* only libcst's public API is used: no module or name with a leading underscore, and every name
  imported from a libcst module is one that module exports (its ``__all__``);
* ``lint_rules`` imports nothing from the project it checks (``recorder``, ``fault_injection``).
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from lint_helpers import ROOT

PACKAGE = ROOT / "lint_rules"
FIX_SIDE = {"lint_rules.fixers", "lint_rules.fixit"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path) -> list[tuple[str, str | None, ast.AST]]:
    """``(module, name or None, node)`` for every import statement in the file."""
    found: list[tuple[str, str | None, ast.AST]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None, node) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.module, alias.name, node) for alias in node.names]
    return found


def _is_fix_side(module: str) -> bool:
    return module in FIX_SIDE or module.startswith("lint_rules.codemods")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_only_the_fix_side_imports_libcst(module: str) -> None:
    libcst = [m for m, _name, _node in _imports(MODULES[module]) if m.split(".")[0] == "libcst"]
    if not _is_fix_side(module):
        assert libcst == [], f"{module} imports {libcst}"


def test_the_fix_side_does_use_libcst() -> None:
    # Guard against a vacuous pass (a renamed module would silently leave the fix side empty).
    users = {
        module
        for module, path in MODULES.items()
        if any(m.startswith("libcst") for m, _n, _node in _imports(path))
    }
    assert {"lint_rules.fixers", "lint_rules.fixit", "lint_rules.codemods.strings"} <= users


def private_libcst_uses(path: Path) -> list[str]:
    """What ``path`` uses from libcst that is not public API."""
    offenders = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = set()
    for imported, name, node in _imports(path):
        if imported.split(".")[0] != "libcst":
            continue
        if isinstance(node, ast.Import):
            aliases |= {a.asname or a.name for a in node.names if a.name == imported}
        if any(part.startswith("_") for part in imported.split(".")):
            offenders.append(imported)
        elif name is not None:
            public = getattr(importlib.import_module(imported), "__all__", None)
            if name.startswith("_") or (public is not None and name not in public):
                offenders.append(f"{imported}.{name}")
    for node in ast.walk(tree):
        # ``cst._nodes`` and the like, through a module alias.
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
        ):
            offenders.append(f"{node.value.id}.{node.attr}")
    return offenders


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _is_fix_side(m)))
def test_only_public_libcst_api(module: str) -> None:
    assert private_libcst_uses(MODULES[module]) == []


def test_the_private_api_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from libcst._nodes.internal import CodegenState\n"
        "from libcst.metadata import _private\n"
        "from libcst.codemod import Bogus\n"
        "import libcst as cst\n"
        "state = cst._nodes\n"
    )
    assert private_libcst_uses(bad) == [
        "libcst._nodes.internal",
        "libcst.metadata._private",
        "libcst.codemod.Bogus",
        "cst._nodes",
    ]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_lint_rules_imports_nothing_from_the_checked_project(module: str) -> None:
    roots = {m.split(".")[0] for m, _name, _node in _imports(MODULES[module])}
    assert not roots & {"recorder", "fault_injection", "tests", "bench"}
