"""The flake8 plugin ``REC``: runs the one analysis on the tree flake8 already parsed.

Registered as ``REC = "lint_rules.flake8_plugin:RecPlugin"`` (``flake8.extension``).  It never
imports libcst.  Settings come from flake8's own option system (``--rec-facade-modules`` and
friends, also readable from ``setup.cfg``/``tox.ini``/``.flake8``); an option left unset falls
back to ``[tool.lint_rules]`` in the ``pyproject.toml`` nearest to the checked file, so a
project keeps its settings in one place.
flake8 itself applies ``# noqa``, ``--select``/``--extend-select`` and ``per-file-ignores`` to
what the plugin yields, so the plugin reports everything and filters nothing.
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, ClassVar

from lint_rules.catalog import BY_CODE, VERSION
from lint_rules.checker import decide
from lint_rules.config import ConfigResolver, LintConfig

# flake8 option -> LintConfig field
_OPTIONS = {
    "--rec-facade-modules": "facade_modules",
    "--rec-output-modules": "output_modules",
    "--rec-entry-modules": "entry_modules",
    "--rec-test-paths": "test_paths",
    "--rec-guard-functions": "guard_functions",
}

_HELP = {
    "facade_modules": "modules of the error façade (raising their errors is typed)",
    "output_modules": "modules allowed to print and write to stdout (REC001, REC006)",
    "entry_modules": "entry-point modules allowed to call sys.exit and friends (REC007)",
    "test_paths": "path globs where assert is allowed (REC002)",
    "guard_functions": "qualified functions allowed to swallow errors (REC005)",
}


class RecPlugin:
    """flake8 ``ast`` plugin yielding ``(line, col, "RECnnn message", type)`` tuples."""

    name = "lint-rules"
    version = VERSION
    overrides: ClassVar[dict[str, tuple[str, ...]]] = {}
    resolver: ClassVar[ConfigResolver] = ConfigResolver()

    def __init__(self, tree: ast.AST, filename: str = "stdin") -> None:
        self.tree = tree
        self.filename = filename

    @classmethod
    def add_options(cls, parser: Any) -> None:
        for flag, field_name in _OPTIONS.items():
            parser.add_option(
                flag,
                default=None,
                parse_from_config=True,
                comma_separated_list=True,
                help=f"{_HELP[field_name]} (default: [tool.lint_rules] in pyproject.toml)",
            )

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        overrides: dict[str, tuple[str, ...]] = {}
        for flag, field_name in _OPTIONS.items():
            value = getattr(options, flag[2:].replace("-", "_"), None)
            if value is not None:
                overrides[field_name] = tuple(v for v in value if v)
        cls.overrides = overrides
        cls.resolver = ConfigResolver()

    def _config(self) -> LintConfig:
        """The file's pyproject settings with the flake8 options on top."""
        base = self.resolver.for_path(self.filename)
        # flake8 owns code selection; the plugin must report every code.
        return replace(base, select=(), ignore=(), **self.overrides)  # type: ignore[arg-type]

    def run(self) -> Iterator[tuple[int, int, str, type[RecPlugin]]]:
        if not isinstance(self.tree, ast.Module):
            return
        seen: set[tuple[int, int, str]] = set()
        for line, col, code, detail in decide(self.tree, self.filename, self._config()):
            if (line, col, code) in seen:
                continue
            seen.add((line, col, code))
            yield line, col, f"{code} {BY_CODE[code].format(detail)}", type(self)
